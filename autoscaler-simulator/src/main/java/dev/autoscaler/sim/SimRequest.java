package dev.autoscaler.sim;

/**
 * One client request of a simulation, from arrival to completion (or drop). A request whose worker
 * goes away (stopped, rebooted, errored, destroyed) while holding it goes back to waiting and is
 * routed again, as a client whose call failed would retry.
 */
final class SimRequest {
    enum Status { WAITING, ASSIGNED, DONE, DROPPED }

    final int index;
    final long arrivalNanos;
    final double cost;
    Status status = Status.WAITING;
    /** The router's request_idx of the current wait; 0 before the first /route/ call of a wait. */
    long requestIdx;
    /** When the current wait began: the arrival, or the moment its worker went away. */
    long waitingSinceNanos;
    /** When service (last) began; -1 before. */
    long startNanos = -1;
    /** The worker group of the worker that (last) took it; null before. */
    String group;
    /** The instance label of the worker that (last) took it; null before. */
    String label;
    /** How many times a worker went away while holding it. */
    int bounces;

    SimRequest(int index, long arrivalNanos, double cost) {
        this.index = index;
        this.arrivalNanos = arrivalNanos;
        this.cost = cost;
        this.waitingSinceNanos = arrivalNanos;
    }
}
