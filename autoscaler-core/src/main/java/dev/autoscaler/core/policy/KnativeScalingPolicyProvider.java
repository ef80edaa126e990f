package dev.autoscaler.core.policy;

import dev.autoscaler.Settings;
import dev.autoscaler.spi.ScalingPolicy;
import dev.autoscaler.spi.ScalingPolicyProvider;

/** Registers {@link KnativeScalingPolicy} as {@code knative}. */
public final class KnativeScalingPolicyProvider implements ScalingPolicyProvider {

    @Override
    public String name() {
        return KnativeScalingPolicy.NAME;
    }

    @Override
    public String description() {
        return "Knative Serving's KPA (anchor): stable 60 s / panic 6 s windows, panic at 200%, target utilisation 0.7, scale-to-zero grace 30 s";
    }

    @Override
    public ScalingPolicy create(Settings params) {
        return KnativeScalingPolicy.fromParams(params);
    }
}
