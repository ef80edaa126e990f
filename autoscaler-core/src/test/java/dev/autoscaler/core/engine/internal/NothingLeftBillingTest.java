package dev.autoscaler.core.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoscaler.AutoscalerEvent;
import dev.autoscaler.InstanceAction;
import dev.autoscaler.ProviderException;
import dev.autoscaler.WorkerIntent;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import dev.autoscaler.spi.InstanceStatus;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Every failure path ends with each instance owned, stopped or destroyed. */
class NothingLeftBillingTest {

    private static ProviderException error500() {
        return new ProviderException(ProviderException.Kind.UNAVAILABLE, "HTTP 500: Internal server error");
    }

    @Test
    @DisplayName("a destroy that fails after its endpoint was removed is retried, with backoff, until the instance is gone")
    void destroyRetriedAfterRemoval() {
        EngineHarness h = new EngineHarness(EngineHarness.endpoint().build());
        h.target(2, 0);
        h.tick();
        h.allReady(1000);
        for (int i = 0; i < 6; i++) {
            h.provider.failNext(FakeInstanceProvider.Call.DESTROY, error500());
        }

        h.engine.removeEndpoint("llm");
        h.tick(); // both destroys fail: they stay destroying
        assertThat(h.engine.stateStore().allWorkers()).hasSize(2)
                .allSatisfy(w -> assertThat(w.state()).isEqualTo(WorkerState.DESTROYING));
        assertThat(h.engine.retiringEndpointNames()).containsExactly("llm");
        assertThat(h.engine.pendingDestroys()).isEqualTo(2);

        long destroysBefore = h.provider.count("destroy");
        h.tick();
        assertThat(h.provider.count("destroy")).as("backing off: not retried on the very next tick").isLessThanOrEqualTo(destroysBefore + 2);
        for (int i = 0; i < 60 && !h.provider.instances.isEmpty(); i++) {
            h.tick();
        }
        assertThat(h.provider.instances).as("the provider confirmed every instance gone").isEmpty();
        assertThat(h.engine.stateStore().allWorkers()).isEmpty();
        h.tick(); // the retiring endpoint is forgotten once nothing of it is left
        assertThat(h.engine.retiringEndpointNames()).isEmpty();
        assertThat(h.events(AutoscalerEvent.ProviderFailed.class)).as("an event for each failure")
                .filteredOn(e -> e.action() == InstanceAction.DESTROY).hasSize(6);
    }

    @Test
    @DisplayName("a failed destroy of a live endpoint is retried too, and the retry backs off")
    void destroyBackoff() {
        EngineHarness h = new EngineHarness(EngineHarness.endpoint().build());
        h.target(1, 0);
        h.tick();
        h.allReady(1000);
        for (int i = 0; i < 1000; i++) {
            h.provider.failNext(FakeInstanceProvider.Call.DESTROY, error500());
        }
        h.target(0, 0);
        for (int i = 0; i < 12 * 10; i++) { // ten minutes of 5 s ticks
            h.tick();
        }
        long attempts = h.provider.count("destroy");
        // 2, 4, 8 ... s, capped at 5 min (at least half of each): about 8 to 14 tries in ten minutes, not 120
        assertThat(attempts).isBetween(5L, 16L);
        assertThat(h.engine.pendingDestroys()).isEqualTo(1);
        h.provider.clearFailures(FakeInstanceProvider.Call.DESTROY);
        for (int i = 0; i < 12 * 6; i++) {
            h.tick();
        }
        assertThat(h.provider.instances).isEmpty();
    }

    @Test
    @DisplayName("scale-down takes a worker still being created before the only ready one")
    void creatingGoesFirst() {
        Deque<Runnable> calls = new ArrayDeque<>();
        EngineHarness h = new EngineHarness(EngineHarness.endpoint().build(), calls::add);
        h.target(1, 0);
        h.tick();
        runAll(calls);
        h.allReady(1000);
        WorkerRecord ready = h.workers().get(0);

        h.target(2, 0);
        h.tick(); // a second create goes out, and stays in flight
        assertThat(h.count(WorkerState.CREATING)).isEqualTo(1);
        h.target(1, 0);
        h.tick();

        assertThat(h.engine.stateStore().worker(ready.workerId()).orElseThrow().state()).isEqualTo(WorkerState.READY);
        assertThat(h.provider.count("stop")).isZero();
        runAll(calls);
        WorkerRecord second = h.workers().stream().filter(w -> !w.workerId().equals(ready.workerId())).findFirst().orElseThrow();
        assertThat(second.intent()).as("it joins the cold pool once loaded").isEqualTo(WorkerIntent.COLD);
    }

    @Test
    @DisplayName("adopted running workers are never cut in favour of workers still being created")
    void capWaitsForCreates() {
        Deque<Runnable> calls = new ArrayDeque<>();
        EngineHarness h = new EngineHarness(EngineHarness.endpoint().maxWorkers(2).build(), calls::add);
        h.target(2, 0);
        h.tick(); // two creates in flight
        assertThat(h.count(WorkerState.CREATING)).isEqualTo(2);
        // meanwhile two running instances of ours show up (a restart's fleet whose list came late)
        h.provider.addExternal("autoscaler:llm:main:00000000000000a0", InstanceStatus.RUNNING);
        h.provider.addExternal("autoscaler:llm:main:00000000000000b0", InstanceStatus.RUNNING);
        h.engine.syncWithProviders();
        for (WorkerRecord w : h.workers()) {
            if (w.state() == WorkerState.LOADING) {
                h.report(w, 1000, "");
            }
        }
        assertThat(h.count(WorkerState.READY)).isEqualTo(2);

        h.tick();
        assertThat(h.provider.count("destroy")).as("nothing cut while the excess is creates in flight").isZero();
        runAll(calls); // the creates answer: their workers load
        h.tick();
        assertThat(h.count(WorkerState.READY)).as("the adopted ready workers stay").isEqualTo(2);
        assertThat(h.count(WorkerState.DESTROYING)).as("the two just created, still loading, go").isEqualTo(2);
        runAll(calls);
        assertThat(h.provider.count("destroy")).isEqualTo(2);
        assertThat(h.workers()).hasSize(2).allSatisfy(w -> assertThat(w.state()).isEqualTo(WorkerState.READY));
    }

    private static void runAll(Deque<Runnable> calls) {
        while (!calls.isEmpty()) {
            calls.poll().run();
        }
    }
}
