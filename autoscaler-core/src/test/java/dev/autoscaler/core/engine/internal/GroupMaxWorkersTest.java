package dev.autoscaler.core.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoscaler.AutoscalerEvent;
import dev.autoscaler.EndpointConfig;
import dev.autoscaler.GroupTarget;
import dev.autoscaler.ScalingDecision;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("A group's own max_workers holds like the endpoint's")
class GroupMaxWorkersTest {

    static EndpointConfig.Builder endpoint(WorkerGroupConfig... groups) {
        EndpointConfig.Builder b = EndpointConfig.builder("llm").coldWorkers(0).coldDestroyDelay(Duration.ZERO);
        for (WorkerGroupConfig g : groups) {
            b.addGroup(g);
        }
        return b;
    }

    static WorkerGroupConfig group(String name, Integer maxWorkers) {
        return WorkerGroupConfig.builder(name).maxWorkers(maxWorkers).build();
    }

    static WorkerGroupConfig overflow(String name) {
        return WorkerGroupConfig.builder(name).overflow(true).build();
    }

    /** The policy asks for these targets, group by group in the order given. */
    static void ask(EngineHarness h, Object... nameActiveCold) {
        Map<String, GroupTarget> targets = new LinkedHashMap<>();
        for (int i = 0; i < nameActiveCold.length; i += 3) {
            targets.put((String) nameActiveCold[i], new GroupTarget((int) nameActiveCold[i + 1], (int) nameActiveCold[i + 2]));
        }
        h.policy = s -> ScalingDecision.of(targets, "asked " + targets);
    }

    static long counted(EngineHarness h, String group) {
        return h.workers().stream().filter(w -> w.group().equals(group) && w.state().isCounted()).count();
    }

    @Nested
    @DisplayName("the decision")
    class Decision {
        @Test
        @DisplayName("is clamped to the group's cap, active kept before cold, and the reason says so")
        void clampedColdFirst() {
            EngineHarness h = new EngineHarness(endpoint(group("h100", 2), group("a100", null)).build());
            ask(h, "h100", 1, 3, "a100", 4, 1);

            h.tick();

            assertThat(h.engine.targets("llm")).containsEntry("h100", new GroupTarget(1, 1))
                    .containsEntry("a100", new GroupTarget(4, 1));
            assertThat(h.events(AutoscalerEvent.DecisionMade.class).get(0).reason())
                    .contains("clamped to group max_workers: h100 2").doesNotContain("clamped to max_workers");
        }

        @Test
        @DisplayName("loses cold before active: an active wish above the cap keeps the cap in active workers")
        void activeWishAboveCap() {
            EngineHarness h = new EngineHarness(endpoint(group("canary", 2)).build());
            ask(h, "canary", 5, 3);

            h.tick();

            assertThat(h.engine.targets("llm")).containsEntry("canary", new GroupTarget(2, 0));
            assertThat(h.workers()).hasSize(2);
        }

        @Test
        @DisplayName("a cap of 0 holds the group empty")
        void zeroCap() {
            EngineHarness h = new EngineHarness(endpoint(group("off", 0), group("main", null)).build());
            ask(h, "off", 3, 1, "main", 1, 0);

            h.tick();

            assertThat(h.engine.targets("llm")).containsEntry("off", new GroupTarget(0, 0));
            assertThat(h.workers()).extracting(WorkerRecord::group).containsExactly("main");
        }
    }

    @Nested
    @DisplayName("the endpoint clamp, after the group caps")
    class EndpointClamp {
        @Test
        @DisplayName("trims overflow groups before primary ones, whatever their order in the config")
        void overflowTrimmedFirst() {
            // the overflow group comes first in config order: the old rule (last group first) would trim main
            EngineHarness h = new EngineHarness(endpoint(overflow("spill"), group("main", null)).maxWorkers(4).build());
            ask(h, "spill", 3, 0, "main", 3, 0);

            h.tick();

            assertThat(h.engine.targets("llm")).containsEntry("main", new GroupTarget(3, 0))
                    .containsEntry("spill", new GroupTarget(1, 0));
            assertThat(h.events(AutoscalerEvent.DecisionMade.class).get(0).reason()).contains("clamped to max_workers 4");
        }

        @Test
        @DisplayName("trims every cold target (overflow, then primary) before any active one")
        void coldBeforeActive() {
            EngineHarness h = new EngineHarness(endpoint(group("main", null), overflow("spill")).maxWorkers(4).build());
            ask(h, "main", 2, 2, "spill", 2, 1);

            h.tick();

            assertThat(h.engine.targets("llm")).containsEntry("main", new GroupTarget(2, 0))
                    .containsEntry("spill", new GroupTarget(2, 0));
        }

