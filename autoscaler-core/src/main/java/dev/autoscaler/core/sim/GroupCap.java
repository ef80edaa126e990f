package dev.autoscaler.core.sim;

import dev.autoscaler.GroupTarget;
import dev.autoscaler.InvalidConfigException;
import dev.autoscaler.ScalingDecision;
import dev.autoscaler.Settings;
import dev.autoscaler.core.policy.ScalingPolicies;
import dev.autoscaler.spi.ScalingPolicy;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * A scarce GPU type in the simulated market: whatever the policy asks, one group gets at most
 * {@code max} workers (active first, then cold). The market model has no stock per offer, and the
 * engine no per-group {@code max_workers}, so the simulation caps the group's targets instead; the
 * policy itself is the real one, found by name.
 */
public final class GroupCap {
    private GroupCap() {
    }

    /**
     * Policies by name (the engine's, {@link ScalingPolicies#load()}) whose decisions hold
     * {@code group} to at most {@code max} workers; for {@link Simulation.Builder#policies}.
     */
    public static BiFunction<String, Settings, ScalingPolicy> capping(String group, int max) {
        Objects.requireNonNull(group, "group");
        if (max < 0) {
            throw new InvalidConfigException("max", "must be >= 0, got " + max);
        }
        ScalingPolicies policies = ScalingPolicies.load();
        return (name, params) -> cap(policies.create(name, params), group, max);
    }

    static ScalingPolicy cap(ScalingPolicy policy, String group, int max) {
        return snapshot -> {
            ScalingDecision decision = policy.decide(snapshot);
            GroupTarget wanted = decision.keepCurrent() ? null : decision.targets().get(group);
            if (wanted == null || wanted.active() + wanted.cold() <= max) {
                return decision;
            }
            int active = Math.min(wanted.active(), max);
            Map<String, GroupTarget> targets = new LinkedHashMap<>(decision.targets());
            targets.put(group, new GroupTarget(active, Math.min(wanted.cold(), max - active)));
            return ScalingDecision.of(targets, decision.reason() + "; market has " + max + " of group " + group
                    + "'s GPU");
        };
    }
}
