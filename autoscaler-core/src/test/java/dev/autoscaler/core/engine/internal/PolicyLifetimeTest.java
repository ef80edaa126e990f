package dev.autoscaler.core.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoscaler.EndpointConfig;
import dev.autoscaler.GroupSnapshot;
import dev.autoscaler.GroupTarget;
import dev.autoscaler.ManualClock;
import dev.autoscaler.ScalingDecision;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.core.Autoscaler;
import dev.autoscaler.core.AutoscalerAdmin;
import dev.autoscaler.spi.ScalingPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A policy instance lives as long as its own parameters")
class PolicyLifetimeTest {
    /** A policy with memory: it counts the decisions it made. */
    static final class Counting implements ScalingPolicy {
        int decisions;

        @Override
        public ScalingDecision decide(dev.autoscaler.EndpointSnapshot snapshot) {
            decisions++;
            Map<String, GroupTarget> targets = new LinkedHashMap<>();
            for (GroupSnapshot g : snapshot.groups()) {
                targets.put(g.name(), new GroupTarget(1, 0));
            }
            return ScalingDecision.of(targets, "decision " + decisions);
        }
    }

    final List<Counting> created = new ArrayList<>();
    final Autoscaler engine = Autoscaler.builder()
            .clock(new ManualClock())
            .provider(new FakeInstanceProvider(1000))
            .secret(EngineHarness.SECRET)
            .policies((name, params) -> {
                Counting policy = new Counting();
                created.add(policy);
                return policy;
            })
            .endpoint(EndpointConfig.builder("llm").coldWorkers(0)
                    .addGroup(WorkerGroupConfig.builder("a").build())
                    .addGroup(WorkerGroupConfig.builder("b").build())
                    .build())
            .build();
    final AutoscalerAdmin admin = new AutoscalerAdmin(engine);

    @Test
    @DisplayName("survives changes that leave policy and policy_params alone: a weight, a group, max_workers")
    void survivesOtherChanges() {
        engine.tick();
        admin.setWeight("llm", "a", 10);
        engine.updateEndpoint("llm", c -> c.toBuilder().maxWorkers(7).targetUtil(0.5).build());
        engine.updateEndpoint("llm", c -> c.toBuilder().addGroup(WorkerGroupConfig.builder("c").build()).build());
        engine.tick();

        assertThat(created).hasSize(1);
        assertThat(created.get(0).decisions).isEqualTo(2);
    }

    @Test
    @DisplayName("is rebuilt when policy_params change, and when the policy does")
    void rebuiltOnItsOwnParameters() {
        engine.tick();
        engine.updateEndpoint("llm", c -> c.toBuilder().policyParams(Map.of("window", "90")).build());
        engine.tick();
        engine.updateEndpoint("llm", c -> c.toBuilder().policy("other").build());
        engine.tick();

        assertThat(created).hasSize(3);
        assertThat(created).extracting(p -> p.decisions).containsExactly(1, 1, 1);
    }
}
