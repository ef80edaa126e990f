package dev.autoscaler.core.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autoscaler.EndpointConfig;
import dev.autoscaler.GroupSnapshot;
import dev.autoscaler.GroupTarget;
import dev.autoscaler.InvalidConfigException;
import dev.autoscaler.LoadReport;
import dev.autoscaler.ManualClock;
import dev.autoscaler.ManualScheduler;
import dev.autoscaler.NotFoundException;
import dev.autoscaler.ScalingDecision;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import dev.autoscaler.AlreadyExistsException;
import dev.autoscaler.core.Autoscaler;
import dev.autoscaler.core.AutoscalerAdmin;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Endpoints and groups changed while the engine runs: what is removed is drained, then destroyed
 * on its own provider, so that no instance is left billing.
 */
class AdminChangesTest {
    final ManualClock clock = new ManualClock();
    final ManualScheduler scheduler = new ManualScheduler(clock);
    final FakeInstanceProvider main = new FakeInstanceProvider(1000);
    final FakeInstanceProvider spare = new FakeInstanceProvider(5000);
    /** Every configured group gets two active workers. */
    final Autoscaler engine = Autoscaler.builder()
            .clock(clock).scheduler(scheduler)
            .provider(main).provider("spare", spare)
            .secret(EngineHarness.SECRET)
            .random((RandomGenerator) new SplittableRandom(42))
            .policies((name, params) -> snapshot -> {
                Map<String, GroupTarget> targets = new LinkedHashMap<>();
                for (GroupSnapshot g : snapshot.groups()) {
                    targets.put(g.name(), new GroupTarget(2, 0));
                }
                return ScalingDecision.of(targets, "two each");
            })
            .endpoint(EndpointConfig.builder("llm").coldWorkers(0).coldDestroyDelay(Duration.ZERO)
                    .addGroup(WorkerGroupConfig.builder("a100").build())
                    .addGroup(WorkerGroupConfig.builder("h100").provider("spare").build())
                    .build())
            .build();
    final AutoscalerAdmin admin = new AutoscalerAdmin(engine);

    AdminChangesTest() {
        engine.start();
    }

    void tick() {
        scheduler.advance(Duration.ofSeconds(5));
    }

    /** Two ready workers per group, on their providers. */
    void runningTwoPerGroup() {
        tick();
        for (WorkerRecord w : engine.workers("llm")) {
            report(w, 0);
        }
        assertThat(engine.workers("llm")).hasSize(4).allMatch(w -> w.state() == WorkerState.READY);
        assertThat(spare.instances).hasSize(2);
    }

    WorkerRecord report(WorkerRecord w, double curLoad) {
        return engine.report(LoadReport.builder(Long.parseLong(w.instanceId()), w.mtoken())
                .maxPerf(100).curLoad(curLoad).url(w.url()).build());
    }

    List<WorkerRecord> group(String name) {
        return engine.stateStore().workers("llm").stream().filter(w -> w.group().equals(name)).toList();
    }

    @Nested
    @DisplayName("removing a group")
    class RemovingAGroup {
        @Test
        @DisplayName("destroys its idle workers at the next tick, on the group's own provider")
        void destroysIdleWorkersOnItsProvider() {
            runningTwoPerGroup();

            admin.removeGroup("llm", "h100");
            tick();

            assertThat(spare.instances).isEmpty();
            assertThat(spare.count("destroy")).isEqualTo(2);
            assertThat(main.count("destroy")).isZero();
            assertThat(group("h100")).isEmpty();
            assertThat(main.instances).hasSize(2);
        }

        @Test
        @DisplayName("leaves a busy worker alone until it is idle, then destroys it: no instance is left")
        void drainsThenDestroys() {
            runningTwoPerGroup();
            WorkerRecord busy = group("h100").get(0);
            report(busy, 50);

            admin.removeGroup("llm", "h100");
            tick();

            assertThat(spare.instances).containsOnlyKeys(busy.instanceId());
            assertThat(group("h100")).singleElement().extracting(WorkerRecord::state).isEqualTo(WorkerState.READY);

            report(busy, 0);
            tick();

            assertThat(spare.instances).isEmpty();
            assertThat(group("h100")).isEmpty();
        }

        @Test
        @DisplayName("refuses to remove the last group, naming group_name")
        void lastGroupStays() {
            admin.removeGroup("llm", "h100");

            assertThatThrownBy(() -> admin.removeGroup("llm", "a100"))
                    .isInstanceOf(InvalidConfigException.class)
                    .satisfies(e -> assertThat(((InvalidConfigException) e).field()).isEqualTo("group_name"));
        }

        @Test
        @DisplayName("is a NotFoundException for an unknown group")
        void unknownGroup() {
            assertThatThrownBy(() -> admin.removeGroup("llm", "tpu")).isInstanceOf(NotFoundException.class)
                    .hasMessageContaining("tpu");
        }
    }

