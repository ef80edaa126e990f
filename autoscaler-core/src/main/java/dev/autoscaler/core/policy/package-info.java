/**
 * The built-in scaling policies ({@code vast}, the default, and {@code fixed}) and
 * {@link dev.autoscaler.core.policy.ScalingPolicies}, the registry that finds every
 * {@link dev.autoscaler.spi.ScalingPolicyProvider} on the class path by name.
 */
package dev.autoscaler.core.policy;
