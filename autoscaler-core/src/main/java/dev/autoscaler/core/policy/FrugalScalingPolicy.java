package dev.autoscaler.core.policy;

import dev.autoscaler.EndpointConfig;
import dev.autoscaler.EndpointSnapshot;
import dev.autoscaler.GroupSnapshot;
import dev.autoscaler.LoadStats;
import dev.autoscaler.ScalingDecision;
import dev.autoscaler.Settings;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import dev.autoscaler.spi.ScalingPolicy;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code frugal} policy: the cheapest fleet that keeps the queue-time SLO ({@code
 * target_queue_time}, T). It spends on what is cheap (a stopped worker: about 5% of its price) to
 * save what is dear (a create: minutes of GPU at full price before it serves; a request that waits
 * past the SLO), and it does not give capacity back the moment a load dips (a stop undone within
 * minutes is a resume paid for nothing, and a wait for whoever comes during it).
 *
 * <h2>Each decision</h2>
 * <ol>
 * <li><b>Memory</b>: the engine's 10 s arrival rate ({@link LoadStats#arrivalRateBurst()}) is kept,
 *     sample by sample, so the policy sees the traffic's shape and not only means over fixed
 *     windows.</li>
 * <li><b>Level</b>: the 60 s mean of those samples, or the 20 s mean, or the latest 10 s rate, when
 *     one stands out of the noise (by two of its standard errors, the noise measured on the samples
 *     before those 20 s): a rise is followed at the first decision that sees it, a steady load's
 *     wobble is not.</li>
 * <li><b>Forecast over the horizon that matters</b>: the level plus the trend (least-squares slope
 *     over {@value #TREND_WINDOW}, used only when it is three standard errors from 0 and rising)
 *     extended over the time new capacity takes to arrive: a resume ({@value #RESUME_SECONDS})
 *     while stopped workers are there, else a create ({@value #BOOT_SECONDS}); no further than the
 *     trend was observed; to at most 2 x the level while resumes can serve it (a resume asked for
 *     early costs seconds of GPU) and 1.25 x while only creates can (a create asked for early costs
 *     minutes at full price, and a step is not a ramp). A fall is never extrapolated: scaling down
 *     early is the expensive mistake.</li>
 * <li><b>Burst envelope</b>: for windows d of 10, 20, 30, 60 and 120 s, the work that arrived in the
 *     last d seconds (over the last {@value #BURST_MEMORY} of samples). The SLO lets a burst queue
 *     for T: a burst of rate r lasting d seconds is served in time by capacity {@code r x d / (d + T)},
 *     so short bursts are absorbed by the queue budget and long ones by workers.</li>
 * <li><b>Capacity</b> = max(forecast / {@value #MAX_UTIL}, burst need, backlog + forecast), where the
 *     backlog (work waiting at the router, and work the ready workers hold beyond 2T of their perf:
 *     it waits past the SLO there) is to be cleared within T/2 + 0.3 x the horizon (capacity
 *     asked for now arrives spread over the horizon, and the backlog grows meanwhile); times the
 *     queue-time feedback factor. Counted in the workers' own measured perf: the workers serving
 *     now, best first, then the group's perf estimate for any added. A worker overdue (a resume or
 *     boot past 1.5 x {@value #RESUME_SECONDS} or {@value #BOOT_SECONDS}: a stalled resume, a stuck
 *     boot) keeps its place but counts for no capacity, so its replacement is asked for beside it.</li>
 * <li><b>Queue-time feedback</b>: a decision whose observed queue time is above T while nothing is
 *     on its way and the ready capacity covers the plan multiplies a factor by 1.25 (at most
 *     {@value #MAX_QUEUE_BOOST}); it decays back toward 1, halving its excess each minute. A plan
 *     that underestimates (perf lower than benchmarked, costlier requests) is corrected by what users
 *     see. While requests wait past T with nothing on its way, one worker more than serve is asked
 *     for; never one per decision while workers load (that was {@code vast}'s ratchet).</li>
 * <li><b>Hysteresis</b>: up at once; down only to the highest need of the last
 *     {@value #SCALE_DOWN_DELAY}, only if 15% more load would fit too, and never on stale figures.</li>
 * <li><b>Stopped pool, kept rather than rented</b>: room for the largest rise of the 60 s mean over
 *     any {@value #BOOT_SECONDS} span (the load a create would come too late for), remembered with a
 *     half-life of {@value #RISE_HALF_LIFE}, and the workers for the highest sustained need (forecast
 *     and burst need; not a backlog, which is cleared once) within boot / 5% seconds (an hour at
 *     180 s: keeping a stopped worker that long costs what one boot at full price does).
 *     The pool only keeps workers it has or that this decision stops: renting a worker just to stop
 *     it costs a boot, and a stopped worker this decision resumes is not replaced. The endpoint's {@code cold_workers} floor applies as for every policy, the
 *     engine's caps after.</li>
 * <li><b>Standby</b> ({@value #STANDBY_RATIO}, off by default): for traffic whose owner knows it rises
 *     without warning, the pool also holds, rented if need be, the workers for that many times the
 *     median level of the keep time (the usual level: a spike does not raise it). The one pool rented
 *     on purpose; what it costs where no such rise comes is in the README.</li>
 * <li><b>Waking from idle</b>: the first demand after the fleet reached zero asks for the remembered
 *     rise at once, with the queue that rise builds until the resumes come (as backlog), so the pool
 *     is resumed together rather than over several decisions.</li>
 * </ol>
 * Several groups share the plan by weight (as with {@code vast}); an overflow group is sized from its
 * spill-over alone, without a pool of its own.
 *
 * <h2>Parameters ({@code policy_params}, all optional)</h2>
 * {@value #MAX_UTIL} the endpoint's {@code target_util}, {@value #RESUME_SECONDS} 30, {@value #BOOT_SECONDS} 180,
 * {@value #BURST_MEMORY} 10, {@value #TREND_WINDOW} 120, {@value #SCALE_DOWN_DELAY} 120,
 * {@value #RISE_HALF_LIFE} 3600, {@value #MAX_QUEUE_BOOST} 1.5, {@value #STANDBY_RATIO} 0 (off)
 * (seconds where a duration); the README's "Scaling policies" gives each default's reasoning.
 * Unknown parameters are rejected.
 *
 * <p>Stateful: one instance per endpoint, called from one thread at a time (the engine's contract).
 * Deterministic: the same snapshots in the same order give the same decisions.
 */
public final class FrugalScalingPolicy implements ScalingPolicy {
    public static final String NAME = "frugal";
    public static final String MAX_UTIL = "max_util";
    public static final String RESUME_SECONDS = "resume_seconds";
    public static final String BOOT_SECONDS = "boot_seconds";
    public static final String BURST_MEMORY = "burst_memory";
    public static final String TREND_WINDOW = "trend_window";
    public static final String SCALE_DOWN_DELAY = "scale_down_delay";
    public static final String RISE_HALF_LIFE = "rise_half_life";
    public static final String MAX_QUEUE_BOOST = "max_queue_boost";
    public static final String STANDBY_RATIO = "standby_ratio";
    static final Set<String> PARAMS = Set.of(MAX_UTIL, RESUME_SECONDS, BOOT_SECONDS, BURST_MEMORY, TREND_WINDOW,
            SCALE_DOWN_DELAY, RISE_HALF_LIFE, MAX_QUEUE_BOOST, STANDBY_RATIO);

    /** The burst windows, seconds: from the engine's finest (10 s) to two minutes. */
    private static final double[] BURST_WINDOWS = {10, 20, 30, 60, 120};
    private static final double RISE_MEAN_WINDOW = 60;
    /**
     * A scale-down must also fit 15% more load: about 1.6 standard deviations of a 60 s mean of
     * Poisson arrivals at 2 requests/s, so that a steady load's wobble does not stop a worker the
     * next minute needs.
     */
    private static final double DOWN_BAND = 0.15;
    /**
     * How far a rising trend may be extrapolated, as a share of the level: while stopped workers can
     * be resumed, to twice the level (a resume asked for too early costs seconds of GPU, one asked
     * for too late costs waits); while only creates can add capacity, to 1.25 x (a create asked for
     * too early costs minutes of GPU at full price before it serves, and a step is not a ramp).
     */
    private static final double TREND_CAP_RESUME = 1.0;
    private static final double TREND_CAP_CREATE = 0.25;
    /**
     * The share of the horizon the backlog is cleared over (after T/2): capacity added now arrives
     * spread over the horizon (a resume's median is half its p95), and the backlog grows meanwhile;
     * spreading it over the whole horizon asks for too little to clear it before it turns into
     * violations.
     */
    private static final double BACKLOG_HORIZON_SHARE = 0.3;
    /**
     * An overdue worker: one whose resume or boot took 1.5 x what {@code resume_seconds} or {@code
     * boot_seconds} say. At the defaults a resume past 45 s, beyond the p95 of Vast's resumes (40 s):
     * most of those are the stalls that last minutes.
     */
    private static final double OVERDUE_FACTOR = 1.5;
    /**
     * How many T of work a ready worker may hold before the rest counts as backlog. Its {@code
     * cur_load} is everything in flight, the requests it serves as well as those queued (Vast's queue
     * time, (cur_load + reserved) / perf, counts both), and a batch in service delays no one's start:
     * at 1 x T a busy fleet's ordinary wobble reads as backlog (diurnal: 1.4% more cost, no fewer
     * violations); at 2 x T a worker is behind by at least T of queued work whenever the work it
     * serves at once is at most T of its perf.
     */
    private static final double WORKER_BACKLOG_T = 2;
    /** The share of its price a stopped worker costs (disk only): about 5% on Vast. */
    private static final double STORAGE_SHARE = 0.05;

    /** {@code max_util} as given, or NaN: then the endpoint's {@code target_util}, read at each decision. */
    private final double maxUtilParam;
    private double maxUtil;
    private final double resumeSeconds;
    private final double bootSeconds;
    private final double burstMemory;
    private final double trendWindow;
    private final double scaleDownDelay;
    private final double riseHalfLife;
    private final double maxQueueBoost;
    private final double standbyRatio;

    private final TimeSeries rates;
    /** The {@code RISE_MEAN_WINDOW} mean at each decision, for the rises. */
    private final TimeSeries means;
    /** Total active need at each decision, for the scale-down hysteresis. */
    private final TimeSeries needs;
    /** The sustained capacity needed at each decision (perf units/s), for the workers worth keeping stopped. */
    private final TimeSeries peaks;
    private final double keepSeconds;
    /** The level at each decision over the keep time, for the standby's median (empty with standby off). */
    private final TimeSeries levels;
    private double rememberedRise;
    private double riseAt = Double.NaN;
    private double queueFactor = 1;
    private double lastSeconds = Double.NaN;

    private FrugalScalingPolicy(Settings params) {
        PolicyParams.rejectUnknown(NAME, params, PARAMS);
        maxUtilParam = params.get(MAX_UTIL).isPresent() ? PolicyParams.fraction(params, MAX_UTIL, 1) : Double.NaN;
        resumeSeconds = PolicyParams.between(params, RESUME_SECONDS, 30, 0, 3600);
        bootSeconds = PolicyParams.between(params, BOOT_SECONDS, 180, 0, 7200);
        burstMemory = PolicyParams.between(params, BURST_MEMORY, 10, 5, 86400);
        trendWindow = PolicyParams.between(params, TREND_WINDOW, 120, 10, 3600);
        scaleDownDelay = PolicyParams.between(params, SCALE_DOWN_DELAY, 120, 0, 86400);
        riseHalfLife = PolicyParams.between(params, RISE_HALF_LIFE, 3600, 1, 30 * 86400.0);
        maxQueueBoost = PolicyParams.atLeast(params, MAX_QUEUE_BOOST, 1.5, 1);
        standbyRatio = PolicyParams.between(params, STANDBY_RATIO, 0, 0, 1000);
        rates = new TimeSeries(Math.max(Math.max(burstMemory, trendWindow), 60));
        means = new TimeSeries(bootSeconds + RISE_MEAN_WINDOW);
        needs = new TimeSeries(scaleDownDelay);
        // a stopped worker costs STORAGE_SHARE of its price per second kept; renting it again costs a
        // boot at full price: keeping it is cheaper for boot / STORAGE_SHARE seconds (an hour at 180 s)
        keepSeconds = bootSeconds / STORAGE_SHARE;
        peaks = new TimeSeries(keepSeconds);
        levels = new TimeSeries(keepSeconds);
    }

    /** The policy with every parameter at its default. */
    public static FrugalScalingPolicy ofDefaults() {
        return new FrugalScalingPolicy(Settings.empty());
    }

    /** @throws dev.autoscaler.InvalidConfigException naming the parameter that is unknown or wrong */
    public static FrugalScalingPolicy fromParams(Settings params) {
        return new FrugalScalingPolicy(Objects.requireNonNull(params, "params"));
    }

    @Override
    public ScalingDecision decide(EndpointSnapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        List<GroupSnapshot> groups = snapshot.groups();
        if (groups.isEmpty()) {
            return ScalingDecision.of(java.util.Map.of(), "no worker groups to scale");
        }
        double now = GroupTargets.seconds(snapshot);
        double dt = Double.isNaN(lastSeconds) ? 0 : Math.max(0, now - lastSeconds);
        lastSeconds = now;
        // the utilisation the user accepts is the endpoint's target_util unless max_util overrides it
        maxUtil = Double.isNaN(maxUtilParam) ? snapshot.config().targetUtil() : maxUtilParam;

        double burstRate = remember(now, snapshot.load());
        double[] shares = VastScalingPolicy.trafficShares(groups);
        Plan plan = plan(snapshot, shares, now, dt, burstRate);
        if (standbyRatio > 0) {
            levels.add(now, plan.level());
        }
        StringBuilder why = new StringBuilder(plan.describe());

        int[] current = new int[groups.size()];
        for (int i = 0; i < groups.size(); i++) {
            current[i] = GroupTargets.serving(groups.get(i));
        }
        int[] active = activeWorkers(snapshot, shares, plan, current);
        hold(snapshot, shares, plan, current, active, now, why);
        // what the pool remembers is the sustained need (the forecast at max_util, the burst need), not
        // the backlog's: a queue is cleared once, and a pool kept for an hour to clear it again costs
        // a boot per worker in storage
        peaks.add(now, Math.max(plan.forecast() / maxUtil, plan.burstNeed()));
        int[] cold = pool(snapshot, shares, plan, current, active, now, why);
        return GroupTargets.decide(snapshot, active, cold, why.toString());
    }

    /**
     * What one decision plans for, in perf units/s, with what it was made of (for the reason).
     *
     * @param horizon        the seconds new capacity takes: a resume while stopped workers are there, else a create
     * @param resumeRegime   whether stopped workers can serve the rise (the horizon is a resume's)
     * @param waitingWork    the work waiting, with its growth until capacity comes (0 with nothing waiting)
     * @param backlogSeconds what the backlog is cleared within
     * @param queueOverTarget the queue time is above T with nothing on its way
     * @param capacity       what the active fleet is sized for
     */
    private record Plan(double level, double slope, double horizon, boolean resumeRegime, double forecast,
                        double burstNeed, double waitingWork, double backlogSeconds, double queueFactor,
                        boolean queueOverTarget, boolean waking, double rise, double capacity) {

        String describe() {
            StringBuilder why = new StringBuilder("frugal: level ").append(Numbers.format(level)).append("/s");
            if (slope > 0) {
                why.append(" + trend ").append(Numbers.format(slope)).append("/s² x ").append(Numbers.format(horizon))
                        .append(" s (").append(resumeRegime ? "resume" : "create").append(")");
            }
            why.append(", burst need ").append(Numbers.format(burstNeed)).append("/s");
            if (waitingWork > 0) {
                why.append(", backlog ").append(Numbers.format(waitingWork))
                        .append(" (waiting and its growth until capacity comes) over ")
                        .append(Numbers.format(backlogSeconds)).append(" s");
            }
            if (queueFactor > 1.0001) {
                why.append(", queue feedback x").append(Numbers.format(queueFactor));
            }
            if (waking) {
                why.append(", waking for a rise of ").append(Numbers.format(rise)).append("/s");
            }
            return why.append(" -> ").append(Numbers.format(capacity)).append("/s").toString();
        }
    }

    /** 1. Memory: keeps the 10 s rate and its 60 s mean, and the largest rise; returns the 10 s rate. */
    private double remember(double now, LoadStats load) {
        double burstRate = Numbers.sane(load.arrivalRateBurst());
        rates.add(now, burstRate);
        double mean60 = rates.mean(now, RISE_MEAN_WINDOW, burstRate);
        means.add(now, mean60);
        updateRise(now, mean60);
        return burstRate;
    }

    /** 2-5. The level, the forecast over the horizon, the burst need, the backlog and the queue feedback. */
    private Plan plan(EndpointSnapshot snapshot, double[] shares, double now, double dt, double burstRate) {
        List<GroupSnapshot> groups = snapshot.groups();
        LoadStats load = snapshot.load();
        double T = snapshot.config().targetQueueTime();
        boolean stoppedAvailable = false;
        for (int i = 0; i < groups.size(); i++) {
            if (shares[i] > 0 && groups.get(i).count(WorkerState.STOPPED) > 0) {
                stoppedAvailable = true;
            }
        }

        // 2. forecast over the horizon new capacity takes
        // the level: the 60 s mean, or the 20 s mean when it stands out of the noise (by two standard
        // errors of a 20 s mean, the noise measured on the 10 s rates before those 20 s): a rise is
        // followed within seconds, a steady load's wobble is not
        double noise = rates.stddev(now - trendWindow, now - 20) / Math.sqrt(2);
        // and the latest 10 s rate when it stands two of its own standard deviations (noise x sqrt 2)
        // above the noise: a sudden rise is followed at the first tick that sees it
        double level = Math.max(rates.mean(now, 60, burstRate),
                Math.max(rates.mean(now, 20, burstRate) - 2 * noise, burstRate - 2 * noise * Math.sqrt(2)));
        double horizon = stoppedAvailable ? resumeSeconds : bootSeconds;
        double slope = Math.max(0, slope(now));
        // a trend is extrapolated no further than it was observed, and to at most TREND_CAP_* of the
        // level (what the forecast asks for is held through the scale-down delay)
        double trendCap = level * (stoppedAvailable ? TREND_CAP_RESUME : TREND_CAP_CREATE);
        double forecast = level + Math.min(trendCap, slope * Math.min(horizon, trendWindow));

        // 3. burst envelope
        double burstNeed = burstNeed(now, T);

        // 4-5. capacity, with the queue-time feedback
        double queueTime = Numbers.sane(load.queueTimeSeconds());
        boolean provisioning = false;
        for (GroupSnapshot group : groups) {
            for (WorkerRecord w : group.workers()) {
                provisioning |= PoolWorkers.isServing(w) && w.state() != WorkerState.READY && !overdue(w, snapshot.nanoTime());
            }
        }
        // the queue says the plan is short only when the capacity planned is there (nothing on its
        // way, ready capacity above the level): while workers come, a queue is what they come for
        double readyCapacity = 0;
        for (int i = 0; i < groups.size(); i++) {
            if (shares[i] > 0) {
                readyCapacity += groups.get(i).readyCapacity();
            }
        }
        if (queueTime > T && !provisioning && readyCapacity >= level / maxUtil) {
            queueFactor = Math.min(maxQueueBoost, queueFactor * 1.25);
        } else if (dt > 0) {
            queueFactor = 1 + (queueFactor - 1) * Math.pow(0.5, dt / 60);
        }
        // the backlog: capacity asked for now arrives within the horizon, and should clear it soon after
        double backlogSeconds = T / 2 + BACKLOG_HORIZON_SHARE * horizon;
        double waitingWork = Numbers.sane(load.waitingDemand());
        // and the work the ready workers hold beyond what they finish within WORKER_BACKLOG_T x T: it
        // waits past the SLO at the worker as it would at the router (the router sends a worker up to
        // max_queue_time of work, 30 s by default, three times T)
        waitingWork += queuedBeyond(groups, shares, WORKER_BACKLOG_T * T);
        if (waitingWork > 0) {
            // while requests wait, the queue grows by what arrives beyond the ready capacity until
            // the capacity asked for now arrives (what is on its way comes at uncertain times: a
            // resume's p95 is 40 s, a boot's minutes): that growth is backlog to clear too
            waitingWork += Math.max(0, level - readyCapacity) * horizon;
        }
        double backlog = waitingWork / backlogSeconds;
        double capacity = Math.max(Math.max(forecast / maxUtil, burstNeed), backlog + forecast) * queueFactor;

        // waking from idle: the burst that starts is expected to rise as the remembered ones did, and
        // the pool is there to be resumed at once rather than one worker per decision
        double rise = decayedRise(now);
        int servingNow = 0;
        for (GroupSnapshot group : groups) {
            servingNow += GroupTargets.serving(group);
        }
        boolean waking = servingNow == 0 && (burstRate > 0 || load.waitingRequests() > 0);
        if (waking) {
            // the burst that starts is expected at the remembered rise: the queue grows at that rate
            // until the resumes come, and that growth is backlog as for any other queue
            double wakeGrowth = Math.max(0, rise - level) * horizon / backlogSeconds;
            capacity = Math.max(capacity, Math.max(rise / maxUtil, (rise + wakeGrowth) * queueFactor));
        }
        return new Plan(level, slope, horizon, stoppedAvailable, forecast, burstNeed, waitingWork, backlogSeconds,
                queueFactor, queueTime > T && !provisioning, waking, rise, capacity);
    }

    /**
     * The active workers each group needs for the plan: a primary group its share of the capacity, an
     * overflow group its spill-over alone; none above the endpoint's max_workers (counting beyond it
     * would overflow sums).
     */
    private int[] activeWorkers(EndpointSnapshot snapshot, double[] shares, Plan plan, int[] current) {
        List<GroupSnapshot> groups = snapshot.groups();
        int[] active = new int[groups.size()];
        for (int i = 0; i < groups.size(); i++) {
            GroupSnapshot group = groups.get(i);
            double perf = Numbers.sane(group.perfEstimate());
            if (group.config().overflow()) {
                double spill = Math.max(Numbers.sane(group.spillRateShort()), Numbers.sane(group.spillRateLong()));
                active[i] = spill <= 0 ? 0 : perf > 0 ? workersFor(group, spill / maxUtil, perf, snapshot.nanoTime()) : Math.max(1, current[i]);
            } else if (shares[i] > 0) {
                active[i] = primaryWorkers(group, plan.capacity() * shares[i], perf, current[i], snapshot.load(),
                        plan.queueOverTarget(), snapshot.nanoTime());
            }
            active[i] = Math.min(active[i], snapshot.config().maxWorkers());
        }
        return active;
    }

    /**
     * 6. Hysteresis, in place on {@code active}: up at once; down only to the highest need of the delay
     * window, only once the need with {@value #DOWN_BAND} more load fits too, never on stale figures.
     */
    private void hold(EndpointSnapshot snapshot, double[] shares, Plan plan, int[] current, int[] active, double now,
                      StringBuilder why) {
        List<GroupSnapshot> groups = snapshot.groups();
        LoadStats load = snapshot.load();
        int wanted = sum(active);
        needs.add(now, wanted);
        int held = (int) needs.max(now, scaleDownDelay + 1e-6, wanted);
        boolean holding = false;
        int currentTotal = sum(current);
        int keep = load.fresh() ? Math.min(currentTotal, held) : currentTotal;
        for (int i = 0; i < groups.size(); i++) {
            if (active[i] < current[i]) {
                int floor = keep >= currentTotal ? current[i]
                        : (int) Math.ceil(keep * (double) current[i] / currentTotal - 1e-9);
                GroupSnapshot group = groups.get(i);
                if (shares[i] > 0 && !group.config().overflow()) {
                    floor = Math.max(floor, primaryWorkers(group, plan.capacity() * (1 + DOWN_BAND) * shares[i],
                            Numbers.sane(group.perfEstimate()), current[i], load, false, snapshot.nanoTime()));
                }
                floor = Math.min(current[i], floor);
                if (floor > active[i]) {
                    active[i] = floor;
                    holding = true;
                }
            }
        }
        if (holding) {
            why.append("; hold ").append(sum(active)).append(" active (highest need of the last ")
                    .append(Numbers.format(scaleDownDelay)).append(" s: ").append(held).append(load.fresh() ? ")" : ", figures stale)");
        } else {
            why.append(" -> ").append(sum(active)).append(" active");
        }
    }

    /**
     * 7. The stopped pool of each group beside its active workers: room for the remembered rise above
     * the level, and the workers for the highest sustained need within the keep time (renting one
     * again costs more than keeping it that long); kept, not rented.
     */
    private int[] pool(EndpointSnapshot snapshot, double[] shares, Plan plan, int[] current, int[] active, double now,
                       StringBuilder why) {
        List<GroupSnapshot> groups = snapshot.groups();
        int[] cold = new int[groups.size()];
        double rise = plan.rise();
        // the median, not the mean or the peak: the usual level, which a spike does not raise (a
        // standby grown by each spike would be kept, rented, for an hour at the spike's size times the ratio)
        double standby = standbyRatio > 0 ? standbyRatio * levels.median(now, keepSeconds, 0) : 0;
        for (int i = 0; i < groups.size(); i++) {
            GroupSnapshot group = groups.get(i);
            double perf = Numbers.sane(group.perfEstimate());
            if (shares[i] > 0 && perf > 0) {
                int total = Math.max(rise > 0 ? Numbers.workersFor((plan.level() + rise) * shares[i] / maxUtil, perf) : 0,
                        Numbers.workersFor(peaks.max(now, keepSeconds, 0) * shares[i], perf));
                // kept, not rented: a worker rented for the pool costs a boot at full price, one kept
                // costs 5% of its price. The pool keeps the workers it has and those this decision
                // stops (the endpoint's cold_workers floor is applied after, as for all); a stopped
                // worker this decision resumes leaves the pool (replacing it would rent one)
                int resumed = (int) Math.min(group.count(WorkerState.STOPPED), Math.max(0, active[i] - current[i]));
                int available = (int) group.coldCount() - resumed + PoolWorkers.count(group) + Math.max(0, current[i] - active[i]);
                cold[i] = Math.min(Math.min(Math.max(0, total - active[i]), available), snapshot.config().maxWorkers());
                if (standby > 0) {
                    // the one pool rented on purpose: the owner says rises of standby_ratio x the usual
                    // level come without warning, and a resume is the only way to meet them in time
                    int standing = Numbers.workersFor(standby * shares[i] / maxUtil, perf);
                    cold[i] = Math.max(cold[i], Math.min(Math.max(0, standing - active[i]), snapshot.config().maxWorkers()));
                }
            }
            if (!snapshot.load().fresh()) {
                int poolNow = (int) group.coldCount() + PoolWorkers.count(group);
                cold[i] = Math.max(cold[i], poolNow);
            }
        }
        why.append("; pool (kept, not rented) -> ").append(sum(cold)).append(" cold");
        if (rise > 0) {
            why.append(" (largest rise remembered ").append(Numbers.format(rise)).append("/s)");
        }
        if (standby > 0) {
            why.append(", standby for ").append(Numbers.format(standby)).append("/s (")
                    .append(Numbers.format(standbyRatio)).append(" x the median level)");
        }
        return cold;
    }

    /**
     * A primary group's workers for {@code capacity}: at least one while requests wait, and one more
     * than serve while they wait past T with nothing on its way (with workers on their way, one more
     * per decision would be a ratchet: the queue lasts until they are ready).
     */
    private int primaryWorkers(GroupSnapshot group, double capacity, double perf, int current, LoadStats load,
                               boolean queueOverTarget, long nowNanos) {
        int workers;
        if (capacity <= 0 && load.waitingRequests() == 0) {
            workers = 0;
        } else if (perf > 0) {
            workers = Math.max(capacity > 0 ? 1 : 0, workersFor(group, capacity, perf, nowNanos));
        } else {
            workers = Math.max(1, current); // one worker bootstraps; its benchmark sizes the group
        }
        if (load.waitingRequests() > 0) {
            workers = Math.max(workers, 1);
            if (queueOverTarget) {
                workers = Math.max(workers, current + 1);
            }
        }
        return workers;
    }

    /**
     * Fewest workers whose perf adds up to {@code capacity}: the group's serving workers first, best
     * measured perf first (a loading one counts at the estimate), then new ones at the estimate. An
     * overdue worker keeps its place (it may still come, and the engine would otherwise pick it to
     * retire) but brings no capacity: its replacement is asked for beside it.
     */
    private int workersFor(GroupSnapshot group, double capacity, double estimate, long nowNanos) {
        if (!(capacity > 0)) {
            return 0;
        }
        List<Double> perfs = new ArrayList<>();
        int overdue = 0;
        for (WorkerRecord w : group.workers()) {
            if (PoolWorkers.isServing(w)) {
                if (overdue(w, nowNanos)) {
                    overdue++;
                } else {
                    perfs.add(w.perf() > 0 ? w.perf() : estimate);
                }
            }
        }
        perfs.sort((a, b) -> Double.compare(b, a));
        double sum = 0;
        int count = 0;
        for (double p : perfs) {
            if (sum >= capacity * (1 - 1e-9)) {
                return count + overdue;
            }
            sum += p;
            count++;
        }
        return (int) Math.min(Integer.MAX_VALUE, (long) count + overdue + Numbers.workersFor(capacity - sum, estimate));
    }

    /** Work the ready workers of the primary groups hold beyond {@code seconds} of their perf, in all. */
    private static double queuedBeyond(List<GroupSnapshot> groups, double[] shares, double seconds) {
        double queued = 0;
        double perf = 0;
        for (int i = 0; i < groups.size(); i++) {
            if (shares[i] <= 0) {
                continue;
            }
            for (WorkerRecord w : groups.get(i).workers()) {
                if (w.state() == WorkerState.READY && w.perf() > 0) {
                    queued += Numbers.sane(w.curLoad()) + Numbers.sane(w.reservedLoad());
                    perf += w.perf();
                }
            }
        }
        return Math.max(0, queued - perf * seconds);
    }

    /**
     * A worker on its way that has taken {@value #OVERDUE_FACTOR} x what it should: a resume past
     * 1.5 x {@code resume_seconds} (a stalled resume: 5% of them stall for minutes on Vast), a boot
     * past 1.5 x {@code boot_seconds}. Waiting for it is what makes a burst's violations.
     */
    private boolean overdue(WorkerRecord w, long nowNanos) {
        double age = w.secondsInState(nowNanos);
        return switch (w.state()) {
            case STARTING -> age > OVERDUE_FACTOR * resumeSeconds;
            case CREATING, LOADING -> age > OVERDUE_FACTOR * bootSeconds;
            default -> false;
        };
    }

    /**
     * Least-squares slope of the 10 s rate over the trend window, per second; 0 with too few samples
     * or when the slope is not three standard errors away from 0 (a steady load's wobble is no trend).
     */
    private double slope(double now) {
        List<double[]> points = new ArrayList<>();
        for (Iterator<double[]> it = rates.iterator(); it.hasNext(); ) {
            double[] s = it.next();
            if (s[0] > now - trendWindow) {
                points.add(s);
            }
        }
        int n = points.size();
        if (n < 4) {
            return 0;
        }
        double mx = 0;
        double my = 0;
        for (double[] p : points) {
            mx += p[0];
            my += p[1];
        }
        mx /= n;
        my /= n;
        double sxx = 0;
        double sxy = 0;
        for (double[] p : points) {
            sxx += (p[0] - mx) * (p[0] - mx);
            sxy += (p[0] - mx) * (p[1] - my);
        }
        if (sxx <= 0) {
            return 0;
        }
        double slope = sxy / sxx;
        double residuals = 0;
        for (double[] p : points) {
            double r = p[1] - my - slope * (p[0] - mx);
            residuals += r * r;
        }
        // the samples are 10 s rates taken every tick, so neighbours overlap: about half as many
        // independent ones, hence the sqrt(2)
        double standardError = Math.sqrt(residuals / (n - 2) / sxx) * Math.sqrt(2);
        return Math.abs(slope) > 3 * standardError ? slope : 0;
    }

    /** max over the burst windows d of (most work in d seconds) / (d + T), over the burst memory. */
    private double burstNeed(double now, double T) {
        List<double[]> samples = new ArrayList<>(rates.size());
        rates.iterator().forEachRemaining(samples::add);
        double need = 0;
        for (int end = 0; end < samples.size(); end++) {
            double endTime = samples.get(end)[0];
            if (endTime <= now - burstMemory) {
                continue;
            }
            for (double d : BURST_WINDOWS) {
                // mean 10 s rate of the samples in (end - d, end]: the rate of a d-second window
                double sum = 0;
                int count = 0;
                for (int j = end; j >= 0 && samples.get(j)[0] > endTime - Math.max(d - 10, 1e-9) - 1e-9; j--) {
                    sum += samples.get(j)[1];
                    count++;
                }
                if (count > 0) {
                    double rate = sum / count;
                    need = Math.max(need, rate * d / (d + T));
                }
            }
        }
        return need;
    }

    /** The largest rise of the {@code RISE_MEAN_WINDOW} mean over a boot-time span ending now, remembered with decay. */
    private void updateRise(double now, double mean) {
        double lowest = means.min(now, bootSeconds + 1e-6, mean);
        double rise = Math.max(0, mean - lowest);
        if (rise >= decayedRise(now)) {
            rememberedRise = rise;
            riseAt = now;
        }
    }

    private double decayedRise(double now) {
        if (Double.isNaN(riseAt)) {
            return 0;
        }
        return rememberedRise * Math.pow(0.5, Math.max(0, now - riseAt) / riseHalfLife);
    }

    private static int sum(int[] values) {
        int s = 0;
        for (int v : values) {
            s += v;
        }
        return s;
    }

    @Override
    public String toString() {
        return NAME + "{" + MAX_UTIL + "=" + (Double.isNaN(maxUtilParam) ? "target_util" : Numbers.format(maxUtilParam)) + ", " + SCALE_DOWN_DELAY + "=" + scaleDownDelay + "}";
    }
}
