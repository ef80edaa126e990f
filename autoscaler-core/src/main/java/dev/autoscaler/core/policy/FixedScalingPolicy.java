package dev.autoscaler.core.policy;

import dev.autoscaler.EndpointSnapshot;
import dev.autoscaler.GroupSnapshot;
import dev.autoscaler.GroupTarget;
import dev.autoscaler.InvalidConfigException;
import dev.autoscaler.ScalingDecision;
import dev.autoscaler.Settings;
import dev.autoscaler.spi.ScalingPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code fixed} policy: the same number of active and cold workers in every group, whatever the
 * load; for tests and static fleets. Each group is held to its own {@code max_workers}, if any, and
 * the sum over groups to the endpoint's, like {@link VastScalingPolicy} does (cold trimmed first,
 * then active, see {@link MaxWorkersCap}). It
 * ignores {@code cold_workers}: the reconciler still never destroys below that floor.
 *
 * <p>Parameters ({@code policy_params}, optional, whole numbers >= 0): {@value #ACTIVE} (default 1)
 * and {@value #COLD} (default 0), per group. Unknown parameters are rejected.
 */
public final class FixedScalingPolicy implements ScalingPolicy {
    /** The policy's registered name. */
    public static final String NAME = "fixed";
    /** The parameter that sets each group's active workers. */
    public static final String ACTIVE = "active";
    /** The parameter that sets each group's cold workers. */
    public static final String COLD = "cold";
    static final Set<String> PARAMS = Set.of(ACTIVE, COLD);

    private final int active;
    private final int cold;

    private FixedScalingPolicy(int active, int cold) {
        this.active = active;
        this.cold = cold;
    }

    /** {@return {@code active} and {@code cold} workers per group} */
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
        List<GroupSnapshot> groups = snapshot.groups();
        int n = groups.size();
        int[] actives = new int[n];
        int[] colds = new int[n];
        List<Boolean> overflow = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            actives[i] = active;
            colds[i] = cold;
            overflow.add(groups.get(i).config().overflow());
        }
        String groupCapped = MaxWorkersCap.applyGroupCaps(groups.stream().map(GroupSnapshot::config).toList(),
                actives, colds);
        String capped = MaxWorkersCap.apply(snapshot.config().maxWorkers(), overflow, actives, colds);
        capped = groupCapped.isEmpty() ? capped : capped.isEmpty() ? groupCapped : groupCapped + "; " + capped;
        Map<String, GroupTarget> targets = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            targets.put(groups.get(i).name(), new GroupTarget(actives[i], colds[i]));
        }
        return ScalingDecision.of(targets, "fixed: " + active + " active, " + cold + " cold per group"
                + (capped.isEmpty() ? "" : "; " + capped));
    }

    @Override
    public String toString() {
        return NAME + "{" + ACTIVE + "=" + active + ", " + COLD + "=" + cold + "}";
    }
}
