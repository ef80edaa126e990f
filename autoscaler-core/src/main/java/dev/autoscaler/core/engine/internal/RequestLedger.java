package dev.autoscaler.core.engine.internal;

import dev.autoscaler.WorkerRecord;
import dev.autoscaler.spi.RequestRecord;
import dev.autoscaler.spi.StateStore;
import java.util.Collection;
import java.util.Optional;

/**
 * Ends the router's reservations. A request routed to a worker is held twice in the store: as a
 * {@link RequestRecord} with its worker id, and as part of that worker's
 * {@link WorkerRecord#reservedLoad()}. The rule that keeps the two consistent without transactions:
 * <em>whoever removes the request record gives back its reservation</em>. {@link StateStore#removeRequest}
 * returns the record to exactly one caller, so a reservation is given back once whichever of the
 * three ways ends it first (the worker's report lists the request in {@code working_request_idxs}, the
 * worker's {@code /delete_requests/} names it, or the router's timeout) and never leaks. A store whose
 * reservations follow its request records ({@link StateStore#reservationsFollowRequests()}) ends the
 * reservation by the removal itself, so nothing is given back here.
 */
public final class RequestLedger {
    private final StateStore store;

    public RequestLedger(StateStore store) {
        this.store = store;
    }

    /**
     * Removes a request, and gives back its reservation when it had one.
     *
     * @return the removed record; empty when it was already gone
     */
    public Optional<RequestRecord> release(long requestIdx) {
        Optional<RequestRecord> removed = store.removeRequest(requestIdx);
        removed.filter(r -> !r.isWaiting() && !store.reservationsFollowRequests())
                .ifPresent(r -> unreserve(r.workerId(), r.cost()));
        return removed;
    }

    /**
     * Removes the requests of {@code requestIdxs} that are reserved on {@code workerId}, giving their
     * reservations back. Requests reserved on another worker, or still waiting, are left alone: a
     * worker can end only its own reservations.
     *
     * @return how many were released
     */
    public int releaseOwn(String workerId, Collection<Long> requestIdxs) {
        int released = 0;
        for (RequestRecord removed : store.removeRoutedTo(workerId, requestIdxs)) {
            if (!removed.isWaiting()) {
                if (!store.reservationsFollowRequests()) {
                    unreserve(removed.workerId(), removed.cost());
                }
                released++;
            }
        }
        return released;
    }

    /**
     * For a worker's report: removes the requests it lists as in flight that were reserved on it, and
     * returns their summed cost, which the caller subtracts from the worker's reservation in the same
     * versioned update that records the report's {@code cur_load}. That way no reader ever sees the
     * work both in {@code cur_load} and in the reservation.
     */
    Taken takeListed(String workerId, Collection<Long> workingRequestIdxs) {
        double taken = 0;
        int count = 0;
        for (RequestRecord removed : store.removeRoutedTo(workerId, workingRequestIdxs)) {
            if (removed.isWaiting() || store.reservationsFollowRequests()) {
                continue;
            }
            if (removed.workerId().equals(workerId)) {
                taken += removed.cost();
                count++;
            } else {
                unreserve(removed.workerId(), removed.cost()); // cannot happen: routed records keep their worker
            }
        }
        return new Taken(taken, count);
    }

    /** What {@link #takeListed} took off a worker's reservation: the summed cost and the number of requests. */
    record Taken(double cost, int count) {
        boolean none() {
            return count == 0;
        }

        /** {@code w} with this much less reserved. */
        WorkerRecord from(WorkerRecord w) {
            return w.toBuilder().reservedLoad(lessReserved(w, cost)).reservedRequests(w.reservedRequests() - count).build();
        }
    }

    private void unreserve(String workerId, double cost) {
        store.unreserve(workerId, cost);
    }

    /** Clamped at zero: a stopped worker's reservation was zeroed while its requests were still recorded. */
    static double lessReserved(WorkerRecord w, double cost) {
        double left = w.reservedLoad() - cost;
        return left < 1e-9 ? 0 : left;
    }
}
