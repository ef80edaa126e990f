package dev.autoscaler.spi;

import dev.autoscaler.Settings;

/**
 * Makes {@link ScalingPolicy} instances; found with {@link java.util.ServiceLoader} and chosen by
 * {@link #name()} per endpoint ({@code policy} in the endpoint config). Register an implementation in
 * {@code META-INF/services/dev.autoscaler.spi.ScalingPolicyProvider}.
 */
public interface ScalingPolicyProvider {

    /** {@return a stable name, e.g. {@code vast}} */
    String name();

    /** {@return one line for {@code ./autoscaler policies}} */
    String description();

    /**
     * A new policy for one endpoint.
     *
     * @param params the endpoint's {@code policy_params}; throw {@link dev.autoscaler.InvalidConfigException}
     *               naming the parameter when one is wrong
     */
    ScalingPolicy create(Settings params);
}