        @Test
        @DisplayName("a custom policy's (4,0) + (4,0) under an endpoint cap of 6 is (3,0) + (3,0), the documented split")
        void customPolicyGetsTheDocumentedSplit() {
            EngineHarness h = new EngineHarness(endpoint(group("a", null), group("b", null)).maxWorkers(6).build());
            ask(h, "a", 4, 0, "b", 4, 0);

            h.tick();

            assertThat(h.engine.targets("llm")).containsEntry("a", new GroupTarget(3, 0))
                    .containsEntry("b", new GroupTarget(3, 0));
            assertThat(counted(h, "a")).isEqualTo(3);
            assertThat(counted(h, "b")).isEqualTo(3);
            assertThat(h.events(AutoscalerEvent.DecisionMade.class).get(0).reason())
                    .contains("clamped to max_workers 6: 2 fewer active");
        }

        @Test
        @DisplayName("shares out the room the capped primary cannot use: the overflow group is not starved")
        void cappedPrimaryLeavesRoomToOverflow() {
            EngineHarness h = new EngineHarness(endpoint(group("fast", 1), overflow("cheap")).maxWorkers(5).build());
            ask(h, "fast", 10, 0, "cheap", 4, 0);

            h.tick();

            assertThat(h.engine.targets("llm")).containsEntry("fast", new GroupTarget(1, 0))
                    .containsEntry("cheap", new GroupTarget(4, 0));
            assertThat(h.events(AutoscalerEvent.DecisionMade.class).get(0).reason())
                    .contains("clamped to group max_workers: fast 1").doesNotContain("clamped to max_workers");
        }
    }

    @Nested
    @DisplayName("the reconciler")
    class Reconciling {
        @Test
        @DisplayName("counts creates still in flight: a cold wish while they are pending creates nothing more")
        void createsInFlightUseUpTheRoom() {
            Deque<Runnable> pending = new ArrayDeque<>();
            EngineHarness h = new EngineHarness(endpoint(group("h100", 2)).build(), pending::add);
            ask(h, "h100", 2, 0);
            h.tick();
            assertThat(h.count(WorkerState.CREATING)).isEqualTo(2);

            // still creating: they cannot be re-marked for the pool, so the pool looks empty
            ask(h, "h100", 0, 2);
            h.tick();
            h.tick();

            assertThat(h.workers()).hasSize(2);
            assertThat(pending).hasSize(2);
        }

        @Test
        @DisplayName("never has more workers in the group than its cap at any instant, other groups unaffected")
        void neverAboveCapAtAnyInstant() {
            EngineHarness h = new EngineHarness(endpoint(group("h100", 3), group("a100", null)).build());
            long[] peak = {0};
            h.engine.addListener(new dev.autoscaler.spi.AutoscalerListener() {
                @Override
                public void onWorkerStateChanged(AutoscalerEvent.WorkerStateChanged e) {
                    peak[0] = Math.max(peak[0], counted(h, "h100"));
                }
            });
            ask(h, "h100", 2, 0, "a100", 2, 0);
            h.tick();
            h.allReady(1000);
            ask(h, "h100", 0, 2, "a100", 0, 2);
            h.tick();
            ask(h, "h100", 6, 6, "a100", 6, 6);
            h.tick();
            h.allReady(1000);
            h.tick();

            assertThat(peak[0]).isLessThanOrEqualTo(3);
            assertThat(counted(h, "h100")).isEqualTo(3);
            assertThat(counted(h, "a100")).isEqualTo(12);
        }

        @Test
        @DisplayName("a cap lowered below the group's count destroys its stopped workers first")
        void loweredCapCutsStoppedFirst() {
            EngineHarness h = new EngineHarness(endpoint(group("h100", null), group("a100", null)).build());
            ask(h, "h100", 2, 2, "a100", 0, 1);
            h.tick();
            h.allReady(1000);
            h.tick();
            assertThat(h.count(WorkerState.STOPPED)).isEqualTo(3);

            h.engine.putEndpoint(endpoint(group("h100", 2), group("a100", null)).build());
            h.tick();

            assertThat(h.workers()).filteredOn(w -> w.group().equals("h100")).hasSize(2)
                    .allSatisfy(w -> assertThat(w.state()).isEqualTo(WorkerState.READY));
            assertThat(h.workers()).filteredOn(w -> w.group().equals("a100")).singleElement()
                    .satisfies(w -> assertThat(w.state()).isEqualTo(WorkerState.STOPPED));
            assertThat(h.events(AutoscalerEvent.InstanceActionTaken.class)).filteredOn(e -> e.reason().contains("above group"))
                    .hasSize(2);
        }

        @Test
        @DisplayName("a cap lowered below the ready workers destroys idle ones before busy ones")
        void loweredCapCutsIdleBeforeBusy() {
            EngineHarness h = new EngineHarness(endpoint(group("h100", null)).build());
            ask(h, "h100", 3, 0);
            h.tick();
            h.allReady(1000);
            WorkerRecord busy = h.workers().get(1);
            h.engine.report(dev.autoscaler.LoadReport.builder(Long.parseLong(busy.instanceId()), busy.mtoken())
                    .maxPerf(1000).curLoad(500).url(busy.url()).build());

            h.engine.putEndpoint(endpoint(group("h100", 1)).build());
            h.tick();

            assertThat(h.workers()).filteredOn(w -> w.state().isCounted() && w.state() != WorkerState.DESTROYING)
                    .extracting(WorkerRecord::workerId).containsExactly(busy.workerId());
        }
    }
}
