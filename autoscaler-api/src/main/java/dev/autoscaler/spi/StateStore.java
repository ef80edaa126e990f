package dev.autoscaler.spi;

import dev.autoscaler.StaleStateException;
import dev.autoscaler.WorkerRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Where the engine and the router keep shared state. The default lives in memory; the interface is
 * shaped so that a shared implementation (a database behind several router replicas) can follow:
 * counters are atomic, and every update is a compare-and-set on a version number.
 */
public interface StateStore extends AutoCloseable {

    /**
     * {@return the next {@code reqnum} of an endpoint: 1, 2, 3... Atomic}
     *
     * @param endpoint the endpoint's name
     */
    long nextReqnum(String endpoint);

    /** {@return the next {@code request_idx}, unique across endpoints: 1, 2, 3... Atomic} */
    long nextRequestIdx();

    // ---- workers ----

    /**
     * A worker, by the engine's worker id.
     *
     * @param workerId the worker id
     * @return the worker, or empty
     */
    Optional<WorkerRecord> worker(String workerId);

    /**
     * A worker, by its provider's instance id.
     *
     * @param instanceId the instance id
     * @return the worker, or empty
     */
    Optional<WorkerRecord> workerByInstanceId(String instanceId);

    /**
     * {@return an endpoint's workers, in a stable order (creation order)}
     *
     * @param endpoint the endpoint's name
     */
    List<WorkerRecord> workers(String endpoint);

    /** {@return every worker of every endpoint} */
    List<WorkerRecord> allWorkers();

    /**
     * Adds a worker; the stored copy has version 1.
     *
     * @param worker the new worker
     * @return the stored copy
     * @throws StaleStateException when a worker with that id exists
     */
    WorkerRecord insertWorker(WorkerRecord worker);

    /**
     * Replaces {@code current} by {@code next} if the stored version is still {@code current.version()};
     * returns the stored copy, whose version is one more.
     *
     * @param current the record as read
     * @param next what it becomes
     * @return the stored copy
     * @throws StaleStateException when another writer got there first, or the worker is gone
     */
    WorkerRecord replaceWorker(WorkerRecord current, WorkerRecord next);

    /**
     * Removes a worker; no-op when absent.
     *
     * @param workerId the worker id
     */
    void removeWorker(String workerId);

    /**
     * Applies {@code change} to the current record until it wins the compare-and-set. The function
     * may run several times; returning its argument unchanged skips the write.
     *
     * @param workerId the worker id
     * @param change from the current record to the next; may run more than once
     * @return the stored record, or empty when the worker does not exist
     */
    default Optional<WorkerRecord> updateWorker(String workerId, UnaryOperator<WorkerRecord> change) {
        return updateWorkerIf(workerId, w -> true, change).worker();
    }

    /**
     * Applies {@code change} to the current record when {@code condition} holds for it, until the
     * compare-and-set wins or the condition fails. Both functions may run several times, on newer
     * records each time: they must not have side effects. Whether the change was written is in the
     * outcome, taken from the last attempt only; an event or a count that follows an update is
     * decided by {@link WorkerUpdate#applied()}, never by a flag set inside {@code change}.
     *
     * @return what was done: the record seen and the record stored, and whether {@code change} was
     *         written ({@code condition} held and {@code change} returned a new record)
     */
    default WorkerUpdate updateWorkerIf(String workerId, Predicate<? super WorkerRecord> condition,
                                        UnaryOperator<WorkerRecord> change) {
        while (true) {
            Optional<WorkerRecord> read = worker(workerId);
            if (read.isEmpty()) {
                return WorkerUpdate.absent();
            }
            WorkerRecord current = read.get();
            if (!condition.test(current)) {
                return new WorkerUpdate(current, current, false);
            }
            WorkerRecord next = change.apply(current);
            if (next == current) {
                return new WorkerUpdate(current, current, false);
            }
            try {
                return new WorkerUpdate(current, replaceWorker(current, next), true);
            } catch (StaleStateException lostRace) {
                // another writer changed it: read again, test again and re-apply
            }
        }
    }

    /**
     * The router's reservation: adds {@code cost} (and one request) to the worker's
     * {@link WorkerRecord#reservedLoad()} when {@code condition} holds for it, atomically with the test
     * (concurrent reservations cannot both pass a bound that only one fits). The reservation is then
     * carried by the request record the router marks routed, or given back with {@link #unreserve}.
     * By default one {@link #updateWorkerIf}; a shared store may keep it in memory (see
     * {@link #reservationsFollowRequests()}).
     *
     * @return the worker as reserved, or empty when it is gone or the condition failed
     */
    default Optional<WorkerRecord> reserve(String workerId, Predicate<? super WorkerRecord> condition, double cost) {
        return updateWorkerIf(workerId, condition, w -> w.toBuilder().reservedLoad(w.reservedLoad() + cost)
                .reservedRequests(w.reservedRequests() + 1).build()).ifApplied();
    }

