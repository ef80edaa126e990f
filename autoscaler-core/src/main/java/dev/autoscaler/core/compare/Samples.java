package dev.autoscaler.core.compare;

import java.util.Arrays;
import java.util.Collection;

/**
 * A bounded record of samples: the count, minimum and maximum of every sample ever added, and the
 * most recent {@value #CAPACITY} samples themselves, from which percentiles are read. So a key seen
 * for months keeps a fixed size, and its percentiles follow the hardware's recent behaviour. Below
 * the capacity nothing is dropped and the figures are exact. Not thread safe.
 */
final class Samples {
    /** Samples kept per record, e.g. per (group, GPU type) of destroyed workers, or per live worker. */
    static final int CAPACITY = 1_000;

    private double[] ring = new double[4];
    private int size;
    /** Where the next sample goes once the ring is full (the oldest retained one). */
    private int next;
    private long count;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;

    void add(double v) {
        count++;
        min = Math.min(min, v);
        max = Math.max(max, v);
        retain(v);
    }

    /** Adds every sample {@code other} ever saw to the count, min and max, and its retained ones, oldest first. */
    void addAll(Samples other) {
        if (other.count == 0) {
            return;
        }
        count += other.count;
        min = Math.min(min, other.min);
        max = Math.max(max, other.max);
        for (double v : other.retained()) {
            retain(v);
        }
    }

    private void retain(double v) {
        if (size < CAPACITY) {
            if (size == ring.length) {
                ring = Arrays.copyOf(ring, Math.min(CAPACITY, ring.length * 2));
            }
            ring[size++] = v;
        } else {
            ring[next] = v;
            next = (next + 1) % CAPACITY;
        }
    }

    /** The retained samples, oldest first. */
    double[] retained() {
        double[] out = new double[size];
        int head = size < CAPACITY ? 0 : next;
        for (int i = 0; i < size; i++) {
            out[i] = ring[(head + i) % size];
        }
        return out;
    }

    long count() {
        return count;
    }

    int retainedCount() {
        return size;
    }

    /**
     * The distribution of several records together: count, min and max over every sample they saw,
     * percentiles over the samples they retained.
     */
    static Distribution distribution(Collection<Samples> parts) {
        long total = 0;
        int retained = 0;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Samples s : parts) {
            total += s.count;
            retained += s.size;
            lo = Math.min(lo, s.min);
            hi = Math.max(hi, s.max);
        }
        if (total == 0) {
            return Distribution.EMPTY;
        }
        double[] sorted = new double[retained];
        int at = 0;
        for (Samples s : parts) {
            System.arraycopy(s.ring, 0, sorted, at, s.size);
            at += s.size;
        }
        Arrays.sort(sorted);
        return Distribution.of(sorted, (int) Math.min(total, Integer.MAX_VALUE), lo, hi);
    }
}
