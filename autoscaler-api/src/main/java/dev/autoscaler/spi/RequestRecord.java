package dev.autoscaler.spi;

import java.util.Objects;

/**
 * The engine's bookkeeping of one routed request, keyed by {@code request_idx}: counted once as
 * demand when first seen, then reserved on a worker until the worker's reports account for it.
 *
 * @param requestIdx     the request's index
 * @param endpoint       the endpoint's name
 * @param cost           its cost, perf units
 * @param firstSeenNanos monotonic time of its first {@code /route/} call
 * @param workerId       the worker it was routed to; empty while it waits
 * @param reqnum         the endpoint's request counter at routing; 0 while it waits
 * @param version        bumped by the store on each update
 */
public record RequestRecord(long requestIdx, String endpoint, double cost, long firstSeenNanos, String workerId,
                            long reqnum, long version) {
    public RequestRecord {
        Objects.requireNonNull(endpoint, "endpoint");
        workerId = Objects.requireNonNullElse(workerId, "");
    }

    /**
     * Whether the request still waits for a worker.
     *
     * @return true until it is routed
     */
    public boolean isWaiting() {
        return workerId.isEmpty();
    }

    /**
     * This request, routed.
     *
     * @param worker the worker id it was routed to
     * @param routedReqnum the {@code reqnum} of the route answer
     * @return a copy marked routed
     */
    public RequestRecord routedTo(String worker, long routedReqnum) {
        return new RequestRecord(requestIdx, endpoint, cost, firstSeenNanos, worker, routedReqnum, version);
    }
}
