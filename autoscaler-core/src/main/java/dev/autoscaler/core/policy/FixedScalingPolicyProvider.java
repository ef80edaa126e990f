package dev.autoscaler.core.policy;

import dev.autoscaler.Settings;
import dev.autoscaler.spi.ScalingPolicy;
import dev.autoscaler.spi.ScalingPolicyProvider;

/** Registers {@link FixedScalingPolicy} as {@code fixed}. */
public final class FixedScalingPolicyProvider implements ScalingPolicyProvider {

    @Override
    public String name() {
        return FixedScalingPolicy.NAME;
    }

    @Override
    public String description() {
        return "A fixed number of workers per group, whatever the load (params: active, default 1; cold, default 0)";
    }

    @Override
    public ScalingPolicy create(Settings params) {
        return FixedScalingPolicy.fromParams(params);
    }
}
