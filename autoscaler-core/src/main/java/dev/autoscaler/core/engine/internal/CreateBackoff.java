package dev.autoscaler.core.engine.internal;

import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter for one worker group's creates: after a failure the group
 * waits a random time in [0, min(cap, base x 2^failures)) before it asks the provider again, so a
 * provider outage or an empty market is not hammered every tick. A success resets it.
 */
final class CreateBackoff {
    private static final long BASE_NANOS = 2_000_000_000L;
    private static final long CAP_NANOS = 120_000_000_000L;

    private int failures;
    private long notBeforeNanos = Long.MIN_VALUE;

    synchronized boolean allows(long nowNanos) {
        return nowNanos >= notBeforeNanos;
    }

    synchronized void failed(long nowNanos, RandomGenerator random) {
        failures = Math.min(failures + 1, 30);
        long ceiling = Math.min(CAP_NANOS, BASE_NANOS << Math.min(failures - 1, 20));
        notBeforeNanos = nowNanos + (long) (random.nextDouble() * ceiling);
    }

    synchronized void succeeded() {
        failures = 0;
        notBeforeNanos = Long.MIN_VALUE;
    }
}
