package dev.autoscaler.spi;

import dev.autoscaler.EndpointSnapshot;
import dev.autoscaler.ScalingDecision;

/**
 * Decides how many workers each group of an endpoint should have. A pure function of the snapshot
 * (plus the policy's own state, if any): no I/O, no wall clock; time comes from the snapshot. One
 * instance serves one endpoint and is called from one thread at a time. A policy that throws is
 * logged and the endpoint keeps its current size.
 */
@FunctionalInterface
public interface ScalingPolicy {
    /**
     * Decides the endpoint's targets.
     *
     * @param snapshot everything the policy may look at, time included
     * @return the targets, or {@link ScalingDecision#keep}
     */
    ScalingDecision decide(EndpointSnapshot snapshot);
}
