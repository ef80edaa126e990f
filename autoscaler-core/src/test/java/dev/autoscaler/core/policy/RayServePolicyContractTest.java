package dev.autoscaler.core.policy;

import dev.autoscaler.spi.ScalingPolicyProvider;
import dev.autoscaler.testkit.ScalingPolicyContract;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;

@DisplayName("ray policy: the contract every policy passes")
class RayServePolicyContractTest extends ScalingPolicyContract {

    @Override
    protected ScalingPolicyProvider provider() {
        return new RayServeScalingPolicyProvider();
    }

    @Override
    protected Map<String, String> badParams() {
        return Map.of(RayServeScalingPolicy.TARGET_ONGOING_REQUESTS, "0", RayServeScalingPolicy.UPSCALE_DELAY_S, "-1");
    }
}
