package dev.autoscaler.core.policy;

import dev.autoscaler.spi.ScalingPolicyProvider;
import dev.autoscaler.testkit.ScalingPolicyContract;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;

@DisplayName("hpa policy: the contract every policy passes")
class HpaPolicyContractTest extends ScalingPolicyContract {

    @Override
    protected ScalingPolicyProvider provider() {
        return new HpaScalingPolicyProvider();
    }

    @Override
    protected Map<String, String> badParams() {
        return Map.of(HpaScalingPolicy.TOLERANCE, "-0.1", HpaScalingPolicy.MIN_REPLICAS, "-1");
    }
}
