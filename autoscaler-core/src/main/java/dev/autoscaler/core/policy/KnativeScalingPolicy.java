package dev.autoscaler.core.policy;

import dev.autoscaler.EndpointSnapshot;
import dev.autoscaler.GroupSnapshot;
import dev.autoscaler.ScalingDecision;
import dev.autoscaler.Settings;
import dev.autoscaler.spi.ScalingPolicy;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code knative} anchor: Knative Serving's Knative Pod Autoscaler (KPA) with its documented
 * defaults, so that a user can compare a policy against it on the same engine and world. What it
 * reproduces, from Knative's {@code config-autoscaler} documentation and the KPA's {@code Scale}
 * (knative/serving, {@code pkg/autoscaler/scaling/autoscaler.go}):
 * <ul>
 * <li>the metric is averaged over a <b>stable window</b> ({@value #STABLE_WINDOW}, 60 s) and a
 *     <b>panic window</b> ({@value #PANIC_WINDOW_PERCENTAGE} of it, 10%: 6 s);</li>
 * <li>per-pod target = {@code target x target utilisation} ({@value #TARGET_UTILIZATION}, 0.7, Knative's
 *     {@code container-concurrency-target-percentage} 70);</li>
 * <li>{@code desiredStable = ceil(stable / target)}, {@code desiredPanic = ceil(panic / target)}, both
 *     held within {@code [floor(ready / max_scale_down_rate), ceil(ready x max_scale_up_rate)]}
 *     ({@value #MAX_SCALE_DOWN_RATE} 2, {@value #MAX_SCALE_UP_RATE} 1000), with
 *     {@code ready = max(1, ready pods)};</li>
 * <li><b>panic mode</b> starts when {@code desiredPanic / ready >= panic threshold}
 *     ({@value #PANIC_THRESHOLD_PERCENTAGE} 200%); while panicking the desired count is the highest
 *     panic count seen (it never goes down), and panicking ends once the threshold has not been
 *     crossed for a whole stable window;</li>
 * <li>no decision on missing data: on stale figures the count does not go down;</li>
 * <li><b>scale to zero</b> only after the desired count has been 0 for
 *     {@value #SCALE_TO_ZERO_GRACE_PERIOD} (30 s); {@value #MIN_SCALE} (default 0) is the floor.</li>
 * </ul>
 * Where it differs, and why: Knative's default metric is concurrency (in-flight requests per pod,
 * target 100). A GPU worker's concurrency says little about its load (one long generation or many
 * short ones), so this anchor uses Knative's other documented metric, {@code rps}, in perf units:
 * the work arriving per second (the engine's unit of load), with each pod's target its measured perf
 * (the group's {@code perfEstimate}: what it completes per second at full use). Knative samples every
 * second and decides every 2 s; here the metric is what the engine measured over its finest window
 * (the last 10 s, {@link dev.autoscaler.LoadStats#arrivalRateBurst()}), sampled at each decision, so a
 * 6 s panic window holds the latest sample. There is no stopped pool in Knative: the anchor asks for
 * none, and only the endpoint's {@code cold_workers} floor keeps stopped workers (as for every
 * policy). Several groups share the count by weight, as with {@code vast}; overflow groups get none.
 *
 * <p>Stateful (the windows, the panic state): one instance per endpoint. Unknown parameters are rejected.
 */
public final class KnativeScalingPolicy implements ScalingPolicy {
    public static final String NAME = "knative";
    public static final String TARGET_UTILIZATION = "target_utilization";
    public static final String STABLE_WINDOW = "stable_window";
    public static final String PANIC_WINDOW_PERCENTAGE = "panic_window_percentage";
    public static final String PANIC_THRESHOLD_PERCENTAGE = "panic_threshold_percentage";
    public static final String MAX_SCALE_UP_RATE = "max_scale_up_rate";
    public static final String MAX_SCALE_DOWN_RATE = "max_scale_down_rate";
    public static final String SCALE_TO_ZERO_GRACE_PERIOD = "scale_to_zero_grace_period";
    public static final String MIN_SCALE = "min_scale";
    static final Set<String> PARAMS = Set.of(TARGET_UTILIZATION, STABLE_WINDOW, PANIC_WINDOW_PERCENTAGE,
            PANIC_THRESHOLD_PERCENTAGE, MAX_SCALE_UP_RATE, MAX_SCALE_DOWN_RATE, SCALE_TO_ZERO_GRACE_PERIOD, MIN_SCALE);

    private final double targetUtilization;
    private final double stableWindow;
    private final double panicWindow;
    private final double panicThreshold;
    private final double maxScaleUpRate;
    private final double maxScaleDownRate;
    private final double scaleToZeroGrace;
    private final int minScale;

    private final TimeSeries rates;
    private double panicSince = Double.NaN;
    private int maxPanicPods;
    private double zeroSince = Double.NaN;
    private int lastDesired;

    private KnativeScalingPolicy(Settings params) {
        PolicyParams.rejectUnknown(NAME, params, PARAMS);
        targetUtilization = PolicyParams.fraction(params, TARGET_UTILIZATION, 0.7);
        stableWindow = PolicyParams.atLeast(params, STABLE_WINDOW, 60, 6);
        panicWindow = stableWindow * PolicyParams.between(params, PANIC_WINDOW_PERCENTAGE, 10, 1, 100) / 100;
        panicThreshold = PolicyParams.atLeast(params, PANIC_THRESHOLD_PERCENTAGE, 200, 110) / 100;
        maxScaleUpRate = PolicyParams.atLeast(params, MAX_SCALE_UP_RATE, 1000, 1.0001);
        maxScaleDownRate = PolicyParams.atLeast(params, MAX_SCALE_DOWN_RATE, 2, 1.0001);
        scaleToZeroGrace = PolicyParams.atLeast(params, SCALE_TO_ZERO_GRACE_PERIOD, 30, 6);
        minScale = PolicyParams.nonNegativeInt(params, MIN_SCALE, 0);
        rates = new TimeSeries(stableWindow);
    }

    /** @throws dev.autoscaler.InvalidConfigException naming the parameter that is unknown or wrong */
    public static KnativeScalingPolicy fromParams(Settings params) {
        return new KnativeScalingPolicy(Objects.requireNonNull(params, "params"));
    }

    @Override
    public ScalingDecision decide(EndpointSnapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        List<GroupSnapshot> groups = snapshot.groups();
        if (groups.isEmpty()) {
            return ScalingDecision.of(java.util.Map.of(), "no worker groups to scale");
        }
        double now = GroupTargets.seconds(snapshot);
        double[] shares = VastScalingPolicy.trafficShares(groups);
        double perf = GroupTargets.weightedPerf(groups, shares);
        rates.add(now, Numbers.sane(snapshot.load().arrivalRateBurst()));
        double stable = rates.mean(now, stableWindow, 0);
        double panic = rates.mean(now, panicWindow, rates.last(0));
        int readyPods = GroupTargets.ready(groups, shares);
        int current = GroupTargets.serving(groups, shares);

        StringBuilder why = new StringBuilder("knative: stable ").append(Numbers.format(stable))
                .append("/s, panic ").append(Numbers.format(panic)).append("/s");
        int desired;
        if (perf <= 0) {
            // nothing has benchmarked and no expected_perf: one pod bootstraps, as Knative's activator does
            desired = stable > 0 || panic > 0 || snapshot.load().waitingRequests() > 0 ? Math.max(1, current) : current;
            why.append(", perf unknown -> ").append(desired);
        } else {
            double target = perf * targetUtilization;
            double ready = Math.max(1, readyPods);
            double maxUp = Math.ceil(maxScaleUpRate * ready);
            double maxDown = Math.floor(ready / maxScaleDownRate);
            double dspc = Math.ceil(stable / target - 1e-9);
            double dppc = Math.ceil(panic / target - 1e-9);
            int stablePods = (int) Math.min(Math.max(dspc, maxDown), maxUp);
            int panicPods = (int) Math.min(Math.max(dppc, maxDown), maxUp);
            boolean overThreshold = dppc / ready >= panicThreshold;
            if (Double.isNaN(panicSince) && overThreshold) {
                panicSince = now;
                why.append(", panic starts (").append(Numbers.format(dppc)).append(" pods / ")
                        .append(Numbers.format(ready)).append(" ready >= ").append(Numbers.format(panicThreshold)).append(")");
            } else if (overThreshold) {
                panicSince = now;
            } else if (!Double.isNaN(panicSince) && now - panicSince > stableWindow) {
                panicSince = Double.NaN;
                why.append(", panic ends");
            }
            if (!Double.isNaN(panicSince)) {
                maxPanicPods = Math.max(maxPanicPods, panicPods);
                desired = maxPanicPods;
                why.append(", panicking -> ").append(desired);
            } else {
                maxPanicPods = 0;
                desired = stablePods;
                why.append(" / target ").append(Numbers.format(target)).append("/s per pod -> ").append(desired);
            }
            // requests waiting with no pod at all: the activator holds them and asks for one
            if (desired == 0 && snapshot.load().waitingRequests() > 0) {
                desired = 1;
            }
        }
        desired = Math.min(Math.max(desired, minScale), snapshot.config().maxWorkers());
        // no metrics, no scaling: the KPA makes no decision on missing data, so stale figures
        // (which read low) never take pods away
        if (!snapshot.load().fresh() && desired < current) {
            desired = current;
            why.append(", figures stale -> keep ").append(current);
        }
        if (desired == 0 && lastDesired > 0) {
            if (Double.isNaN(zeroSince)) {
                zeroSince = now;
            }
            if (now - zeroSince < scaleToZeroGrace) {
                desired = Math.max(1, Math.min(lastDesired, current));
                why.append(", scale-to-zero grace -> ").append(desired);
            } else {
                zeroSince = Double.NaN;
            }
        } else if (desired > 0) {
            zeroSince = Double.NaN;
        }
        lastDesired = desired;
        return GroupTargets.decideTotal(snapshot, shares, desired, why.toString());
    }

    @Override
    public String toString() {
        return NAME + "{" + TARGET_UTILIZATION + "=" + targetUtilization + ", " + STABLE_WINDOW + "=" + stableWindow + "}";
    }
}
