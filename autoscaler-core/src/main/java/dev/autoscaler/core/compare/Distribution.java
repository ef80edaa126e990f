package dev.autoscaler.core.compare;

import java.util.Arrays;
import java.util.Collection;

/**
 * The spread of a set of samples: count, min, p10, median, p90, p95, max. Percentiles interpolate
 * linearly between the closest ranks (numpy's default), so a handful of workers still gives a
 * meaningful median. A long-running comparison keeps only recent samples ({@link Samples}): then
 * {@code count}, {@code min} and {@code max} cover every sample, the percentiles the retained ones.
 * With no samples every figure is {@code NaN} (written as JSON {@code null}).
 */
public record Distribution(int count, double min, double p10, double p50, double p90, double p95, double max) {

    /** No sample at all. */
    public static final Distribution EMPTY = new Distribution(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
            Double.NaN, Double.NaN);

    /**
     * The distribution of some samples.
     *
     * @param samples the samples, in any order
     * @return their count, min, max and percentiles
     */
    public static Distribution of(Collection<Double> samples) {
        if (samples.isEmpty()) {
            return EMPTY;
        }
        double[] sorted = samples.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        return new Distribution(sorted.length, sorted[0], percentile(sorted, 0.10), percentile(sorted, 0.50),
                percentile(sorted, 0.90), percentile(sorted, 0.95), sorted[sorted.length - 1]);
    }

    /**
     * Percentiles from {@code sorted} (retained samples, ascending, not empty), with the count, min and
     * max of every sample seen, some of which may no longer be retained ({@link Samples}).
     */
    static Distribution of(double[] sorted, int count, double min, double max) {
        return new Distribution(count, min, percentile(sorted, 0.10), percentile(sorted, 0.50),
                percentile(sorted, 0.90), percentile(sorted, 0.95), max);
    }

    /** The {@code q} quantile of sorted values, interpolating linearly between ranks. */
    static double percentile(double[] sorted, double q) {
        double rank = q * (sorted.length - 1);
        int lower = (int) Math.floor(rank);
        int upper = (int) Math.ceil(rank);
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (rank - lower);
    }

    /**
     * Whether there was no sample.
     *
     * @return true when the count is 0
     */
    public boolean isEmpty() {
        return count == 0;
    }
}
