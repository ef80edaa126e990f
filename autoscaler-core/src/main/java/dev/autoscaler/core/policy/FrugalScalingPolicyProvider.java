package dev.autoscaler.core.policy;

import dev.autoscaler.Settings;
import dev.autoscaler.spi.ScalingPolicy;
import dev.autoscaler.spi.ScalingPolicyProvider;

/** Registers {@link FrugalScalingPolicy} as {@code frugal}. */
public final class FrugalScalingPolicyProvider implements ScalingPolicyProvider {

    @Override
    public String name() {
        return FrugalScalingPolicy.NAME;
    }

    @Override
    public String description() {
        return "the cheapest fleet that keeps target_queue_time: forecast over a resume or boot, burst envelope, "
                + "queue-time feedback, 2 min scale-down hysteresis, stopped pool kept for past rises";
    }

    @Override
    public ScalingPolicy create(Settings params) {
        return FrugalScalingPolicy.fromParams(params);
    }
}
