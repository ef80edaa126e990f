package dev.autoscaler.core.policy;

import dev.autoscaler.Settings;
import dev.autoscaler.spi.ScalingPolicy;
import dev.autoscaler.spi.ScalingPolicyProvider;

/** Registers {@link RayServeScalingPolicy} as {@code ray}. */
public final class RayServeScalingPolicyProvider implements ScalingPolicyProvider {

    @Override
    public String name() {
        return RayServeScalingPolicy.NAME;
    }

    @Override
    public String description() {
        return "Ray Serve's autoscaler (anchor): target 2 ongoing requests per replica, upscale delay 30 s, downscale delay 600 s, smoothing 1";
    }

    @Override
    public ScalingPolicy create(Settings params) {
        return RayServeScalingPolicy.fromParams(params);
    }
}
