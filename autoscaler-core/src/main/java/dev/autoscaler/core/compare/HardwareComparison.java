package dev.autoscaler.core.compare;

import dev.autoscaler.AutoscalerEvent;
import dev.autoscaler.Clock;
import dev.autoscaler.LoadReport;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import dev.autoscaler.core.Autoscaler;
import dev.autoscaler.core.ReportObserver;
import dev.autoscaler.spi.AutoscalerListener;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Compares the hardware an endpoint runs on, per worker group and per GPU type: served work per
 * dollar, measured max_perf, cold start and resume times, error rate, utilization and cost so far
 * (see {@link HardwareFigures}), the groups ranked by served work per dollar
 * ({@link ComparisonReport}).
 *
 * <p>Fed by the engine's worker state events (time in each state, boots, errors) and by its worker
 * reports (served work, the sum of {@code cur_perf}); each worker's GPU, price and max_perf are read
 * from the engine's record of it as events arrive. Times come from
 * the engine's {@link Clock} when an event or report arrives (the engine publishes synchronously),
 * so a simulated run gives simulated times. Counts from when it is attached; workers it sees first
 * in the middle of their life count from then.
 *
 * <p>Memory stays bounded however long it runs: it keeps one record per live worker, and folds a
 * destroyed worker's totals into one record per endpoint, group and GPU type. Sums (served work,
 * cost, hours, errors, workers) stay exact; the distributions (max_perf, cold start, resume) keep
 * the count, min and max of every sample and the last {@value Samples#CAPACITY} samples per record
 * (per live worker too), so past that their percentiles are those of recent samples.
 *
 * <pre>{@code
 * HardwareComparison comparison = HardwareComparison.attach(engine);
 * ComparisonReport report = comparison.comparison("llm");
 * report.bestGroup().ifPresent(g -> System.out.println("best value: " + g));
 * }</pre>
 * Thread safe.
 */
public final class HardwareComparison implements AutoscalerListener, ReportObserver {
    private final Clock clock;
    private final Function<String, Optional<WorkerRecord>> workers;
    /** Live workers by worker id; a worker leaves when it is destroyed, folded into {@link #destroyed}. */
    private final Map<String, WorkerTally> tallies = new LinkedHashMap<>();
    private final Map<DestroyedWorkers.Key, DestroyedWorkers> destroyed = new LinkedHashMap<>();

    /**
     * @param clock   the engine's clock
     * @param workers looks up the engine's record of a worker by worker id (e.g. the state store's {@code worker})
     */
    public HardwareComparison(Clock clock, Function<String, Optional<WorkerRecord>> workers) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.workers = Objects.requireNonNull(workers, "workers");
    }

    /** A comparison listening to this engine from now on. */
    public static HardwareComparison attach(Autoscaler engine) {
        HardwareComparison comparison = new HardwareComparison(engine.clock(), engine.stateStore()::worker);
        engine.addListener(comparison);
        engine.addReportObserver(comparison);
        return comparison;
    }

    @Override
    public synchronized void onWorkerStateChanged(AutoscalerEvent.WorkerStateChanged event) {
        long now = clock.nanoTime();
        WorkerTally tally = tallies.computeIfAbsent(event.workerId(),
                id -> new WorkerTally(event.endpoint(), event.group(), event.from(), now));
        workers.apply(event.workerId()).ifPresent(tally::refresh);
        tally.moved(event.to(), now);
        if (event.to() == WorkerState.DESTROYED) {
            // nothing accrues once destroyed: its totals are final and join its group's and GPU's
            tallies.remove(event.workerId());
            destroyed.computeIfAbsent(new DestroyedWorkers.Key(tally.endpoint, tally.group, tally.gpuName),
                    DestroyedWorkers::new).fold(tally);
        }
    }

    @Override
    public synchronized void onReport(LoadReport report, WorkerRecord worker) {
        long now = clock.nanoTime();
        WorkerTally tally = tallies.computeIfAbsent(worker.workerId(),
                id -> new WorkerTally(worker.endpoint(), worker.group(), worker.state(), now));
        // close the interval at the old perf before a new max_perf changes the ready capacity
        tally.accrue(now);
        tally.refresh(worker);
        tally.totals.servedWork += report.curPerf();
    }

    /** The endpoint's figures now, groups and GPU types ranked; empty lists for an endpoint it never saw. */
    public synchronized ComparisonReport comparison(String endpoint) {
        Objects.requireNonNull(endpoint, "endpoint");
        long now = clock.nanoTime();
        Map<String, Entry> byGroup = new TreeMap<>();
        Map<String, Entry> byGpu = new TreeMap<>();
        for (DestroyedWorkers d : destroyed.values()) {
            if (d.key.endpoint().equals(endpoint)) {
                byGroup.computeIfAbsent(d.key.group(), k -> new Entry()).add(d);
                byGpu.computeIfAbsent(d.key.gpuName(), k -> new Entry()).add(d);
            }
        }
        for (WorkerTally t : tallies.values()) {
            if (!t.endpoint.equals(endpoint)) {
                continue;
            }
            t.accrue(now);
            byGroup.computeIfAbsent(t.group, k -> new Entry()).add(t);
            byGpu.computeIfAbsent(t.gpuName, k -> new Entry()).add(t);
        }
        return ComparisonReport.ranked(endpoint, clock.now(), figures(byGroup), figures(byGpu));
    }

    /** Records held now: one per live worker, one per endpoint, group and GPU type of destroyed ones. */
    synchronized int retainedRecords() {
        return tallies.size() + destroyed.size();
    }

    private static List<HardwareFigures> figures(Map<String, Entry> entries) {
        List<HardwareFigures> out = new ArrayList<>(entries.size());
        entries.forEach((name, entry) -> out.add(entry.figures(name)));
        return out;
    }

    /** One report entry (a group or a GPU type) being summed from destroyed and live workers. */
    private static final class Entry {
        final Totals totals = new Totals();
        final List<Samples> maxPerf = new ArrayList<>();
        final List<Samples> cold = new ArrayList<>();
        final List<Samples> resume = new ArrayList<>();

        void add(DestroyedWorkers d) {
            totals.add(d.totals);
            maxPerf.add(d.maxPerf);
            cold.add(d.coldStartSeconds);
            resume.add(d.resumeSeconds);
        }

        void add(WorkerTally t) {
            totals.add(t.totals);
            if (t.maxPerf > 0) {
                Samples one = new Samples();
                one.add(t.maxPerf);
                maxPerf.add(one);
            }
            cold.add(t.coldStartSeconds);
            resume.add(t.resumeSeconds);
        }

        HardwareFigures figures(String name) {
            long workers = totals.workers;
            double served = totals.servedWork;
            double cost = totals.costUsd;
            double billed = totals.billedSeconds;
            double ready = totals.readySeconds;
            double readyPerf = totals.readyPerfSeconds;
            long errors = totals.errors;
            return new HardwareFigures(name, (int) Math.min(workers, Integer.MAX_VALUE), served, cost,
                    cost > 0 ? served / cost : Double.NaN, Samples.distribution(maxPerf),
                    Samples.distribution(cold), Samples.distribution(resume), (int) Math.min(errors, Integer.MAX_VALUE),
                    billed > 0 ? errors / (billed / 3600) : Double.NaN, ready / 3600, billed / 3600,
                    readyPerf > 0 ? served / readyPerf : Double.NaN);
        }
    }
}
