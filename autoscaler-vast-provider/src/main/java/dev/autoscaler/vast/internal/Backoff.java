package dev.autoscaler.vast.internal;

import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with full jitter: before retry {@code n} (0-based) wait a uniformly random
 * time in [0, min(max, base * 2^n)). Full jitter spreads the retries of many callers that failed
 * together (a 429 storm) instead of synchronising them.
 */
public final class Backoff {
    private final long baseNanos;
    private final long maxNanos;
    private final DoubleSupplier random;

    /** @param random a source of uniform doubles in [0, 1) */
    public Backoff(long baseNanos, long maxNanos, DoubleSupplier random) {
        if (baseNanos <= 0 || maxNanos < baseNanos) {
            throw new IllegalArgumentException("need 0 < base <= max, got base=" + baseNanos + " max=" + maxNanos);
        }
        this.baseNanos = baseNanos;
        this.maxNanos = maxNanos;
        this.random = Objects.requireNonNull(random, "random");
    }

    /** The ceiling of the wait before retry {@code retry} (0-based). */
    public long ceilingNanos(int retry) {
        if (retry >= 62) {
            return maxNanos;
        }
        double ceiling = (double) baseNanos * Math.pow(2, retry);
        return ceiling >= maxNanos ? maxNanos : (long) ceiling;
    }

    /** A random wait before retry {@code retry}, in [0, ceiling). */
    public long delayNanos(int retry) {
        double r = random.getAsDouble();
        if (!(r >= 0) || r >= 1) {
            r = 0;
        }
        return (long) (r * ceilingNanos(retry));
    }
}
