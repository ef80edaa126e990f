package dev.autoscaler.core.policy;

import dev.autoscaler.spi.ScalingPolicyProvider;
import dev.autoscaler.testkit.ScalingPolicyContract;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;

@DisplayName("vast policy: the contract every policy passes")
class VastPolicyContractTest extends ScalingPolicyContract {

    @Override
    protected ScalingPolicyProvider provider() {
        return new VastScalingPolicyProvider();
    }

    @Override
    protected Map<String, String> badParams() {
        return Map.of(VastScalingPolicy.SCALE_DOWN_STEP, "0", VastScalingPolicy.MAX_QUEUE_BOOST, "0.5",
                VastScalingPolicy.FORECAST_WINDOW, "medium");
    }
}
