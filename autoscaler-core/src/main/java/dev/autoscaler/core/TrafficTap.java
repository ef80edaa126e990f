package dev.autoscaler.core;

/**
 * Sees the traffic an engine's router counts, for a host that runs several engines on one shared
 * store (replicas behind one load balancer): each engine's load windows hold only what its own
 * router saw, so the host passes each engine's traffic to the others with
 * {@link Autoscaler#countTraffic}. Called on the routing thread: it must be quick and must not block.
 */
@FunctionalInterface
public interface TrafficTap {

    /**
     * A request's cost counted by this engine's router.
     *
     * @param endpoint the endpoint
     * @param group    empty for arriving traffic; a group's name for spill-over to that overflow group
     * @param cost     the request's cost, perf units
     */
    void counted(String endpoint, String group, double cost);
}
