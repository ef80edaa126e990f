package dev.autoscaler.sim;

import dev.autoscaler.InvalidConfigException;
import java.util.Arrays;
import java.util.Objects;

/**
 * A sequence of requests: arrival times (nanoseconds from the start, non-decreasing) and costs
 * (perf units). Held in two arrays, since a trace has tens of thousands of requests. Immutable.
 */
public final class Workload {
    private final String name;
    private final long[] arrivalNanos;
    private final double[] costs;

    /**
     * @param name         a short description for reports, e.g. {@code trace azure-llm-2023-conv.csv}
     * @param arrivalNanos arrival times, nanoseconds from the start of the simulation; non-decreasing
     * @param costs        the requests' costs, perf units, >= 0
     */
    public Workload(String name, long[] arrivalNanos, double[] costs) {
        this.name = Objects.requireNonNull(name, "name");
        if (arrivalNanos.length != costs.length) {
            throw new IllegalArgumentException("arrivals and costs differ in length: " + arrivalNanos.length
                    + " vs " + costs.length);
        }
        for (int i = 0; i < arrivalNanos.length; i++) {
            if (arrivalNanos[i] < 0 || (i > 0 && arrivalNanos[i] < arrivalNanos[i - 1])) {
                throw new InvalidConfigException("workload", "arrival " + i + " is negative or earlier than the one before");
            }
            if (!(costs[i] >= 0) || !Double.isFinite(costs[i])) {
                throw new InvalidConfigException("workload", "cost of request " + i + " must be >= 0, got " + costs[i]);
            }
        }
        this.arrivalNanos = arrivalNanos.clone();
        this.costs = costs.clone();
    }

    public String name() {
        return name;
    }

    public int size() {
        return arrivalNanos.length;
    }

    public long arrivalNanos(int i) {
        return arrivalNanos[i];
    }

    public double cost(int i) {
        return costs[i];
    }

    /** Time of the last arrival, nanoseconds; 0 when empty. */
    public long durationNanos() {
        return arrivalNanos.length == 0 ? 0 : arrivalNanos[arrivalNanos.length - 1];
    }

    public double totalCost() {
        double sum = 0;
        for (double c : costs) {
            sum += c;
        }
        return sum;
    }

    /**
     * The same requests with every arrival time multiplied by {@code factor}: below 1 compresses time
     * (0.5 plays an hour in 30 minutes, at twice the rate), above 1 stretches it. Costs are unchanged.
     */
    public Workload timeScaled(double factor) {
        if (!(factor > 0) || !Double.isFinite(factor)) {
            throw new InvalidConfigException("time_scale", "must be a positive number, got " + factor);
        }
        if (factor == 1.0) {
            return this;
        }
        long[] scaled = new long[arrivalNanos.length];
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] = Math.round(arrivalNanos[i] * factor);
        }
        String label = name + " x" + stripZeros(factor);
        return new Workload(label, scaled, costs);
    }

    /** The first {@code n} requests (all of them when there are fewer). */
    public Workload first(int n) {
        int m = Math.min(n, arrivalNanos.length);
        return new Workload(name + " (first " + m + ")", Arrays.copyOf(arrivalNanos, m), Arrays.copyOf(costs, m));
    }

    static String stripZeros(double v) {
        return new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }

    @Override
    public String toString() {
        return "Workload{" + name + ", " + size() + " requests over " + durationNanos() / 1e9 + " s}";
    }
}
