package dev.autoscaler.core.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoscaler.AutoscalerEvent;
import dev.autoscaler.LoadReport;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import dev.autoscaler.core.store.InMemoryStateStore;
import dev.autoscaler.spi.RequestRecord;
import dev.autoscaler.spi.StateStore;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A move whose compare-and-set loses to another writer, and whose re-run finds nothing left to do,
 * publishes no event and counts no move. Under {@code serve} the other writer is a report arriving on
 * an HTTP thread between the engine's read and its write; here a store makes that happen on purpose,
 * once, at the moment the engine writes.
 */
@DisplayName("A conditional update that loses the race publishes nothing")
class LostRaceTest {

    @Test
    @DisplayName("a drain to stop overtaken by an error report: no ready -> draining event, no drain counted")
    void drainOvertakenByErrorReport() {
        // The other writer: the worker reports an error, so it is no longer ready when the drain's
        // compare-and-set is tried; the re-run sees an errored worker and leaves it alone.
        RacingStore store = new RacingStore(next -> next.state() == WorkerState.DRAINING,
                current -> current.toBuilder().state(WorkerState.ERROR).errorMsg("CUDA out of memory")
                        .errorCount(current.errorCount() + 1).build());
        EngineHarness h = new EngineHarness(EngineHarness.endpoint().build(), store);
        h.target(1, 0);
        h.tick();
        WorkerRecord w = h.workers().get(0);
        h.engine.report(LoadReport.builder(Long.parseLong(w.instanceId()), w.mtoken())
                .maxPerf(1000).curLoad(500).numRequestsWorking(1).url(w.url()).build()); // ready, busy

        h.target(0, 1); // a busy surplus worker drains to stop
        h.tick();

        assertThat(store.racesLost).as("the drain's first compare-and-set lost").isEqualTo(1);
        assertThat(store.worker(w.workerId())).hasValueSatisfying(after -> assertThat(after.state()).isEqualTo(WorkerState.ERROR));
        // Not counted as draining to the pool either: the pool's place is filled by a new worker.
        assertThat(h.workers()).filteredOn(other -> !other.workerId().equals(w.workerId()))
                .singleElement().satisfies(created -> assertThat(created.state()).isEqualTo(WorkerState.LOADING));
        List<AutoscalerEvent.WorkerStateChanged> drains = h.events(AutoscalerEvent.WorkerStateChanged.class).stream()
                .filter(e -> e.to() == WorkerState.DRAINING).toList();
        assertThat(drains).isEmpty();
    }

    @Test
    @DisplayName("the store's outcome says not applied when the re-run finds the condition false")
    void outcomeOfALostRace() {
        RacingStore store = new RacingStore(next -> next.state() == WorkerState.DRAINING,
                current -> current.toBuilder().state(WorkerState.ERROR).build());
        store.insertWorker(WorkerRecord.builder("w1", "llm", "main", "label", "mtoken").state(WorkerState.READY).build());

        var update = store.updateWorkerIf("w1", w -> w.state() == WorkerState.READY,
                w -> w.toBuilder().state(WorkerState.DRAINING).build());

        assertThat(store.racesLost).isEqualTo(1);
        assertThat(update.applied()).isFalse();
        assertThat(update.ifApplied()).isEmpty();
        assertThat(update.worker()).hasValueSatisfying(stored -> assertThat(stored.state()).isEqualTo(WorkerState.ERROR));
        assertThat(update.before().state()).isEqualTo(WorkerState.ERROR);
    }

    /**
     * An in-memory store in which, once, another writer gets in between a caller's read and its
     * compare-and-set: the first write whose new record matches {@code trigger} finds the stored
     * record already replaced by {@code interloper} of it, and loses.
     */
    static final class RacingStore implements StateStore {
        private final InMemoryStateStore delegate = new InMemoryStateStore();
        private final Predicate<WorkerRecord> trigger;
        private final UnaryOperator<WorkerRecord> interloper;
        int racesLost;

        RacingStore(Predicate<WorkerRecord> trigger, UnaryOperator<WorkerRecord> interloper) {
            this.trigger = trigger;
            this.interloper = interloper;
        }

        @Override
        public WorkerRecord replaceWorker(WorkerRecord current, WorkerRecord next) {
            if (racesLost == 0 && trigger.test(next)) {
                racesLost++;
                delegate.replaceWorker(current, interloper.apply(current)); // the other writer wins
            }
            return delegate.replaceWorker(current, next); // stale now: throws, and the caller re-reads
        }

        @Override
        public long nextReqnum(String endpoint) {
            return delegate.nextReqnum(endpoint);
        }

        @Override
        public long nextRequestIdx() {
            return delegate.nextRequestIdx();
        }

        @Override
        public Optional<WorkerRecord> worker(String workerId) {
            return delegate.worker(workerId);
        }

        @Override
        public Optional<WorkerRecord> workerByInstanceId(String instanceId) {
            return delegate.workerByInstanceId(instanceId);
        }

        @Override
        public List<WorkerRecord> workers(String endpoint) {
            return delegate.workers(endpoint);
        }

        @Override
        public List<WorkerRecord> allWorkers() {
            return delegate.allWorkers();
        }

        @Override
        public WorkerRecord insertWorker(WorkerRecord worker) {
            return delegate.insertWorker(worker);
        }

        @Override
        public void removeWorker(String workerId) {
            delegate.removeWorker(workerId);
        }

        @Override
        public Optional<RequestRecord> putRequestIfAbsent(RequestRecord request) {
            return delegate.putRequestIfAbsent(request);
        }

        @Override
        public Optional<RequestRecord> request(long requestIdx) {
            return delegate.request(requestIdx);
        }

        @Override
        public boolean replaceRequest(RequestRecord current, RequestRecord next) {
            return delegate.replaceRequest(current, next);
        }

        @Override
        public Optional<RequestRecord> removeRequest(long requestIdx) {
            return delegate.removeRequest(requestIdx);
        }

        @Override
        public List<RequestRecord> requests(String endpoint) {
            return delegate.requests(endpoint);
        }
    }
}
