package dev.autoscaler.core.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoscaler.AutoscalerEvent;
import dev.autoscaler.LoadReport;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import dev.autoscaler.core.store.InMemoryStateStore;
import dev.autoscaler.spi.StateStore;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
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
        RacingStore race = new RacingStore(next -> next.state() == WorkerState.DRAINING,
                current -> current.toBuilder().state(WorkerState.ERROR).errorMsg("CUDA out of memory")
                        .errorCount(current.errorCount() + 1).build());
        EngineHarness h = new EngineHarness(EngineHarness.endpoint().build(), race.store);
        h.target(1, 0);
        h.tick();
        WorkerRecord w = h.workers().get(0);
        h.engine.report(LoadReport.builder(Long.parseLong(w.instanceId()), w.mtoken())
                .maxPerf(1000).curLoad(500).numRequestsWorking(1).url(w.url()).build()); // ready, busy

        h.target(0, 1); // a busy surplus worker drains to stop
        h.tick();

        assertThat(race.racesLost).as("the drain's first compare-and-set lost").isEqualTo(1);
        assertThat(race.store.worker(w.workerId())).hasValueSatisfying(after -> assertThat(after.state()).isEqualTo(WorkerState.ERROR));
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
        RacingStore race = new RacingStore(next -> next.state() == WorkerState.DRAINING,
                current -> current.toBuilder().state(WorkerState.ERROR).build());
        race.store.insertWorker(WorkerRecord.builder("w1", "llm", "main", "label", "mtoken").state(WorkerState.READY).build());

        var update = race.store.updateWorkerIf("w1", w -> w.state() == WorkerState.READY,
                w -> w.toBuilder().state(WorkerState.DRAINING).build());

        assertThat(race.racesLost).isEqualTo(1);
        assertThat(update.applied()).isFalse();
        assertThat(update.ifApplied()).isEmpty();
        assertThat(update.worker()).hasValueSatisfying(stored -> assertThat(stored.state()).isEqualTo(WorkerState.ERROR));
        assertThat(update.before().state()).isEqualTo(WorkerState.ERROR);
    }

    /**
     * An in-memory store in which, once, another writer gets in between a caller's read and its
     * compare-and-set: the first write whose new record matches {@code trigger} finds the stored
     * record already replaced by {@code interloper} of it, and loses. {@link #store} is the store to
     * use: every call but {@code replaceWorker} goes to an {@link InMemoryStateStore}, and the
     * interface's default methods (the update loops under test) run on the store itself.
     */
    static final class RacingStore implements InvocationHandler {
        private final InMemoryStateStore delegate = new InMemoryStateStore();
        private final Predicate<WorkerRecord> trigger;
        private final UnaryOperator<WorkerRecord> interloper;
        final StateStore store = (StateStore) Proxy.newProxyInstance(StateStore.class.getClassLoader(),
                new Class<?>[] {StateStore.class}, this);
        int racesLost;

        RacingStore(Predicate<WorkerRecord> trigger, UnaryOperator<WorkerRecord> interloper) {
            this.trigger = trigger;
            this.interloper = interloper;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.isDefault()) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            if (method.getName().equals("replaceWorker")) {
                WorkerRecord current = (WorkerRecord) args[0];
                if (racesLost == 0 && trigger.test((WorkerRecord) args[1])) {
                    racesLost++;
                    delegate.replaceWorker(current, interloper.apply(current)); // the other writer wins
                }
            }
            try {
                return method.invoke(delegate, args); // a replaceWorker after the interloper is stale: throws
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}
