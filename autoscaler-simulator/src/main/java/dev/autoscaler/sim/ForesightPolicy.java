package dev.autoscaler.sim;

import dev.autoscaler.EndpointConfig;
import dev.autoscaler.EndpointSnapshot;
import dev.autoscaler.GroupSnapshot;
import dev.autoscaler.GroupTarget;
import dev.autoscaler.ScalingDecision;
import dev.autoscaler.spi.ScalingPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The perfect-foresight reference ({@value #NAME} in reports): a capacity schedule computed from the
 * future arrivals of the workload, which the simulator knows and no real policy does, and played
 * through the real engine in the same simulated world as the policy it is compared with (the same
 * boot and resume draws, prices, faults, processor sharing, router). It is a <em>reference, not a
 * bound</em>: a cleverer schedule (or a lucky policy) can be cheaper, and because the world still
 * draws boots, stalled resumes and stuck instances the reference itself can miss its SLO.
 *
 * <p>How it is computed, once, from the workload:
 * <ol>
 *   <li>the <b>needed work rate</b> at second {@code t}: for windows of 5, 10, 20, ... 640 s centred
 *       on {@code t}, the work (perf units) of the requests arriving in the window divided by (the
 *       window + {@code target_queue_time}), the largest of these: the capacity that starts all of the
 *       window's work within {@code target_queue_time} of its end, as a fluid queue would (short
 *       windows catch bursts, which the queue-time target lets spread a little; long ones the mean);</li>
 *   <li>at each control tick, per group: <b>needed workers</b> at {@code t} = ceil(needed rate x the
 *       group's weight share / (the group's perf estimate x the endpoint's {@code target_util})): the
 *       same headroom the endpoint asks of every policy (a worker shares its GPU among at most 16
 *       requests, so one planned at 100% queues); the perf estimate is the snapshot's (the workers'
 *       measured median, else {@code expected_perf}, else the world's best offer);</li>
 *   <li><b>active</b> = the most workers needed at any second in {@code [now, now + tick + the
 *       world's resume p95]}: workers are resumed one resume ahead of when they are needed, and stopped
 *       as soon as they are not needed within that horizon;</li>
 *   <li><b>active + cold</b> = the most needed at any second in {@code [now, now + max(tick + boot
 *       p95, break-even)]}, where break-even = boot median / storage price fraction (2,400 s in the
 *       default world): a worker is created one boot ahead of its first use, and a stopped worker is
 *       kept while it will be needed again sooner than paying its storage would cost more than
 *       booting a new one;</li>
 *   <li>the endpoint's constraints hold as for any policy: at least {@code cold_workers} per group,
 *       a group's own {@code max_workers}, then the endpoint's {@code max_workers} (cold given up
 *       first). Overflow groups get no share of the forecast (only their floor).</li>
 * </ol>
 * It reads no load figure and no queue (of the snapshot, only the time and the groups' perf
 * estimate): what it decides depends on the workload, the world's distributions and the time, so it
 * is the same schedule whatever policy it is compared with.
 */
public final class ForesightPolicy implements ScalingPolicy {
    /** The name the reference runs under, in tables and JSON. */
    public static final String NAME = "oracle";
    /** Lengths of the windows over which the needed work rate is measured, s. */
    static final int[] WINDOWS_SECONDS = {5, 10, 20, 40, 80, 160, 320, 640};

    private final double[] neededRate; // perf units/s needed at each second of the run
    private final long activeLeadSeconds;
    private final long totalLeadSeconds;
    private final double fallbackPerf;

    /**
     * @param workload     the requests the simulation will play, in simulation time (the same
     *                     {@link Workload} the {@link SimulationConfig} holds)
     * @param world        the simulated world: its boot and resume distributions give the lead times,
     *                     its storage price the break-even, its best offer the perf when a group has none
     * @param tickInterval the engine's control tick
     * @param targetQueueSeconds the endpoint's {@code target_queue_time}: how long work may wait
     */
    public ForesightPolicy(Workload workload, WorldModel world, Duration tickInterval, double targetQueueSeconds) {
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(world, "world");
        double tick = tickInterval.toNanos() / 1e9;
        this.activeLeadSeconds = (long) Math.ceil(tick + world.resume().p95Seconds());
        double breakEven = world.storagePriceFraction() > 0
                ? world.boot().medianSeconds() / world.storagePriceFraction() : Double.MAX_VALUE / 4;
        this.totalLeadSeconds = (long) Math.ceil(Math.min(Math.max(tick + world.boot().p95Seconds(), breakEven),
                365 * 86400.0));
        this.fallbackPerf = world.offers().stream().max((a, b) -> Double.compare(a.perfPerDollar(), b.perfPerDollar()))
                .orElseThrow().perf();
        this.neededRate = neededRate(workload, targetQueueSeconds);
    }

    /**
     * Per second {@code t}, the work rate to plan for: over windows of every length W in
     * {@link #WINDOWS_SECONDS} centred on {@code t}, the largest of (work arriving in the window) /
     * (W + {@code targetQueueSeconds}), the capacity that starts all of that work within the queue-time
     * target of the window's end (a fluid queue).
     */
    static double[] neededRate(Workload w, double targetQueueSeconds) {
        int seconds = w.size() == 0 ? 1 : (int) (w.durationNanos() / 1_000_000_000L) + 1;
        double[] work = new double[seconds];
        for (int i = 0; i < w.size(); i++) {
            work[(int) (w.arrivalNanos(i) / 1_000_000_000L)] += w.cost(i);
        }
        double[] prefix = new double[seconds + 1];
        for (int s = 0; s < seconds; s++) {
            prefix[s + 1] = prefix[s] + work[s];
        }
        double[] rate = new double[seconds];
        for (int window : WINDOWS_SECONDS) {
            int half = window / 2;
            for (int s = 0; s < seconds; s++) {
                double inWindow = prefix[Math.min(seconds, s + window - half)] - prefix[Math.max(0, s - half)];
                rate[s] = Math.max(rate[s], inWindow / (window + targetQueueSeconds));
            }
        }
        return rate;
    }

    /** The highest needed rate at any second in {@code [from, from + span]}; 0 past the workload. */
    private double peakRate(long fromSecond, long span) {
        double peak = 0;
        long end = Math.min(neededRate.length - 1L, fromSecond + span);
        for (long s = Math.max(0, fromSecond); s <= end; s++) {
            peak = Math.max(peak, neededRate[(int) s]);
        }
        return peak;
    }

    @Override
    public ScalingDecision decide(EndpointSnapshot snapshot) {
        EndpointConfig config = snapshot.config();
        long now = Math.floorDiv(snapshot.nanoTime(), 1_000_000_000L);
        double soonRate = peakRate(now, activeLeadSeconds);
        double laterRate = peakRate(now, totalLeadSeconds);
        double primaryWeight = snapshot.groups().stream().filter(g -> !g.config().overflow())
                .mapToDouble(g -> g.config().weight()).sum();
        Map<String, GroupTarget> targets = new LinkedHashMap<>();
        List<String> order = new ArrayList<>();
        for (GroupSnapshot g : snapshot.groups()) {
            double share = g.config().overflow() || primaryWeight <= 0 ? 0 : g.config().weight() / primaryWeight;
            double perf = (g.perfEstimate() > 0 ? g.perfEstimate() : fallbackPerf) * config.targetUtil();
            int active = (int) Math.ceil(soonRate * share / perf - 1e-9);
            int total = Math.max(active, (int) Math.ceil(laterRate * share / perf - 1e-9));
            total = Math.max(total, config.coldWorkersFor(g.config()));
            GroupTarget t = new GroupTarget(active, total - active);
            if (g.config().maxWorkers().isPresent()) {
                t = t.cappedAt(g.config().maxWorkers().getAsInt());
            }
            targets.put(g.name(), t);
            order.add(g.name());
        }
        capEndpoint(targets, order, config.maxWorkers());
        return ScalingDecision.of(targets, String.format(java.util.Locale.ROOT,
                "foresight: %.0f perf/s needed within %d s, %.0f within %d s", soonRate, activeLeadSeconds,
                laterRate, totalLeadSeconds));
    }

    /** The endpoint's {@code max_workers}: cold given up first, last groups first, then active. */
    private static void capEndpoint(Map<String, GroupTarget> targets, List<String> order, int maxWorkers) {
        int total = targets.values().stream().mapToInt(GroupTarget::total).sum();
        for (int i = order.size() - 1; i >= 0 && total > maxWorkers; i--) {
            GroupTarget t = targets.get(order.get(i));
            int cut = Math.min(t.cold(), total - maxWorkers);
            targets.put(order.get(i), new GroupTarget(t.active(), t.cold() - cut));
            total -= cut;
        }
        for (int i = order.size() - 1; i >= 0 && total > maxWorkers; i--) {
            GroupTarget t = targets.get(order.get(i));
            int cut = Math.min(t.active(), total - maxWorkers);
            targets.put(order.get(i), new GroupTarget(t.active() - cut, t.cold()));
            total -= cut;
        }
    }
}
