package dev.autoscaler.core.policy;

import dev.autoscaler.EndpointConfig;
import dev.autoscaler.EndpointSnapshot;
import dev.autoscaler.GroupSnapshot;
import dev.autoscaler.GroupTarget;
import dev.autoscaler.LoadStats;
import dev.autoscaler.ScalingDecision;
import dev.autoscaler.Settings;
import dev.autoscaler.WorkerIntent;
import dev.autoscaler.WorkerState;
import dev.autoscaler.spi.ScalingPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The default policy, {@code vast}: Vast's documented capacity semantics (PROTOCOL.md "Capacity
 * semantics") plus the guards its users asked of other autoscalers. It answers, per worker group, how
 * many workers should be active (holding a GPU: creating, loading, starting, ready, rebooting,
 * errored) and how many cold (stopped, model on disk). Everything is in perf units/s. A pure function
 * of the snapshot: no state, no I/O, no clock; safe to share between endpoints and threads.
 *
 * <h2>The plan, step by step</h2>
 * <ol>
 * <li><b>Forecast</b> ({@link LoadForecast}): {@code max(arrival rate over 60 s, over 300 s)} plus
 *     {@code waiting demand / target_queue_time} (work waiting at the router must be served within
 *     that time), floored at {@code min_load}. The max of the two windows scales up within a minute
 *     of a rise and down about five minutes after a fall.</li>
 * <li><b>Groups share it</b>: primary (non-overflow) groups get the forecast in proportion to their
 *     {@code weight} (equal shares when every weight is 0). Overflow groups get no share of the
 *     forecast: {@code min_load}, {@code min_cold_load} are endpoint-wide and split among the
 *     primary groups the same way.</li>
 * <li><b>Overflow groups scale on spill-over alone</b>: the router counts, per overflow group, the
 *     work it sent there or that waited because every primary worker was full
 *     ({@link GroupSnapshot#spillRateShort()}, {@link GroupSnapshot#spillRateLong()}). The spill-over
 *     rate, over the same window(s) as the forecast ({@code max(short, long)}, or the short one
 *     with {@code forecast_window=short}), sizes the group as below: {@code ceil(spill / target_util
 *     / perf)} active, {@code max(1, current active)} while perf is unknown. The queue trigger, the
 *     inactivity gate and the cold pool sizing do not apply to them; the stale-metrics hold, the
 *     gradual step down, the {@code cold_workers} floor and {@code max_workers} do. When spill-over
 *     stops, the window empties and the group shrinks step by step to its floor.</li>
 * <li><b>Active</b>: capacity {@code share / target_util}; workers {@code ceil(capacity / perf)}
 *     with {@code perf} the group's {@code perfEstimate} (measured median, else
 *     {@code expected_perf}). When perf is unknown (0: nothing benchmarked yet) and the group has
 *     load, it asks for {@code max(1, current active)}: one worker bootstraps the group, then the
 *     benchmark sizes it. A group with a traffic share never gets 0 while requests wait at the
 *     router, even when their cost is 0.</li>
 * <li><b>Queue trigger</b>: when the observed queue time exceeds {@code target_queue_time}, the
 *     group gets at least {@code max(ready + 1, ceil(ready x min(queue_time / target_queue_time,
 *     max_queue_boost)))} active, and never fewer than it has now. It is based on the workers that
 *     serve ({@code READY}), not all active ones, so workers still loading count as capacity on its
 *     way: while the first worker of a group loads, a long queue does not rent one more worker per
 *     decision. The ratio makes the boost proportional (queue 1.5 x the target: 1.5 x the ready
 *     workers), capped by {@code max_queue_boost} (default 2: at most double per decision). The
 *     trigger is a backstop for a forecast that underestimates (perf lower than benchmarked); the
 *     waiting demand in the forecast already sizes most of a backlog.</li>
 * <li><b>Inactivity gate</b>: only when the endpoint has no demand at all (forecast 0 after
 *     {@code min_load}, nobody waiting) may a group's active target reach 0. {@code
 *     inactivity_timeout} unset or 0: at once. Positive: once {@code secondsSinceLastRequest >=
 *     timeout}; before that a group that has active workers keeps 1. Negative: never; every primary
 *     group with a traffic share keeps at least 1 active (one is started if it has none). Since the
 *     long window empties five minutes after the last request, the forecast itself holds the fleet
 *     that long; a timeout only matters beyond it.</li>
 * <li><b>Stale metrics</b>: when {@code load.fresh} is false no group's active or cold target goes
 *     below its current count (HPA's rule, extended to the cold pool because destroying is the one
 *     step that cannot be undone quickly). Scale-up still happens.</li>
 * <li><b>Gradual step down</b>: one decision lowers a group's active target by at most
 *     {@code scale_down_step} below its current active count (default {@code 50%}: half, rounded
 *     up, at least 1), so 8 active go 8, 4, 2, 1, 0 over four decisions instead of 8 to 0.</li>
 * <li><b>Cold pool</b>: total capacity {@code max(share x cold_mult, min_cold_load share)}; total
 *     workers {@code ceil(total / perf)}; cold = total workers - active target (at least 0). Cold
 *     capacity is measured against the active workers' whole capacity, so rounding up happens once,
 *     and workers held active by the guards above count toward the total. With perf unknown the
 *     pool is not sized by capacity, only by the floor.</li>
 * <li><b>cold_workers floor</b>: {@code active + cold >= config.coldWorkersFor(group)}, the group's
 *     own {@code cold_workers} if set, else the endpoint's: cold is raised to fill it.</li>
 * </ol>
 * The caps are not this policy's: the engine holds every policy's decision to each group's
 * {@code max_workers}, then to the endpoint's ({@link dev.autoscaler.WorkerCaps}: cold first, then
 * active, overflow groups before primary ones), and the hard caps win over every guard and floor.
 *
 * <p>The reconciler, not this policy, turns targets into actions (resume before create, stop before
 * destroy, never below the floor, never stop a loading worker) and handles suspended and stopped
 * endpoints. Load figures that are negative or not finite count as 0.
 *
 * <h2>Parameters ({@code policy_params}, all optional)</h2>
 * <ul>
 * <li>{@value #SCALE_DOWN_STEP}: the most active workers one decision may take from a group, a count
 *     ({@code 2}) or a percentage of the current active workers rounded up ({@code 50%},
 *     default); {@code 100%} disables the limit.</li>
 * <li>{@value #MAX_QUEUE_BOOST}: at least 1, default 2; the most the queue trigger multiplies a
 *     group's ready workers by in one decision.</li>
 * <li>{@value #FORECAST_WINDOW}: {@code long} (default: the higher of the 60 s and 300 s windows,
 *     scale-down lags a fall by about five minutes) or {@code short} (the 60 s window alone:
 *     scale-down within about a minute; for bursty traffic and time-compressed demos).</li>
 * </ul>
 * Unknown parameters are rejected, so a misspelt one is not ignored in silence.
 */
public final class VastScalingPolicy implements ScalingPolicy {
    /** The policy's registered name. */
    public static final String NAME = "vast";
    public static final String SCALE_DOWN_STEP = "scale_down_step";
    public static final String MAX_QUEUE_BOOST = "max_queue_boost";
    public static final double DEFAULT_MAX_QUEUE_BOOST = 2.0;
    public static final String FORECAST_WINDOW = "forecast_window";
    static final Set<String> PARAMS = Set.of(SCALE_DOWN_STEP, MAX_QUEUE_BOOST, FORECAST_WINDOW);

    private final ScaleDownStep scaleDownStep;
    private final double maxQueueBoost;
    private final boolean useLongWindow;

    private VastScalingPolicy(ScaleDownStep scaleDownStep, double maxQueueBoost, boolean useLongWindow) {
        this.scaleDownStep = scaleDownStep;
        this.maxQueueBoost = maxQueueBoost;
        this.useLongWindow = useLongWindow;
    }

    /** The policy with every parameter at its default. */
    public static VastScalingPolicy ofDefaults() {
        return new VastScalingPolicy(ScaleDownStep.HALF, DEFAULT_MAX_QUEUE_BOOST, true);
    }

    /**
     * The policy configured by an endpoint's {@code policy_params}.
     *
     * @throws dev.autoscaler.InvalidConfigException naming the parameter that is unknown or wrong
     */
    public static VastScalingPolicy fromParams(Settings params) {
        Objects.requireNonNull(params, "params");
        PolicyParams.rejectUnknown(NAME, params, PARAMS);
        String window = params.getString(FORECAST_WINDOW, "long");
        if (!window.equals("long") && !window.equals("short")) {
            throw new dev.autoscaler.InvalidConfigException(params.fieldName(FORECAST_WINDOW),
                    "must be long or short, got '" + window + "'");
        }
        return new VastScalingPolicy(ScaleDownStep.parse(params, SCALE_DOWN_STEP, ScaleDownStep.HALF),
                PolicyParams.atLeast(params, MAX_QUEUE_BOOST, DEFAULT_MAX_QUEUE_BOOST, 1.0), window.equals("long"));
    }

    @Override
    public ScalingDecision decide(EndpointSnapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        List<GroupSnapshot> groups = snapshot.groups();
        if (groups.isEmpty()) {
            return ScalingDecision.of(Map.of(), "no worker groups to scale");
        }
        EndpointConfig config = snapshot.config();
        LoadStats load = snapshot.load();
        Inputs in = new Inputs(config, load, LoadForecast.of(load, config, useLongWindow), groups.size() > 1);
        double[] shares = trafficShares(groups);

        int n = groups.size();
        int[] active = new int[n];
        int[] cold = new int[n];
        StringBuilder reason = new StringBuilder(in.forecast.describe(config));
        for (int i = 0; i < n; i++) {
            GroupSnapshot group = groups.get(i);
            GroupPlan plan = group.config().overflow() ? planOverflow(group, in) : planPrimary(group, shares[i], in);
            active[i] = plan.active;
            cold[i] = plan.cold;
            reason.append(in.severalGroups || i > 0 ? "; group " + group.name() + ": " : " ").append(plan.notes());
        }
        Map<String, GroupTarget> targets = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            targets.put(groups.get(i).name(), new GroupTarget(active[i], cold[i]));
        }
        return ScalingDecision.of(targets, reason.toString());
    }

    /** Each group's share of the forecast: primary groups by weight (equal if all are 0), overflow 0. */
    static double[] trafficShares(List<GroupSnapshot> groups) {
        double totalWeight = 0;
        int primaries = 0;
        for (GroupSnapshot group : groups) {
            if (!group.config().overflow()) {
                totalWeight += group.config().weight();
                primaries++;
            }
        }
        double[] shares = new double[groups.size()];
        for (int i = 0; i < shares.length; i++) {
            GroupSnapshot group = groups.get(i);
            if (!group.config().overflow()) {
                shares[i] = totalWeight > 0 ? group.config().weight() / totalWeight : 1.0 / primaries;
            }
        }
        return shares;
    }

    private GroupPlan planPrimary(GroupSnapshot group, double share, Inputs in) {
        EndpointConfig config = in.config;
        GroupPlan plan = new GroupPlan(group);
        double perf = Numbers.sane(group.perfEstimate());
        double groupLoad = in.forecast.total() * share;
        String loadText = in.severalGroups
                ? Numbers.format(groupLoad) + "/s (share " + Numbers.format(share * 100) + "%) " : "";

        // 1. active capacity from the forecast
        if (groupLoad <= 0) {
            plan.note(loadText + "no load -> 0 active");
        } else if (perf > 0) {
            plan.active = Numbers.workersFor(groupLoad / config.targetUtil(), perf);
            plan.note(loadText + "/ target_util " + Numbers.format(config.targetUtil()) + " at "
                    + Numbers.format(perf) + "/s per worker -> " + plan.active + " active");
        } else {
            plan.active = Math.max(1, plan.currentActive);
            plan.note(loadText + "perf unknown until a worker benchmarks -> " + plan.active + " active");
        }

        // requests of zero cost still need a worker: someone waiting is demand whatever the forecast says
        if (share > 0 && plan.active == 0 && in.load.waitingRequests() > 0) {
            plan.active = 1;
            plan.note(in.load.waitingRequests() + " requests waiting -> 1 active");
        }

        // 2. queue trigger: add capacity now, relative to the workers that serve
        double queueTime = Numbers.sane(in.load.queueTimeSeconds());
        if (share > 0 && queueTime > config.targetQueueTime()) {
            int ready = (int) group.count(WorkerState.READY);
            double ratio = Math.min(queueTime / config.targetQueueTime(), maxQueueBoost);
            int boosted = Math.max(Math.max(ready + 1, Numbers.workersFor(ready * ratio, 1)), plan.currentActive);
            if (boosted > plan.active) {
                plan.active = boosted;
                plan.note("queue " + Numbers.format(queueTime) + " s > target_queue_time "
                        + Numbers.format(config.targetQueueTime()) + " s with " + ready + " ready -> "
                        + boosted + " active");
            }
        }

        // 3. inactivity gate: zero active only when the endpoint has no demand and the gate allows it
        if (share > 0 && in.idle && plan.active == 0) {
            double timeout = config.inactivityTimeout().orElse(0);
            double idleFor = Double.isNaN(in.load.secondsSinceLastRequest()) ? 0 : in.load.secondsSinceLastRequest();
            if (timeout < 0) {
                plan.active = 1;
                plan.note("inactivity_timeout " + Numbers.format(timeout) + " never allows zero -> 1 active");
            } else if (timeout > 0 && idleFor < timeout && plan.currentActive > 0) {
                plan.active = 1;
                plan.note("idle " + Numbers.format(idleFor) + " s < inactivity_timeout " + Numbers.format(timeout)
                        + " s -> keep 1 active");
            }
        }

        holdAndStep(plan, in);

        // 4. cold pool: fill total capacity up with stopped workers
        if (perf > 0) {
            double byMult = groupLoad * config.coldMult();
            double byMinimum = config.minColdLoad() * share;
            int totalWorkers = Numbers.workersFor(Math.max(byMult, byMinimum), perf);
            plan.cold = Math.max(0, totalWorkers - plan.active);
            if (totalWorkers > 0) {
                plan.note((byMinimum > byMult ? "min_cold_load " + Numbers.format(config.minColdLoad())
                        : "cold_mult " + Numbers.format(config.coldMult())) + " -> " + plan.cold + " cold");
            }
        }
        applyFloorAndColdHold(plan, in);
        return plan;
    }

    private GroupPlan planOverflow(GroupSnapshot group, Inputs in) {
        GroupPlan plan = new GroupPlan(group);
        double shortSpill = Numbers.sane(group.spillRateShort());
        double longSpill = useLongWindow ? Numbers.sane(group.spillRateLong()) : 0;
        double spill = Math.max(shortSpill, longSpill);
        double perf = Numbers.sane(group.perfEstimate());
        if (spill <= 0) {
            plan.note("overflow group, no spill-over -> 0 active");
        } else if (perf > 0) {
            plan.active = Numbers.workersFor(spill / in.config.targetUtil(), perf);
            plan.note("overflow group, spill-over " + Numbers.format(spill) + "/s / target_util "
                    + Numbers.format(in.config.targetUtil()) + " at " + Numbers.format(perf) + "/s per worker -> "
                    + plan.active + " active");
        } else {
            plan.active = Math.max(1, plan.currentActive);
            plan.note("overflow group, spill-over " + Numbers.format(spill)
                    + "/s, perf unknown until a worker benchmarks -> " + plan.active + " active");
        }
        holdAndStep(plan, in);
        applyFloorAndColdHold(plan, in);
        return plan;
    }

    /** Stale metrics hold the active count; otherwise a drop is limited to one step. */
    private void holdAndStep(GroupPlan plan, Inputs in) {
        if (plan.active >= plan.currentActive) {
            return;
        }
        if (!in.load.fresh()) {
            plan.active = plan.currentActive;
            plan.note("metrics stale -> hold " + plan.active + " active");
            return;
        }
        int lowest = plan.currentActive - scaleDownStep.allowed(plan.currentActive);
        if (plan.active < lowest) {
            plan.note("scale_down_step " + scaleDownStep + " -> " + lowest + " active for now, not " + plan.active);
            plan.active = lowest;
        }
    }

    private static void applyFloorAndColdHold(GroupPlan plan, Inputs in) {
        int floor = in.config.coldWorkersFor(plan.group.config());
        String floorText = "cold_workers floor " + floor
                + (plan.group.config().coldWorkers().isPresent() ? " (group's own)" : "");
        if (plan.active + plan.cold < floor) {
            plan.cold = floor - plan.active;
            plan.note(floorText + " -> " + plan.cold + " cold");
        } else if (floor > 0) {
            plan.note(floorText);
        }
        if (!in.load.fresh() && plan.cold < plan.currentCold) {
            plan.cold = plan.currentCold;
            plan.note("metrics stale -> hold " + plan.cold + " cold");
        }
    }

    @Override
    public String toString() {
        return NAME + "{" + SCALE_DOWN_STEP + "=" + scaleDownStep + ", " + MAX_QUEUE_BOOST + "="
                + Numbers.format(maxQueueBoost) + "}";
    }

    /** What every group's plan reads. */
    private static final class Inputs {
        final EndpointConfig config;
        final LoadStats load;
        final LoadForecast forecast;
        final boolean severalGroups;
        /** No demand at all: the only case where the inactivity gate lets active reach 0. */
        final boolean idle;

        Inputs(EndpointConfig config, LoadStats load, LoadForecast forecast, boolean severalGroups) {
            this.config = config;
            this.load = load;
            this.forecast = forecast;
            this.severalGroups = severalGroups;
            this.idle = forecast.total() <= 0 && load.waitingRequests() <= 0;
        }
    }

    /** One group's targets as they are worked out, with the notes that become the reason. */
    private static final class GroupPlan {
        final GroupSnapshot group;
        final int currentActive;
        final int currentCold;
        int active;
        int cold;
        private final List<String> notes = new ArrayList<>();

        GroupPlan(GroupSnapshot group) {
            this.group = group;
            // A worker a scale-down drains to stop (draining, intent cold) takes no request and is on
            // its way to the cold pool: counted as active, it would slow the next step down by one and
            // make a stale-metrics hold take it back.
            int drainingToStop = (int) group.workers().stream()
                    .filter(w -> w.state() == WorkerState.DRAINING && w.intent() == WorkerIntent.COLD).count();
            this.currentActive = (int) group.activeCount() - drainingToStop;
            this.currentCold = (int) group.coldCount() + drainingToStop;
        }

        void note(String note) {
            notes.add(note);
        }

        String notes() {
            return String.join("; ", notes);
        }
    }
}
