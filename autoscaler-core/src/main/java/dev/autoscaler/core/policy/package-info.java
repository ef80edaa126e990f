/**
 * The built-in scaling policies ({@code vast}, the default; {@code fixed}; the anchors {@code knative},
 * {@code hpa} and {@code ray}, faithful to their documented algorithms; {@code frugal}, ours) and
 * {@link dev.autoscaler.core.policy.ScalingPolicies}, the registry that finds every
 * {@link dev.autoscaler.spi.ScalingPolicyProvider} on the class path by name.
 */
package dev.autoscaler.core.policy;
