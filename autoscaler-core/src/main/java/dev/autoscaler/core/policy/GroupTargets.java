package dev.autoscaler.core.policy;

import dev.autoscaler.EndpointSnapshot;
import dev.autoscaler.GroupSnapshot;
import dev.autoscaler.GroupTarget;
import dev.autoscaler.ScalingDecision;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The last step every built-in policy shares once it knows each group's wish: the endpoint's
 * {@code cold_workers} floor (cold raised until active + cold reaches it: the engine's loaded-worker
 * floor, whatever the policy). The caps ({@code max_workers}, the endpoint's and each group's) are
 * the engine's to apply ({@link dev.autoscaler.WorkerCaps}), after the policy returns.
 */
final class GroupTargets {
    private GroupTargets() {
    }

    /**
     * @param active one wish per group of the snapshot, in config order (modified in place)
     * @param cold   likewise
     */
    static ScalingDecision decide(EndpointSnapshot snapshot, int[] active, int[] cold, String reason) {
        List<GroupSnapshot> groups = snapshot.groups();
        Map<String, GroupTarget> targets = new LinkedHashMap<>();
        for (int i = 0; i < groups.size(); i++) {
            GroupSnapshot group = groups.get(i);
            int floor = snapshot.config().coldWorkersFor(group.config());
            if (active[i] + cold[i] < floor) {
                cold[i] = floor - active[i];
            }
            targets.put(group.name(), new GroupTarget(active[i], cold[i]));
        }
        return ScalingDecision.of(targets, reason);
    }

    /** Workers a group has asked to serve: active states, intent active, not draining to stop. */
    static int serving(GroupSnapshot group) {
        return (int) group.workers().stream().filter(PoolWorkers::isServing).count();
    }

    /** Seconds of the snapshot's monotonic clock. */
    static double seconds(EndpointSnapshot snapshot) {
        return snapshot.nanoTime() / 1e9;
    }

    /**
     * Splits an endpoint-wide worker count among the primary groups by traffic share (largest
     * remainder, earlier groups first on a tie); overflow groups get none. For the anchors, which
     * size one deployment, not groups.
     */
    static int[] split(int workers, double[] shares) {
        int[] out = new int[shares.length];
        double[] remainder = new double[shares.length];
        int given = 0;
        for (int i = 0; i < shares.length; i++) {
            double exact = workers * shares[i];
            out[i] = (int) Math.floor(exact + 1e-9);
            remainder[i] = shares[i] > 0 ? exact - out[i] : -1;
            given += out[i];
        }
        while (given < workers) {
            int best = -1;
            for (int i = 0; i < shares.length; i++) {
                if (remainder[i] >= 0 && (best < 0 || remainder[i] > remainder[best])) {
                    best = i;
                }
            }
            if (best < 0) {
                break;
            }
            out[best]++;
            remainder[best] = -1;
            given++;
        }
        return out;
    }

    /** Perf of a new worker, weighted by share over the primary groups; 0 when unknown. */
    static double weightedPerf(List<GroupSnapshot> groups, double[] shares) {
        double perf = 0;
        double known = 0;
        for (int i = 0; i < shares.length; i++) {
            double p = Numbers.sane(groups.get(i).perfEstimate());
            if (shares[i] > 0 && p > 0) {
                perf += shares[i] * p;
                known += shares[i];
            }
        }
        return known > 0 ? perf / known : 0;
    }

    /** Ready workers of the primary groups (the pods a KPA, HPA or Ray Serve would count as running). */
    static int ready(List<GroupSnapshot> groups, double[] shares) {
        int n = 0;
        for (int i = 0; i < shares.length; i++) {
            if (shares[i] > 0) {
                n += (int) groups.get(i).count(dev.autoscaler.WorkerState.READY);
            }
        }
        return n;
    }

    /** Workers serving or on their way to serve in the primary groups (see {@link #serving}). */
    static int serving(List<GroupSnapshot> groups, double[] shares) {
        int n = 0;
        for (int i = 0; i < shares.length; i++) {
            if (shares[i] > 0) {
                n += serving(groups.get(i));
            }
        }
        return n;
    }

    /** An endpoint-wide count as per-group targets: split by share, then floors and caps. */
    static ScalingDecision decideTotal(EndpointSnapshot snapshot, double[] shares, int workers, String reason) {
        int[] active = split(workers, shares);
        return decide(snapshot, active, new int[active.length], reason);
    }
}
