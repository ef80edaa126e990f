package dev.autoscaler.core.engine.internal;

/**
 * The engine's side of routing: what the router tells the engine about the requests it sees. Not
 * user API: the router gets it from {@link dev.autoscaler.core.Autoscaler#routingHooks()}, and its
 * package is not exported.
 */
public interface RoutingHooks {

    /**
     * Counts a request's cost as arriving traffic, once, when the router first sees it.
     *
     * @throws dev.autoscaler.NotFoundException for an unknown endpoint
     */
    void recordRoutedRequest(String endpoint, double cost);

    /**
     * Counts a request's cost as spill-over of an overflow group: work the router sent to that group,
     * or that waited, because every primary group was full. The policy sizes an overflow group from
     * this rate alone ({@link dev.autoscaler.GroupSnapshot#spillRateShort()}). At most once per
     * request; the work is already counted by {@link #recordRoutedRequest}.
     *
     * @throws dev.autoscaler.NotFoundException for an unknown endpoint
     */
    void recordSpillOver(String endpoint, String group, double cost);

    /**
     * Forgets a request (waiting, or routed and not yet accounted for by its worker) and gives back
     * its reservation, if it had one: a reservation or a wait timed out, or the client gave up.
     *
     * @return true when the request was known
     */
    boolean releaseRequest(long requestIdx);
}
