package dev.autoscaler.core.policy;

import dev.autoscaler.spi.ScalingPolicyProvider;
import dev.autoscaler.testkit.ScalingPolicyContract;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;

@DisplayName("knative policy: the contract every policy passes")
class KnativePolicyContractTest extends ScalingPolicyContract {

    @Override
    protected ScalingPolicyProvider provider() {
        return new KnativeScalingPolicyProvider();
    }

    @Override
    protected Map<String, String> badParams() {
        return Map.of(KnativeScalingPolicy.TARGET_UTILIZATION, "1.5", KnativeScalingPolicy.PANIC_THRESHOLD_PERCENTAGE, "50");
    }
}
