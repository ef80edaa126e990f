package com.example.autoscaler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoscaler.EndpointSnapshot;
import dev.autoscaler.GroupTarget;
import dev.autoscaler.spi.ScalingPolicyProvider;
import dev.autoscaler.testkit.ScalingPolicyContract;
import dev.autoscaler.testkit.SnapshotBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The kit's contract (caps, floors, determinism, missing data, parameter errors), plus the policy's rule. */
class PerWorkerPolicyTest extends ScalingPolicyContract {
    @Override
    protected ScalingPolicyProvider provider() {
        return new PerWorkerPolicyProvider();
    }

    @Override
    protected Map<String, String> badParams() {
        return Map.of("per_worker", "0");
    }

    @Test
    void oneWorkerPerThousandPerfUnits() {
        EndpointSnapshot snapshot = SnapshotBuilder.endpoint("llm")
                .group("main", g -> g.serving(1))
                .arrivalRate(2500).build();

        assertThat(newPolicy().decide(snapshot).targets()).containsEntry("main", new GroupTarget(3, 0));
    }
}
