package dev.autoscaler.core.policy;

import dev.autoscaler.spi.ScalingPolicyProvider;
import dev.autoscaler.testkit.ScalingPolicyContract;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;

@DisplayName("frugal policy: the contract every policy passes")
class FrugalPolicyContractTest extends ScalingPolicyContract {

    @Override
    protected ScalingPolicyProvider provider() {
        return new FrugalScalingPolicyProvider();
    }

    @Override
    protected Map<String, String> badParams() {
        return Map.of(FrugalScalingPolicy.MAX_UTIL, "0", FrugalScalingPolicy.SCALE_DOWN_DELAY, "-5");
    }
}
