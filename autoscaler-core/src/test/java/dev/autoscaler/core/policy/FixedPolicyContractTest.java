package dev.autoscaler.core.policy;

import dev.autoscaler.spi.ScalingPolicyProvider;
import dev.autoscaler.testkit.ScalingPolicyContract;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;

@DisplayName("fixed policy: the contract every policy passes")
class FixedPolicyContractTest extends ScalingPolicyContract {

    @Override
    protected ScalingPolicyProvider provider() {
        return new FixedScalingPolicyProvider();
    }

    @Override
    protected Map<String, String> badParams() {
        return Map.of(FixedScalingPolicy.ACTIVE, "-1", FixedScalingPolicy.COLD, "two");
    }
}
