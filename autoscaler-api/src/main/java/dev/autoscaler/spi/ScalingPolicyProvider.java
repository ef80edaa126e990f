package dev.autoscaler.spi;

import dev.autoscaler.Settings;

/**
 * Makes {@link ScalingPolicy} instances; found with {@link java.util.ServiceLoader} and chosen by
 * {@link #name()} per endpoint ({@code policy} in the endpoint config). Register an implementation in
 * {@code META-INF/services/dev.autoscaler.spi.ScalingPolicyProvider}; the program {@code ./autoscaler}
 * loads plugin jars from {@code --plugins DIR}, {@code AUTOSCALER_PLUGINS} or {@code plugins/}, an
 * embedder puts the jar on its class path. {@code autoscaler-testkit}'s {@code ScalingPolicyContract}
 * holds the tests every policy should pass.
 */
public interface ScalingPolicyProvider {

    /** A stable name, e.g. {@code vast}. */
    String name();

    /** One line for {@code ./autoscaler policies}. */
    String description();

    /**
     * A new policy for one endpoint. Called when the endpoint is created, and again each time its
     * {@code policy} or {@code policy_params} change (the new instance starts with no history); other
     * config changes keep the instance (see {@link ScalingPolicy}).
     *
     * @param params the endpoint's {@code policy_params}; reject unknown keys
     *               ({@link Settings#rejectUnknown}) and throw {@link dev.autoscaler.InvalidConfigException}
     *               naming the parameter when one is wrong (the typed getters of {@link Settings} do)
     */
    ScalingPolicy create(Settings params);
}