    /**
     * Gives back a reservation made by {@link #reserve} that no request record took up (the route
     * failed after reserving), or, unless {@link #reservationsFollowRequests()}, the reservation of a
     * routed request record that was removed. Clamped at zero.
     *
     * @param workerId the worker
     * @param cost     the cost reserved
     */
    default void unreserve(String workerId, double cost) {
        updateWorker(workerId, w -> {
            double left = w.reservedLoad() - cost;
            return w.toBuilder().reservedLoad(left < 1e-9 ? 0 : left).reservedRequests(w.reservedRequests() - 1).build();
        });
    }

    /**
     * Whether this store derives each worker's {@code reservedLoad} and {@code reservedRequests} from
     * its routed request records (a record marked routed to a worker holds its cost there until it is
     * removed). Then removing a routed record ends its reservation by itself, exactly once, and the
     * engine must not give it back again; the reserved fields of a worker written through
     * {@link #replaceWorker} are ignored. False by default: the reservation is a field of the worker,
     * which whoever removes the record gives back.
     *
     * @return true when removing a routed record ends its reservation
     */
    default boolean reservationsFollowRequests() {
        return false;
    }

    /**
     * Whether a call may wait on I/O (a database across a network). A non-blocking HTTP server then
     * answers the API on worker threads rather than on its event loops, so that a slow or unreachable
     * database holds those threads, not every connection of an event loop. False by default: an
     * in-memory store answers in microseconds.
     *
     * @return true when calls may block on I/O
     */
    default boolean mayBlock() {
        return false;
    }

    /**
     * Checks that the store can serve now: what a readiness probe asks. By default one lookup. A
     * store that serves from its own view of a shared database checks that view's age instead, with
     * no round trip, so that it reports ready exactly while it routes.
     *
     * @throws RuntimeException (a {@link dev.autoscaler.StoreUnavailableException} for a store out of
     *                          reach) when it cannot
     */
    default void checkAvailable() {
        worker("");
    }

    /**
     * A worker named a request that this store has no record of, as working (its report's
     * {@code working_request_idxs}) or done (its {@code /delete_requests/}). Usually the request ended
     * already; a store whose records can arrive after such a name (written in batches by another
     * replica) keeps the name for a while and removes the record, if it is reserved on that worker,
     * when it arrives, so that its reservation ends then rather than at the router's timeout. By
     * default nothing.
     *
     * @param workerId   the worker that named it
     * @param requestIdx the request's index
     */
    default void requestEndedUnseen(String workerId, long requestIdx) {
    }

    /**
     * Removes, of the requests a worker names (its report's {@code working_request_idxs}, its {@code
     * /delete_requests/}), those routed to that worker, and returns the records removed; a name this
     * store has no record of is told to {@link #requestEndedUnseen}. Requests still waiting or routed
     * to another worker are left alone: a worker ends only its own. By default one
     * {@link #request} and one {@link #removeRequest} per name; a shared store does it in one round
     * trip, so that a report's cost does not grow with the requests it lists.
     *
     * @param workerId    the worker that named them
     * @param requestIdxs the names, in any order; nulls are skipped
     * @return the records removed (each handed to this caller only)
     */
    default List<RequestRecord> removeRoutedTo(String workerId, Collection<Long> requestIdxs) {
        List<RequestRecord> removed = new ArrayList<>();
        for (Long idx : requestIdxs) {
            if (idx == null) {
                continue;
            }
            Optional<RequestRecord> r = request(idx);
            if (r.isEmpty()) {
                requestEndedUnseen(workerId, idx);
            } else if (r.get().workerId().equals(workerId)) {
                removeRequest(idx).ifPresent(removed::add);
            }
        }
        return removed;
    }

    // ---- requests (request_idx bookkeeping) ----

    /**
     * Adds a request unless one with that index exists.
     *
     * @param request the new request
     * @return the existing record, or empty when {@code request} was added (version 1)
     */
    Optional<RequestRecord> putRequestIfAbsent(RequestRecord request);

    /**
     * A request record.
     *
     * @param requestIdx its {@code request_idx}
     * @return the record, or empty
     */
    Optional<RequestRecord> request(long requestIdx);

    /**
     * Compare-and-set on the version; false when another writer got there first or it is gone.
     *
     * @param current the record as read
     * @param next what it becomes
     * @return true when it was replaced
     */
    boolean replaceRequest(RequestRecord current, RequestRecord next);

    /**
     * Removes a request record.
     *
     * @param requestIdx its {@code request_idx}
     * @return the record removed, or empty when there was none
     */
    Optional<RequestRecord> removeRequest(long requestIdx);

    /**
     * {@return an endpoint's requests, waiting and reserved}
     *
     * @param endpoint the endpoint's name
     */
    List<RequestRecord> requests(String endpoint);

    @Override
    default void close() {
    }
}
