package dev.autoscaler.core.policy;

import dev.autoscaler.EndpointSnapshot;
import dev.autoscaler.GroupSnapshot;
import dev.autoscaler.GroupTarget;
import dev.autoscaler.InvalidConfigException;
import dev.autoscaler.ScalingDecision;
import dev.autoscaler.Settings;
import dev.autoscaler.spi.ScalingPolicy;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code fixed} policy: the same number of active and cold workers in every group, whatever the
 * load; for tests and static fleets. The engine holds the decision to each group's
 * {@code max_workers}, then to the endpoint's ({@link dev.autoscaler.WorkerCaps}), as it does every
 * policy's. It ignores {@code cold_workers}: the reconciler still never destroys below that floor.
 *
 * <p>Parameters ({@code policy_params}, optional, whole numbers >= 0): {@value #ACTIVE} (default 1)
 * and {@value #COLD} (default 0), per group. Unknown parameters are rejected.
 */
public final class FixedScalingPolicy implements ScalingPolicy {
    /** The policy's registered name. */
    public static final String NAME = "fixed";
    public static final String ACTIVE = "active";
    public static final String COLD = "cold";
    static final Set<String> PARAMS = Set.of(ACTIVE, COLD);

    private final int active;
    private final int cold;

    private FixedScalingPolicy(int active, int cold) {
        this.active = active;
        this.cold = cold;
    }

    /** {@code active} and {@code cold} workers per group. */
    public static FixedScalingPolicy of(int active, int cold) {
        if (active < 0) {
            throw new InvalidConfigException(ACTIVE, "must be >= 0, got " + active);
        }
        if (cold < 0) {
            throw new InvalidConfigException(COLD, "must be >= 0, got " + cold);
        }
        return new FixedScalingPolicy(active, cold);
    }

    /**
     * @throws dev.autoscaler.InvalidConfigException naming the parameter that is unknown or wrong
     */
    public static FixedScalingPolicy fromParams(Settings params) {
        Objects.requireNonNull(params, "params");
        PolicyParams.rejectUnknown(NAME, params, PARAMS);
        return new FixedScalingPolicy(PolicyParams.nonNegativeInt(params, ACTIVE, 1),
                PolicyParams.nonNegativeInt(params, COLD, 0));
    }

    @Override
    public ScalingDecision decide(EndpointSnapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        Map<String, GroupTarget> targets = new LinkedHashMap<>();
        for (GroupSnapshot group : snapshot.groups()) {
            targets.put(group.name(), new GroupTarget(active, cold));
        }
        return ScalingDecision.of(targets, "fixed: " + active + " active, " + cold + " cold per group");
    }

    @Override
    public String toString() {
        return NAME + "{" + ACTIVE + "=" + active + ", " + COLD + "=" + cold + "}";
    }
}
