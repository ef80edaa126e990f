package dev.autoscaler;

/**
 * Why a worker exists. A new worker is rented either to serve ({@link #ACTIVE}) or to fill the cold
 * pool ({@link #COLD}): a cold-pool worker loads its model and benchmarks like any other, then is
 * stopped, so that a later resume takes seconds instead of minutes. A {@link WorkerState#DRAINING}
 * worker with intent {@link #COLD} drains to be stopped (a scale-down of a busy worker); one with
 * intent {@link #ACTIVE} drains to be destroyed (a rolling update).
 */
public enum WorkerIntent {
    /** Meant to serve. */
    ACTIVE,
    /** Meant for the cold pool: stopped once loaded. */
    COLD
}
