package dev.autoscaler;

import java.util.Map;
import java.util.Objects;

/**
 * A policy's answer for one endpoint and tick: a target per worker group, with a human-readable
 * reason that the engine logs and publishes, or "keep the current size".
 *
 * @param targets     group name to target; groups left out keep their current target
 * @param reason      why, in a sentence a user can read in a log
 * @param keepCurrent true when the policy asks for no change at all
 */
public record ScalingDecision(Map<String, GroupTarget> targets, String reason, boolean keepCurrent) {
    public ScalingDecision {
        targets = targets == null ? Map.of() : Map.copyOf(targets);
        reason = Objects.requireNonNullElse(reason, "");
    }

    public static ScalingDecision of(Map<String, GroupTarget> targets, String reason) {
        return new ScalingDecision(targets, reason, false);
    }

    public static ScalingDecision keep(String reason) {
        return new ScalingDecision(Map.of(), reason, true);
    }

    /**
     * This decision as the engine works toward it: its targets held to {@code config}'s
     * {@code max_workers}, each group's and the endpoint's, by {@link WorkerCaps} (the engine applies
     * the same rule to every decision, after also keeping the current target of each group the
     * decision leaves out). What the caps changed is appended to the reason. A policy need not cap
     * its own answer; its tests call this to see what the engine would do with it.
     */
    public ScalingDecision capped(EndpointConfig config) {
        if (keepCurrent) {
            return this;
        }
        WorkerCaps.Capped capped = WorkerCaps.apply(config, targets);
        return capped.changed() ? new ScalingDecision(capped.targets(), reason + "; " + capped.note(), false) : this;
    }
}
