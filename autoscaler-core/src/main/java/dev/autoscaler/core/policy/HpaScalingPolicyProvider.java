package dev.autoscaler.core.policy;

import dev.autoscaler.Settings;
import dev.autoscaler.spi.ScalingPolicy;
import dev.autoscaler.spi.ScalingPolicyProvider;

/** Registers {@link HpaScalingPolicy} as {@code hpa}. */
public final class HpaScalingPolicyProvider implements ScalingPolicyProvider {

    @Override
    public String name() {
        return HpaScalingPolicy.NAME;
    }

    @Override
    public String description() {
        return "Kubernetes' HPA (anchor): ceil(current x metric / target), tolerance 0.1, 5 min scale-down stabilisation, max(4 pods, 100%) per 15 s up, 15 s sync";
    }

    @Override
    public ScalingPolicy create(Settings params) {
        return HpaScalingPolicy.fromParams(params);
    }
}
