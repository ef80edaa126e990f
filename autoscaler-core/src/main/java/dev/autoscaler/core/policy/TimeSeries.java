package dev.autoscaler.core.policy;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * A policy's own memory of one figure, sampled once per decision at the snapshot's monotonic time:
 * what stateful policies (windowed averages, stabilisation windows, burst envelopes) read back.
 * Samples older than {@code horizonSeconds} are forgotten, so memory stays bounded. Not thread safe:
 * a policy instance serves one endpoint, called from one thread at a time.
 */
final class TimeSeries {
    private final double horizonSeconds;
    private final ArrayDeque<double[]> samples = new ArrayDeque<>();

    TimeSeries(double horizonSeconds) {
        this.horizonSeconds = horizonSeconds;
    }

    /** Records {@code value} at {@code seconds}; a sample at the same or an earlier time replaces the last one. */
    void add(double seconds, double value) {
        while (!samples.isEmpty() && samples.peekLast()[0] >= seconds) {
            samples.pollLast();
        }
        samples.addLast(new double[] {seconds, value});
        while (!samples.isEmpty() && samples.peekFirst()[0] < seconds - horizonSeconds) {
            samples.pollFirst();
        }
    }

    boolean isEmpty() {
        return samples.isEmpty();
    }

    /** The latest value, or {@code otherwise} when there is none. */
    double last(double otherwise) {
        return samples.isEmpty() ? otherwise : samples.peekLast()[1];
    }

    /** Mean of the samples taken in {@code (now - window, now]}; {@code otherwise} when none was. */
    double mean(double now, double window, double otherwise) {
        double sum = 0;
        int n = 0;
        for (double[] s : samples) {
            if (s[0] > now - window && s[0] <= now) {
                sum += s[1];
                n++;
            }
        }
        return n == 0 ? otherwise : sum / n;
    }

    /** Standard deviation of the samples in {@code (from, to]}; 0 with fewer than two. */
    double stddev(double from, double to) {
        double sum = 0;
        double squares = 0;
        int n = 0;
        for (double[] s : samples) {
            if (s[0] > from && s[0] <= to) {
                sum += s[1];
                squares += s[1] * s[1];
                n++;
            }
        }
        if (n < 2) {
            return 0;
        }
        double mean = sum / n;
        return Math.sqrt(Math.max(0, (squares - n * mean * mean) / (n - 1)));
    }

    /** Largest sample in {@code (now - window, now]}; {@code otherwise} when none was. */
    double max(double now, double window, double otherwise) {
        double max = Double.NEGATIVE_INFINITY;
        for (double[] s : samples) {
            if (s[0] > now - window && s[0] <= now) {
                max = Math.max(max, s[1]);
            }
        }
        return max == Double.NEGATIVE_INFINITY ? otherwise : max;
    }

    /** Smallest sample in {@code (now - window, now]}; {@code otherwise} when none was. */
    double min(double now, double window, double otherwise) {
        double min = Double.POSITIVE_INFINITY;
        for (double[] s : samples) {
            if (s[0] > now - window && s[0] <= now) {
                min = Math.min(min, s[1]);
            }
        }
        return min == Double.POSITIVE_INFINITY ? otherwise : min;
    }

    /** Median of the samples in {@code (now - window, now]} (the upper one of an even count); {@code otherwise} when none was. */
    double median(double now, double window, double otherwise) {
        double[] values = new double[samples.size()];
        int n = 0;
        for (double[] s : samples) {
            if (s[0] > now - window && s[0] <= now) {
                values[n++] = s[1];
            }
        }
        if (n == 0) {
            return otherwise;
        }
        java.util.Arrays.sort(values, 0, n);
        return values[n / 2];
    }

    /** Time of the oldest sample, or NaN. */
    double firstTime() {
        return samples.isEmpty() ? Double.NaN : samples.peekFirst()[0];
    }

    /** Oldest first: each element is {@code {seconds, value}}; do not modify. */
    Iterator<double[]> iterator() {
        return samples.iterator();
    }

    int size() {
        return samples.size();
    }
}
