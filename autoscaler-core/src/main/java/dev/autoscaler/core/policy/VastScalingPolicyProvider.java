package dev.autoscaler.core.policy;

import dev.autoscaler.Settings;
import dev.autoscaler.spi.ScalingPolicy;
import dev.autoscaler.spi.ScalingPolicyProvider;

/** Registers {@link VastScalingPolicy} as {@code vast}, the default policy. */
public final class VastScalingPolicyProvider implements ScalingPolicyProvider {

    @Override
    public String name() {
        return VastScalingPolicy.NAME;
    }

    @Override
    public String description() {
        return "Vast's semantics (default): active = forecast / target_util, cold pool = cold_mult x load, "
                + "cold_workers floor, max_workers cap, queue trigger, inactivity gate; params: "
                + VastScalingPolicy.SCALE_DOWN_STEP + ", " + VastScalingPolicy.MAX_QUEUE_BOOST;
    }

    @Override
    public ScalingPolicy create(Settings params) {
        return VastScalingPolicy.fromParams(params);
    }
}