    @Nested
    @DisplayName("adding and changing groups")
    class ChangingGroups {
        @Test
        @DisplayName("a new group is scaled at the next tick")
        void newGroupScaled() {
            runningTwoPerGroup();

            admin.createGroup("llm", WorkerGroupConfig.builder("l40s").build());
            tick();

            assertThat(group("l40s")).hasSize(2);
        }

        @Test
        @DisplayName("creating a group that exists is an AlreadyExistsException, and changes nothing")
        void duplicateGroup() {
            assertThatThrownBy(() -> admin.createGroup("llm", WorkerGroupConfig.builder("a100").weight(5).build()))
                    .isInstanceOf(AlreadyExistsException.class);
            assertThat(engine.endpoint("llm").group("a100").orElseThrow().weight()).isEqualTo(1);
        }

        @Test
        @DisplayName("a group naming an unknown provider is refused, naming its field")
        void unknownProvider() {
            assertThatThrownBy(() -> admin.putGroup("llm", WorkerGroupConfig.builder("tpu").provider("gcp").build()))
                    .isInstanceOf(InvalidConfigException.class)
                    .satisfies(e -> assertThat(((InvalidConfigException) e).field()).isEqualTo("groups[2].provider"));
            assertThat(engine.endpoint("llm").groups()).hasSize(2);
        }

        @Test
        @DisplayName("setWeight changes one group's weight and keeps its place and other settings")
        void setWeight() {
            admin.setWeight("llm", "h100", 10);

            EndpointConfig after = engine.endpoint("llm");
            assertThat(after.groups()).extracting(WorkerGroupConfig::name).containsExactly("a100", "h100");
            assertThat(after.group("h100").orElseThrow().weight()).isEqualTo(10);
            assertThat(after.group("h100").orElseThrow().provider()).contains("spare");
        }

        @Test
        @DisplayName("a negative weight is refused, naming weight")
        void negativeWeight() {
            assertThatThrownBy(() -> admin.setWeight("llm", "h100", -1))
                    .isInstanceOf(InvalidConfigException.class)
                    .satisfies(e -> assertThat(((InvalidConfigException) e).field()).isEqualTo("weight"));
        }
    }

    @Nested
    @DisplayName("removing an endpoint")
    class RemovingAnEndpoint {
        @Test
        @DisplayName("it is gone at once, and its workers are destroyed on their providers at the next tick")
        void destroysEverything() {
            runningTwoPerGroup();

            admin.removeEndpoint("llm");

            assertThat(engine.endpointNames()).isEmpty();
            assertThatThrownBy(() -> engine.endpoint("llm")).isInstanceOf(NotFoundException.class);
            assertThat(engine.retiringEndpointNames()).containsExactly("llm");

            tick();
            tick();

            assertThat(main.instances).isEmpty();
            assertThat(spare.instances).isEmpty();
            assertThat(engine.stateStore().workers("llm")).isEmpty();
            assertThat(engine.retiringEndpointNames()).isEmpty();
        }

        @Test
        @DisplayName("a busy worker is drained first: it still reports, and is destroyed once idle")
        void drainsBusyWorkers() {
            runningTwoPerGroup();
            WorkerRecord busy = group("a100").get(0);
            report(busy, 80);

            admin.removeEndpoint("llm");
            tick();

            assertThat(main.instances).containsOnlyKeys(busy.instanceId());
            assertThat(spare.instances).isEmpty();

            report(busy, 0);
            tick();

            assertThat(main.instances).isEmpty();
        }

        @Test
        @DisplayName("an unknown endpoint is a NotFoundException")
        void unknownEndpoint() {
            assertThatThrownBy(() -> admin.removeEndpoint("nope")).isInstanceOf(NotFoundException.class);
        }

        @Test
        @DisplayName("creating an endpoint that exists is an AlreadyExistsException")
        void duplicateEndpoint() {
            assertThatThrownBy(() -> admin.createEndpoint(EndpointConfig.builder("llm")
                    .addGroup(WorkerGroupConfig.builder("x").build()).build()))
                    .isInstanceOf(AlreadyExistsException.class);
            assertThat(engine.endpoint("llm").groups()).hasSize(2);
        }

        @Test
        @DisplayName("an endpoint created again under the removed name takes over the workers of its groups")
        void recreatedTakesOver() {
            runningTwoPerGroup();
            admin.removeEndpoint("llm");

            admin.createEndpoint(EndpointConfig.builder("llm").coldWorkers(0).coldDestroyDelay(Duration.ZERO)
                    .addGroup(WorkerGroupConfig.builder("a100").build()).build());
            tick();

            assertThat(engine.retiringEndpointNames()).isEmpty();
            assertThat(main.instances).hasSize(2);
            assertThat(spare.instances).isEmpty();
        }
    }
}
