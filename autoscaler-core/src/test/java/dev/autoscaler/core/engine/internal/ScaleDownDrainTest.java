package dev.autoscaler.core.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoscaler.AutoscalerEvent;
import dev.autoscaler.EndpointState;
import dev.autoscaler.WorkerIntent;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * A scale-down never stops a worker that has requests in flight: through the real engine and router
 * (as {@link RollingUpdateTest} does), a busy surplus worker drains to stop. The fleet's provider
 * writes down every stop or destroy of an instance that still runs a request (that request would
 * fail) in {@link RollingFleet#violations}.
 */
@DisplayName("A scale-down drains a busy worker, then stops it")
class ScaleDownDrainTest {
    /** Three ready workers, no cold pool, room to spare. */
    final RollingFleet fleet = new RollingFleet(3, 0, 20, RollingFleet.image("vllm:1"));

    ScaleDownDrainTest() {
        fleet.bringUp();
    }

    /** Every worker gets one request of {@code steps} steps. */
    void occupyAll(int steps) {
        fleet.workers().forEach(w -> fleet.occupy(w, steps));
    }

    List<WorkerRecord> inState(WorkerState state) {
        return fleet.workers().stream().filter(w -> w.state() == state).toList();
    }

    /** Scales from 3 to 2 active with every worker busy; returns the one that drains. */
    WorkerRecord drainOne(int steps) {
        occupyAll(steps);
        fleet.active = 2;
        fleet.step(0);
        assertThat(inState(WorkerState.DRAINING)).hasSize(1);
        return inState(WorkerState.DRAINING).get(0);
    }

    List<AutoscalerEvent.WorkerStateChanged> changesOf(WorkerRecord w) {
        return fleet.stateChanges.stream().filter(c -> c.workerId().equals(w.workerId())).toList();
    }

    @Nested
    @DisplayName("a busy surplus worker")
    class BusySurplus {
        @Test
        @DisplayName("is drained, not stopped, and is neither replaced nor counted as serving")
        void drainedNotStopped() {
            long createsBefore = fleet.provider.count("create");

            WorkerRecord draining = drainOne(3);

            assertThat(draining.intent()).isEqualTo(WorkerIntent.COLD);
            assertThat(fleet.provider.count("stop")).isZero();
            assertThat(fleet.provider.instances).containsKey(draining.instanceId());
            assertThat(fleet.routable()).isEqualTo(2);
            assertThat(fleet.provider.count("create")).isEqualTo(createsBefore);
            assertThat(changesOf(draining)).last().satisfies(c -> {
                assertThat(c.from()).isEqualTo(WorkerState.READY);
                assertThat(c.reason()).contains("busy").contains("then stops");
            });
            // a drain to stop is not a rolling update
            assertThat(fleet.admin.rollout(RollingFleet.ENDPOINT, RollingFleet.GROUP).inProgress()).isFalse();
        }

        @Test
        @DisplayName("gets no request while it drains")
        void noRouteToIt() {
            WorkerRecord draining = drainOne(3);
            int routedBefore = fleet.requestsRouted;

            fleet.step(6);

            assertThat(fleet.requestsRouted - routedBefore).isEqualTo(6);
            assertThat(fleet.jobs.get(draining.instanceId())).hasSize(1); // only the request it held
            assertThat(fleet.violations).isEmpty();
        }

        @Test
        @DisplayName("is stopped once idle, fails nothing, and then counts in the cold pool")
        void stoppedOnceIdle() {
            fleet.cold = 1;
            long createsBefore = fleet.provider.count("create");
            WorkerRecord draining = drainOne(3);
            fleet.step(2);
            assertThat(fleet.worker(draining.workerId()).state()).isEqualTo(WorkerState.DRAINING);

            fleet.step(0); // its request ends: it reports idle, and the tick stops it

            WorkerRecord after = fleet.worker(draining.workerId());
            assertThat(after.state()).isEqualTo(WorkerState.STOPPED);
            assertThat(after.intent()).isEqualTo(WorkerIntent.COLD);
            assertThat(fleet.provider.calls).contains("stop " + draining.instanceId());
            assertThat(changesOf(draining)).anySatisfy(c -> {
                assertThat(c.from()).isEqualTo(WorkerState.DRAINING);
                assertThat(c.to()).isEqualTo(WorkerState.STOPPING);
                assertThat(c.reason()).contains("drained");
            });
            assertThat(fleet.engine.snapshot(RollingFleet.ENDPOINT).groups().get(0).coldCount()).isEqualTo(1);
            // while it drained it stood for the cold pool of 1: no instance was rented for the pool
            assertThat(fleet.provider.count("create")).isEqualTo(createsBefore);
            assertThat(fleet.violations).isEmpty();
        }

        @Test
        @DisplayName("one unit of surplus drains one worker, however many ticks it takes")
        void noDoubleDrain() {
            long createsBefore = fleet.provider.count("create");
            drainOne(6);

            for (int i = 0; i < 4; i++) {
                fleet.step(0);
            }

            assertThat(fleet.stateChanges).filteredOn(c -> c.to() == WorkerState.DRAINING).hasSize(1);
            assertThat(inState(WorkerState.DRAINING)).hasSize(1);
            assertThat(fleet.routable()).isEqualTo(2);
            assertThat(fleet.provider.count("stop")).isZero();
            assertThat(fleet.provider.count("create")).isEqualTo(createsBefore);
        }
    }

    @Test
    @DisplayName("an idle surplus worker is stopped at once, in the same tick, with no drain")
    void idleSurplusStoppedAtOnce() {
        List<WorkerRecord> ws = fleet.workers();
        fleet.occupy(ws.get(0), 5);
        fleet.occupy(ws.get(2), 5);
        fleet.active = 2;

        fleet.step(0);

        assertThat(fleet.worker(ws.get(1).workerId()).state()).isEqualTo(WorkerState.STOPPED);
        assertThat(fleet.provider.calls).contains("stop " + ws.get(1).instanceId());
        assertThat(fleet.stateChanges).noneMatch(c -> c.to() == WorkerState.DRAINING);
        assertThat(fleet.violations).isEmpty();
    }

    @Test
    @DisplayName("when the target rises again the draining worker is given back to service first: no create, no resume")
    void targetBackUpGivesItBack() {
        long createsBefore = fleet.provider.count("create");
        WorkerRecord draining = drainOne(10);

        fleet.active = 3;
        fleet.step(0);

        WorkerRecord after = fleet.worker(draining.workerId());
        assertThat(after.state()).isEqualTo(WorkerState.READY);
        assertThat(after.intent()).isEqualTo(WorkerIntent.ACTIVE);
        assertThat(fleet.routable()).isEqualTo(3);
        assertThat(fleet.provider.count("create")).isEqualTo(createsBefore);
        assertThat(fleet.provider.count("start")).isZero();
        assertThat(fleet.provider.count("stop")).isZero();
        assertThat(changesOf(draining)).last().satisfies(c -> {
            assertThat(c.from()).isEqualTo(WorkerState.DRAINING);
            assertThat(c.to()).isEqualTo(WorkerState.READY);
            assertThat(c.reason()).contains("back in service");
        });

        fleet.step(6); // it serves again: the router picks it too
        assertThat(fleet.jobs.get(draining.instanceId())).hasSizeGreaterThan(1);
        assertThat(fleet.violations).isEmpty();
    }

    @Test
    @DisplayName("a worker that stays busy is stopped after the drain timeout, not before; what it held then fails")
    void drainTimeout() {
        fleet.cold = 1; // the stopped worker stays in the pool, where the test can see it
        WorkerRecord draining = drainOne(Integer.MAX_VALUE); // generations that never end

        fleet.scheduler.advance(Duration.ofMinutes(9));
        assertThat(fleet.worker(draining.workerId()).state()).isEqualTo(WorkerState.DRAINING);
        assertThat(fleet.provider.count("stop")).isZero();

        fleet.scheduler.advance(Duration.ofMinutes(1).plusSeconds(5));

        assertThat(fleet.worker(draining.workerId()).state()).isEqualTo(WorkerState.STOPPED);
        assertThat(fleet.provider.calls).containsOnlyOnce("stop " + draining.instanceId());
        assertThat(changesOf(draining)).anySatisfy(c -> {
            assertThat(c.to()).isEqualTo(WorkerState.STOPPING);
            assertThat(c.reason()).contains("drain timeout").contains("stopped anyway");
        });
        assertThat(fleet.violations).containsExactly("instance " + draining.instanceId()
                + " stopped with 1 request(s) running");
    }

    @Test
    @DisplayName("a worker draining to stop whose template changes is destroyed once idle, never stopped nor given back")
    void templateChangeWhileDraining() {
        WorkerRecord draining = drainOne(3);

        fleet.changeTemplate(RollingFleet.image("vllm:2"));
        fleet.rollOut(2, 80);

        assertThat(fleet.engine.stateStore().worker(draining.workerId())).isEmpty();
        assertThat(fleet.provider.instances).doesNotContainKey(draining.instanceId());
        assertThat(fleet.provider.calls).doesNotContain("stop " + draining.instanceId());
        assertThat(changesOf(draining)).noneMatch(c -> c.from() == WorkerState.DRAINING && c.to() == WorkerState.READY);
        assertThat(fleet.violations).isEmpty();
    }

    @Test
    @DisplayName("endpoint_state stopped still stops every worker at once, the draining one included")
    void endpointStoppedStopsAtOnce() {
        WorkerRecord draining = drainOne(10);

        fleet.engine.updateEndpoint(RollingFleet.ENDPOINT, e -> e.toBuilder().state(EndpointState.STOPPED).build());
        fleet.step(0);

        assertThat(fleet.workers()).hasSize(3).allSatisfy(w -> assertThat(w.state()).isEqualTo(WorkerState.STOPPED));
        assertThat(fleet.provider.calls).contains("stop " + draining.instanceId());
    }
}
