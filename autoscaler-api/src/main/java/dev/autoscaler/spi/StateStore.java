package dev.autoscaler.spi;

import dev.autoscaler.StaleStateException;
import dev.autoscaler.WorkerRecord;
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

    /** The next {@code reqnum} of an endpoint: 1, 2, 3... Atomic. */
    long nextReqnum(String endpoint);

    /** The next {@code request_idx}, unique across endpoints: 1, 2, 3... Atomic. */
    long nextRequestIdx();

    // ---- workers ----

    Optional<WorkerRecord> worker(String workerId);

    Optional<WorkerRecord> workerByInstanceId(String instanceId);

    /** An endpoint's workers, in a stable order (creation order). */
    List<WorkerRecord> workers(String endpoint);

    /** Every worker of every endpoint. */
    List<WorkerRecord> allWorkers();

    /**
     * Adds a worker; the stored copy has version 1.
     *
     * @throws StaleStateException when a worker with that id exists
     */
    WorkerRecord insertWorker(WorkerRecord worker);

    /**
     * Replaces {@code current} by {@code next} if the stored version is still {@code current.version()};
     * returns the stored copy, whose version is one more.
     *
     * @throws StaleStateException when another writer got there first, or the worker is gone
     */
    WorkerRecord replaceWorker(WorkerRecord current, WorkerRecord next);

    /** Removes a worker; no-op when absent. */
    void removeWorker(String workerId);

    /**
     * Applies {@code change} to the current record until it wins the compare-and-set. The function
     * may run several times; returning its argument unchanged skips the write.
     *
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

    // ---- requests (request_idx bookkeeping) ----

    /**
     * Adds a request unless one with that index exists.
     *
     * @return the existing record, or empty when {@code request} was added (version 1)
     */
    Optional<RequestRecord> putRequestIfAbsent(RequestRecord request);

    Optional<RequestRecord> request(long requestIdx);

    /** Compare-and-set on the version; false when another writer got there first or it is gone. */
    boolean replaceRequest(RequestRecord current, RequestRecord next);

    Optional<RequestRecord> removeRequest(long requestIdx);

    /** An endpoint's requests, waiting and reserved. */
    List<RequestRecord> requests(String endpoint);

    @Override
    default void close() {
    }
}
