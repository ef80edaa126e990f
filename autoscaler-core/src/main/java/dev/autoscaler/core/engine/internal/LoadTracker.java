package dev.autoscaler.core.engine.internal;

import dev.autoscaler.LoadStats;

/**
 * One endpoint's traffic over the last {@link LoadStats#LONG_WINDOW_SECONDS} seconds, in
 * one-second buckets on monotonic time: work arriving and work served. Thread safe (reports and
 * routes arrive on HTTP threads, ticks read on the engine's).
 *
 * <p>Arrivals come from two places that must not both count the same work: the router counts a
 * request once, on its first {@code /route/} call; workers report {@code new_load}. When the router
 * has seen traffic within the long window, the router's count is used; otherwise (workers called
 * directly, or no router) the workers' reports are.
 */
public final class LoadTracker {
    /**
     * The most one entry (a request's cost, a report's figure) may add, and the most a one-second
     * bucket may hold: far above real traffic, far below overflow. A value that is not finite or is
     * negative adds nothing. The router and the report parser refuse such values already; this keeps
     * the windows finite whatever an embedder passes in.
     */
    static final double MAX_ENTRY = 1e12;
    private static final double MAX_BUCKET = 1e15;
    private static final int WINDOW = LoadStats.LONG_WINDOW_SECONDS;
    private static final int BURST_WINDOW = LoadStats.BURST_WINDOW_SECONDS;

    private final double[] routed = new double[WINDOW];
    private final double[] reported = new double[WINDOW];
    private final double[] served = new double[WINDOW];
    private long currentSecond = Long.MIN_VALUE;
    private long firstSecond = Long.MIN_VALUE;
    private long lastArrivalNanos = Long.MIN_VALUE;
    private long lastRoutedSecond = Long.MIN_VALUE;

    /** A request's cost, counted once when the router first sees it. */
    public synchronized void recordRouted(double cost, long nowNanos) {
        roll(nowNanos);
        add(routed, cost);
        lastRoutedSecond = currentSecond;
        lastArrivalNanos = nowNanos;
    }

    /** A worker report's {@code new_load} and {@code cur_perf}. */
    public synchronized void recordReport(double newLoad, double servedWork, boolean busy, long nowNanos) {
        roll(nowNanos);
        add(reported, newLoad);
        add(served, servedWork);
        if (sane(newLoad) > 0 || busy) {
            lastArrivalNanos = Math.max(lastArrivalNanos, nowNanos);
        }
    }

    /** Arrival rate over the last {@code seconds}, perf units/s. */
    public synchronized double arrivalRate(int seconds, long nowNanos) {
        roll(nowNanos);
        boolean routerInUse = lastRoutedSecond != Long.MIN_VALUE && currentSecond - lastRoutedSecond < WINDOW;
        return rate(routerInUse ? routed : reported, seconds);
    }

    /**
     * The short-window arrival rate a policy sees: the larger of the last 10 s and the last 60 s, so
     * that a burst shows within seconds while a lull does not drop the figure at once.
     */
    public synchronized double shortArrivalRate(long nowNanos) {
        return Math.max(arrivalRate(BURST_WINDOW, nowNanos), arrivalRate(LoadStats.SHORT_WINDOW_SECONDS, nowNanos));
    }

    public synchronized double servedRate(int seconds, long nowNanos) {
        roll(nowNanos);
        return rate(served, seconds);
    }

    /** Seconds since work last arrived, or infinity when none ever did. */
    public synchronized double secondsSinceLastArrival(long nowNanos) {
        return lastArrivalNanos == Long.MIN_VALUE ? Double.POSITIVE_INFINITY : (nowNanos - lastArrivalNanos) / 1e9;
    }

    private double rate(double[] buckets, int seconds) {
        if (currentSecond == Long.MIN_VALUE) {
            return 0;
        }
        int span = Math.min(seconds, WINDOW);
        double sum = 0;
        for (int i = 0; i < span; i++) {
            sum += buckets[index(currentSecond - i)];
        }
        // The current second is still filling: divide by the time actually covered, and by no less
        // than one second. Before the tracker has seen the whole span, divide by what it has seen,
        // so that the first burst after start is not diluted by seconds that never were.
        long seen = currentSecond - firstSecond + 1;
        return sum / Math.max(1, Math.min(span, seen));
    }

    private void roll(long nowNanos) {
        long second = Math.floorDiv(nowNanos, 1_000_000_000L);
        if (currentSecond == Long.MIN_VALUE) {
            currentSecond = second;
            firstSecond = second;
            return;
        }
        if (second <= currentSecond) {
            return;
        }
        long gap = Math.min(second - currentSecond, WINDOW);
        for (long s = 1; s <= gap; s++) {
            int i = index(currentSecond + s);
            routed[i] = 0;
            reported[i] = 0;
            served[i] = 0;
        }
        currentSecond = second;
    }

    private void add(double[] buckets, double value) {
        int i = index(currentSecond);
        buckets[i] = Math.min(MAX_BUCKET, buckets[i] + sane(value));
    }

    /** The value clamped to [0, MAX_ENTRY]; 0 for NaN and infinities. */
    static double sane(double value) {
        if (!Double.isFinite(value) || value <= 0) {
            return 0;
        }
        return Math.min(value, MAX_ENTRY);
    }

    private static int index(long second) {
        return (int) Math.floorMod(second, (long) WINDOW);
    }
}
