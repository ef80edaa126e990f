package dev.autoscaler;

/**
 * Why a worker exists. A new worker is rented either to serve ({@link #ACTIVE}) or to fill the cold
 * pool ({@link #COLD}): a cold-pool worker loads its model and benchmarks like any other, then is
 * stopped, so that a later resume takes seconds instead of minutes.
 */
public enum WorkerIntent {
    ACTIVE,
    COLD
}
