package dev.autoscaler.core.policy;

import dev.autoscaler.EndpointSnapshot;
import dev.autoscaler.GroupSnapshot;
import dev.autoscaler.ScalingDecision;
import dev.autoscaler.Settings;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import dev.autoscaler.spi.ScalingPolicy;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code ray} anchor: Ray Serve's default autoscaling policy (queue length per replica) with its
 * documented defaults. What it reproduces, from Ray Serve's autoscaling guide and
 * {@code python/ray/serve/autoscaling_policy.py} (ray-project/ray):
 * <ul>
 * <li>the metric is the total of <b>ongoing requests</b> (running on replicas or queued for them),
 *     averaged over the last {@value #LOOK_BACK_PERIOD_S} (30 s);</li>
 * <li>{@code error = ongoing / (target_ongoing_requests x running replicas)}
 *     ({@value #TARGET_ONGOING_REQUESTS} default 2, the value of {@code num_replicas="auto"}),
 *     smoothed {@code 1 + (error - 1) x factor} ({@value #UPSCALING_FACTOR} and
 *     {@value #DOWNSCALING_FACTOR}, default 1: {@code smoothing_factor} 1), desired
 *     {@code ceil(running x smoothed error)};</li>
 * <li>a change is made only once the desired count has stayed above the current target for
 *     {@value #UPSCALE_DELAY_S} (30 s) or below it for {@value #DOWNSCALE_DELAY_S} (600 s), Ray's
 *     decision counter; any decision in the other direction resets it;</li>
 * <li>from zero replicas, the first request scales to 1 at once (no delay);
 *     {@value #MIN_REPLICAS} (default 1, Ray's default) is the floor, the endpoint's
 *     {@code max_workers} the ceiling.</li>
 * </ul>
 * Ray counts in control-loop periods of 0.1 s; here delays are measured in the snapshot's time, so
 * a delay of 30 s is met at the first decision 30 s after the count began to point up. Running
 * replicas are ready workers (Ray's {@code RUNNING}); ongoing requests are the requests the workers
 * report in flight ({@code num_requests_working}) plus those waiting at the router. No stopped pool
 * of its own: only the endpoint's {@code cold_workers} floor. Several groups share the count by
 * weight; overflow groups get none.
 *
 * <p>Stateful (the look-back samples, the decision counter): one instance per endpoint. Unknown
 * parameters are rejected.
 */
public final class RayServeScalingPolicy implements ScalingPolicy {
    public static final String NAME = "ray";
    public static final String TARGET_ONGOING_REQUESTS = "target_ongoing_requests";
    public static final String UPSCALE_DELAY_S = "upscale_delay_s";
    public static final String DOWNSCALE_DELAY_S = "downscale_delay_s";
    public static final String UPSCALING_FACTOR = "upscaling_factor";
    public static final String DOWNSCALING_FACTOR = "downscaling_factor";
    public static final String LOOK_BACK_PERIOD_S = "look_back_period_s";
    public static final String MIN_REPLICAS = "min_replicas";
    static final Set<String> PARAMS = Set.of(TARGET_ONGOING_REQUESTS, UPSCALE_DELAY_S, DOWNSCALE_DELAY_S,
            UPSCALING_FACTOR, DOWNSCALING_FACTOR, LOOK_BACK_PERIOD_S, MIN_REPLICAS);

    private final double targetOngoing;
    private final double upscaleDelay;
    private final double downscaleDelay;
    private final double upscalingFactor;
    private final double downscalingFactor;
    private final double lookBack;
    private final int minReplicas;

    private final TimeSeries ongoing;
    /** When the desired count began to point up (positive direction) or down; NaN when it points nowhere. */
    private double pointingSince = Double.NaN;
    private int pointing;
    private int target = -1;

    private RayServeScalingPolicy(Settings params) {
        PolicyParams.rejectUnknown(NAME, params, PARAMS);
        targetOngoing = PolicyParams.atLeast(params, TARGET_ONGOING_REQUESTS, 2, 1e-3);
        upscaleDelay = PolicyParams.atLeast(params, UPSCALE_DELAY_S, 30, 0);
        downscaleDelay = PolicyParams.atLeast(params, DOWNSCALE_DELAY_S, 600, 0);
        upscalingFactor = PolicyParams.atLeast(params, UPSCALING_FACTOR, 1, 1e-3);
        downscalingFactor = PolicyParams.atLeast(params, DOWNSCALING_FACTOR, 1, 1e-3);
        lookBack = PolicyParams.atLeast(params, LOOK_BACK_PERIOD_S, 30, 1);
        minReplicas = PolicyParams.nonNegativeInt(params, MIN_REPLICAS, 1);
        ongoing = new TimeSeries(lookBack);
    }

    /** @throws dev.autoscaler.InvalidConfigException naming the parameter that is unknown or wrong */
    public static RayServeScalingPolicy fromParams(Settings params) {
        return new RayServeScalingPolicy(Objects.requireNonNull(params, "params"));
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
        int running = GroupTargets.ready(groups, shares);
        if (target < 0) {
            target = GroupTargets.serving(groups, shares);
        }
        double requests = snapshot.load().waitingRequests();
        for (int i = 0; i < groups.size(); i++) {
            if (shares[i] > 0) {
                for (WorkerRecord w : groups.get(i).workers()) {
                    if (w.state() == WorkerState.READY || w.state() == WorkerState.DRAINING) {
                        requests += Math.max(0, w.numRequestsWorking());
                    }
                }
            }
        }
        ongoing.add(now, requests);
        double total = ongoing.mean(now, lookBack, requests);

        StringBuilder why = new StringBuilder("ray: ongoing ").append(Numbers.format(total));
        int desired;
        if (target == 0 || running == 0) {
            // no running replica to divide by: the first request asks for one at once (Ray's cold start)
            desired = total > 0 ? Math.max(target, (int) Math.ceil(upscalingFactor)) : target;
            why.append(", no running replica -> ").append(desired);
            target = Math.min(Math.max(desired, minReplicas), snapshot.config().maxWorkers());
            pointing = 0;
            pointingSince = Double.NaN;
            return GroupTargets.decideTotal(snapshot, shares, target, why.toString());
        }
        double error = total / (targetOngoing * running);
        double factor = error >= 1 ? upscalingFactor : downscalingFactor;
        desired = (int) Math.ceil(running * (1 + (error - 1) * factor) - 1e-9);
        desired = Math.min(Math.max(desired, minReplicas), snapshot.config().maxWorkers());
        why.append(" / (").append(Numbers.format(targetOngoing)).append(" x ").append(running)
                .append(" running) -> ").append(desired);

        int direction = Integer.signum(desired - target);
        if (direction == 0) {
            pointing = 0;
            pointingSince = Double.NaN;
        } else {
            if (direction != pointing) {
                pointing = direction;
                pointingSince = now;
            }
            double delay = direction > 0 ? upscaleDelay : downscaleDelay;
            if (now - pointingSince >= delay - 1e-6) {
                why.append(direction > 0 ? ", above " : ", below ").append(target).append(" for ")
                        .append(Numbers.format(now - pointingSince)).append(" s -> ").append(desired);
                target = desired;
                pointing = 0;
                pointingSince = Double.NaN;
            } else {
                why.append(", waiting ").append(Numbers.format(delay)).append(" s ")
                        .append(direction > 0 ? "upscale" : "downscale").append(" delay -> ").append(target);
            }
        }
        return GroupTargets.decideTotal(snapshot, shares, target, why.toString());
    }

    @Override
    public String toString() {
        return NAME + "{" + TARGET_ONGOING_REQUESTS + "=" + targetOngoing + "}";
    }
}
