package dev.autoscaler.core.engine.internal;

/**
 * One worker group's backoff after boots that failed: instances that were rented but never became
 * ready (stuck loading past {@code loading_timeout}, or errored before their first ready report).
 * A provider whose offers all fail to boot (a bad image, a broken host type) would otherwise be
 * rented from at full rate forever, each failure paid for until its timeout. After
 * {@value #THRESHOLD} failures in a row the group creates nothing for 5 minutes, then 10, 20, and
 * at most 30 minutes after each further failure; a worker of the group that becomes ready ends it.
 * Monotonic time only.
 */
final class BootBackoff {
    static final int THRESHOLD = 3;
    static final long BASE_NANOS = 5 * 60_000_000_000L;
    static final long CAP_NANOS = 30 * 60_000_000_000L;

    private int failures;
    private long notBeforeNanos = Long.MIN_VALUE;

    synchronized boolean allows(long nowNanos) {
        return nowNanos >= notBeforeNanos;
    }

    /**
     * Counts one failed boot.
     *
     * @return how long creates now wait, nanoseconds; 0 while below the threshold
     */
    synchronized long failed(long nowNanos) {
        failures = Math.min(failures + 1, 1_000);
        if (failures < THRESHOLD) {
            return 0;
        }
        long wait = Math.min(CAP_NANOS, BASE_NANOS << Math.min(failures - THRESHOLD, 10));
        notBeforeNanos = nowNanos + wait;
        return wait;
    }

    synchronized int failures() {
        return failures;
    }

    synchronized void succeeded() {
        failures = 0;
        notBeforeNanos = Long.MIN_VALUE;
    }
}
