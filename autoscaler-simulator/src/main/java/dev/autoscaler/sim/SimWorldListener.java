package dev.autoscaler.sim;

/** What the simulated world tells the simulation about requests and instances. */
interface SimWorldListener {
    SimWorldListener NONE = new SimWorldListener() {
    };

    /** A request entered service on a worker. */
    default void requestStarted(SimRequest request, long nowNanos) {
    }

    /** A request's service finished. */
    default void requestCompleted(SimRequest request, long nowNanos) {
    }

    /** A worker went away while holding the request; it must be routed again. */
    default void requestBounced(SimRequest request, long nowNanos) {
    }

    /** A request waited for a worker longer than the drop limit: the client gave up. */
    default void requestDropped(SimRequest request, long nowNanos) {
    }

    /** The number of an endpoint's live (not destroyed) instances changed. */
    default void instancesChanged(String endpoint, int live, long nowNanos) {
    }
}
