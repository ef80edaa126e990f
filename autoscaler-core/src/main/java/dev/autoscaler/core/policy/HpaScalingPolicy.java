package dev.autoscaler.core.policy;

import dev.autoscaler.EndpointSnapshot;
import dev.autoscaler.GroupSnapshot;
import dev.autoscaler.ScalingDecision;
import dev.autoscaler.Settings;
import dev.autoscaler.spi.ScalingPolicy;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code hpa} anchor: Kubernetes' Horizontal Pod Autoscaler (autoscaling/v2) with its documented
 * defaults. What it reproduces, from the HPA documentation ("Algorithm details", "Configurable
 * scaling behavior") and {@code pkg/controller/podautoscaler} (kubernetes/kubernetes):
 * <ul>
 * <li>it acts every {@value #SYNC_PERIOD} (15 s, {@code --horizontal-pod-autoscaler-sync-period});
 *     between syncs the last sync's decision stands;</li>
 * <li>missing metrics: pods without one count at 100% of the target on a scale-down, so stale
 *     figures never take pods away;</li>
 * <li>{@code desired = ceil(current x metric / target)}, skipped while {@code |metric / target - 1| <=
 *     tolerance} ({@value #TOLERANCE}, 0.1). The ratio is taken over ready pods; on a scale-up, pods
 *     not yet ready count as using nothing, and if that brings the ratio back within tolerance or
 *     reverses its direction, nothing changes (HPA's conservative rule for unready pods). With no ready
 *     pod and pods starting, it waits (no metric);</li>
 * <li>scale-down <b>stabilisation</b>: the count is the highest recommendation of the last
 *     {@value #SCALE_DOWN_STABILIZATION} (300 s); scale-up has none (0 s);</li>
 * <li>scale-up <b>rate limit</b>: at most {@code max(+4 pods, +100%)} per 15 s
 *     ({@value #SCALE_UP_PODS}, {@value #SCALE_UP_PERCENT}, {@value #SCALE_UP_PERIOD}), from the count at
 *     the start of that period; scale-down at most 100% per 15 s;</li>
 * <li>{@value #MIN_REPLICAS} default 1: a plain HPA never scales to zero (0 is accepted, as with the
 *     {@code HPAScaleToZero} feature gate).</li>
 * </ul>
 * The metric is a Pods metric of type {@code AverageValue}: the work arriving per second (perf units;
 * the engine's short window, the higher of the last 10 s and 60 s, as a metrics pipeline averages over
 * about a minute) per pod, with the
 * target {@value #TARGET_UTILIZATION} x the measured perf of a worker (default: the endpoint's
 * {@code target_util}; HPA has no default target, the user states one). Scaling from zero (no pod):
 * {@code ceil(load / target)}. No stopped pool of its own: only the endpoint's {@code cold_workers}
 * floor. Several groups share the count by weight; overflow groups get none.
 *
 * <p>Stateful (recommendations, scale events): one instance per endpoint. Unknown parameters are rejected.
 */
public final class HpaScalingPolicy implements ScalingPolicy {
    public static final String NAME = "hpa";
    public static final String TARGET_UTILIZATION = "target_utilization";
    public static final String TOLERANCE = "tolerance";
    public static final String SYNC_PERIOD = "sync_period";
    public static final String SCALE_DOWN_STABILIZATION = "scale_down_stabilization";
    public static final String SCALE_UP_STABILIZATION = "scale_up_stabilization";
    public static final String SCALE_UP_PODS = "scale_up_pods";
    public static final String SCALE_UP_PERCENT = "scale_up_percent";
    public static final String SCALE_UP_PERIOD = "scale_up_period";
    public static final String SCALE_DOWN_PERCENT = "scale_down_percent";
    public static final String SCALE_DOWN_PERIOD = "scale_down_period";
    public static final String MIN_REPLICAS = "min_replicas";
    static final Set<String> PARAMS = Set.of(TARGET_UTILIZATION, TOLERANCE, SYNC_PERIOD, SCALE_DOWN_STABILIZATION,
            SCALE_UP_STABILIZATION, SCALE_UP_PODS, SCALE_UP_PERCENT, SCALE_UP_PERIOD, SCALE_DOWN_PERCENT,
            SCALE_DOWN_PERIOD, MIN_REPLICAS);

    private final Double targetUtilization; // null: the endpoint's target_util
    private final double tolerance;
    private final double syncPeriod;
    private final double downStabilization;
    private final double upStabilization;
    private final int upPods;
    private final double upPercent;
    private final double upPeriod;
    private final double downPercent;
    private final double downPeriod;
    private final int minReplicas;

    private final TimeSeries recommendations;
    /** {@code {seconds, change}} of each scale event, for the rate limits. */
    private final ArrayDeque<double[]> events = new ArrayDeque<>();
    private double lastSync = Double.NaN;
    private ScalingDecision lastDecision;

    private HpaScalingPolicy(Settings params) {
        PolicyParams.rejectUnknown(NAME, params, PARAMS);
        targetUtilization = params.get(TARGET_UTILIZATION).isPresent()
                ? PolicyParams.fraction(params, TARGET_UTILIZATION, 1) : null;
        tolerance = PolicyParams.between(params, TOLERANCE, 0.1, 0, 1);
        syncPeriod = PolicyParams.atLeast(params, SYNC_PERIOD, 15, 0);
        downStabilization = PolicyParams.between(params, SCALE_DOWN_STABILIZATION, 300, 0, 3600);
        upStabilization = PolicyParams.between(params, SCALE_UP_STABILIZATION, 0, 0, 3600);
        upPods = PolicyParams.nonNegativeInt(params, SCALE_UP_PODS, 4);
        upPercent = PolicyParams.atLeast(params, SCALE_UP_PERCENT, 100, 0);
        upPeriod = PolicyParams.between(params, SCALE_UP_PERIOD, 15, 1, 1800);
        downPercent = PolicyParams.between(params, SCALE_DOWN_PERCENT, 100, 0, 100);
        downPeriod = PolicyParams.between(params, SCALE_DOWN_PERIOD, 15, 1, 1800);
        minReplicas = PolicyParams.nonNegativeInt(params, MIN_REPLICAS, 1);
        recommendations = new TimeSeries(Math.max(downStabilization, upStabilization) + 1);
    }

    /** @throws dev.autoscaler.InvalidConfigException naming the parameter that is unknown or wrong */
    public static HpaScalingPolicy fromParams(Settings params) {
        return new HpaScalingPolicy(Objects.requireNonNull(params, "params"));
    }

    @Override
    public ScalingDecision decide(EndpointSnapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        List<GroupSnapshot> groups = snapshot.groups();
        if (groups.isEmpty()) {
            return ScalingDecision.of(java.util.Map.of(), "no worker groups to scale");
        }
        double now = GroupTargets.seconds(snapshot);
        if (!Double.isNaN(lastSync) && now - lastSync < syncPeriod - 1e-6 && lastDecision != null) {
            // between syncs the last sync's decision stands
            return ScalingDecision.of(lastDecision.targets(), lastDecision.reason() + " (decided "
                    + Numbers.format(now - lastSync) + " s ago; syncs every " + Numbers.format(syncPeriod) + " s)");
        }
        lastSync = now;
        double[] shares = VastScalingPolicy.trafficShares(groups);
        double perf = GroupTargets.weightedPerf(groups, shares);
        double util = targetUtilization != null ? targetUtilization : snapshot.config().targetUtil();
        double target = perf * util;
        double load = Numbers.sane(snapshot.load().arrivalRateShort());
        int current = GroupTargets.serving(groups, shares);
        int ready = GroupTargets.ready(groups, shares);
        int unready = Math.max(0, current - ready);

        StringBuilder why = new StringBuilder("hpa: ").append(Numbers.format(load)).append("/s");
        int recommended = current;
        if (perf <= 0) {
            recommended = load > 0 || snapshot.load().waitingRequests() > 0 ? Math.max(1, current) : current;
            why.append(", perf unknown -> ").append(recommended);
        } else if (current == 0) {
            recommended = Numbers.workersFor(load, target);
            why.append(", no pod: ceil(load / target ").append(Numbers.format(target)).append(") -> ").append(recommended);
        } else if (ready == 0) {
            why.append(", no ready pod to measure -> keep ").append(current);
        } else {
            double ratio = load / (ready * target);
            if (Math.abs(ratio - 1) <= tolerance) {
                why.append(", ratio ").append(Numbers.format(ratio)).append(" within tolerance -> ").append(current);
            } else if (ratio > 1 && unready > 0) {
                double withUnready = load / ((ready + unready) * target);
                if (withUnready <= 1 + tolerance) {
                    why.append(", ratio ").append(Numbers.format(ratio)).append(" but ").append(unready)
                            .append(" unready pods at 0 bring it to ").append(Numbers.format(withUnready))
                            .append(" -> ").append(current);
                } else {
                    recommended = Numbers.workersFor(withUnready * (ready + unready), 1);
                    why.append(", ratio ").append(Numbers.format(withUnready)).append(" over ")
                            .append(ready + unready).append(" pods -> ").append(recommended);
                }
            } else {
                recommended = Numbers.workersFor(ratio * ready, 1);
                why.append(", ratio ").append(Numbers.format(ratio)).append(" over ").append(ready)
                        .append(" ready -> ").append(recommended);
            }
        }
        recommended = Math.max(recommended, minReplicas);
        recommendations.add(now, recommended);

        // stabilisation: down to the highest recommendation of the window, up to the lowest of its own
        int desired = recommended;
        if (recommended < current) {
            desired = (int) Math.min(current, recommendations.max(now, downStabilization + 1e-6, recommended));
            if (desired != recommended) {
                why.append(", stabilised at ").append(desired);
            }
        } else if (recommended > current && upStabilization > 0) {
            desired = (int) Math.max(current, recommendations.min(now, upStabilization + 1e-6, recommended));
        }

        // rate limits, from the count at the start of each period
        while (!events.isEmpty() && events.peekFirst()[0] <= now - Math.max(upPeriod, downPeriod)) {
            events.pollFirst();
        }
        if (desired > current) {
            int periodStart = current - (int) changeSince(now - upPeriod, true);
            int limit = (int) Math.max(periodStart + upPods, Math.ceil(periodStart * (1 + upPercent / 100)));
            if (desired > limit) {
                why.append(", scale-up limit ").append(limit);
                desired = Math.max(current, limit);
            }
        } else if (desired < current) {
            int periodStart = current + (int) changeSince(now - downPeriod, false);
            int limit = (int) Math.ceil(periodStart * (1 - downPercent / 100));
            if (desired < limit) {
                why.append(", scale-down limit ").append(limit);
                desired = Math.min(current, limit);
            }
        }
        desired = Math.min(Math.max(desired, minReplicas), snapshot.config().maxWorkers());
        // missing metrics: on a scale-down the HPA takes pods it has no metric for at 100% of the
        // target, so stale figures (which read low) never take pods away
        if (!snapshot.load().fresh() && desired < current) {
            desired = current;
            why.append(", figures stale -> keep ").append(current);
        }
        if (desired != current) {
            events.addLast(new double[] {now, desired - current});
        }
        lastDecision = GroupTargets.decideTotal(snapshot, shares, desired, why.toString());
        return lastDecision;
    }

    /** Pods added (up) or removed (down) by this policy's scale events after {@code since}. */
    private double changeSince(double since, boolean up) {
        double sum = 0;
        for (double[] e : events) {
            if (e[0] > since && (e[1] > 0) == up) {
                sum += Math.abs(e[1]);
            }
        }
        return sum;
    }

    @Override
    public String toString() {
        return NAME + "{" + TOLERANCE + "=" + tolerance + ", " + SCALE_DOWN_STABILIZATION + "=" + downStabilization + "}";
    }
}
