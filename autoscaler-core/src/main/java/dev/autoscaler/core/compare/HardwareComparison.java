package dev.autoscaler.core.compare;

import dev.autoscaler.AutoscalerEvent;
import dev.autoscaler.Clock;
import dev.autoscaler.LoadReport;
import dev.autoscaler.WorkerRecord;
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
 * from the engine's record of it as events arrive, and kept once it is destroyed. Times come from
 * the engine's {@link Clock} when an event or report arrives (the engine publishes synchronously),
 * so a simulated run gives simulated times. Counts from when it is attached; workers it sees first
 * in the middle of their life count from then.
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
    private final Map<String, WorkerTally> tallies = new LinkedHashMap<>();

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
    }

    @Override
    public synchronized void onReport(LoadReport report, WorkerRecord worker) {
        long now = clock.nanoTime();
        WorkerTally tally = tallies.computeIfAbsent(worker.workerId(),
                id -> new WorkerTally(worker.endpoint(), worker.group(), worker.state(), now));
        // close the interval at the old perf before a new max_perf changes the ready capacity
        tally.accrue(now);
        tally.refresh(worker);
        tally.servedWork += report.curPerf();
    }

    /** The endpoint's figures now, groups and GPU types ranked; empty lists for an endpoint it never saw. */
    public synchronized ComparisonReport comparison(String endpoint) {
        Objects.requireNonNull(endpoint, "endpoint");
        long now = clock.nanoTime();
        Map<String, List<WorkerTally>> byGroup = new TreeMap<>();
        Map<String, List<WorkerTally>> byGpu = new TreeMap<>();
        for (WorkerTally t : tallies.values()) {
            if (!t.endpoint.equals(endpoint)) {
                continue;
            }
            t.accrue(now);
            byGroup.computeIfAbsent(t.group, k -> new ArrayList<>()).add(t);
            byGpu.computeIfAbsent(t.gpuName, k -> new ArrayList<>()).add(t);
        }
        return ComparisonReport.ranked(endpoint, clock.now(), figures(byGroup), figures(byGpu));
    }

    private static List<HardwareFigures> figures(Map<String, List<WorkerTally>> grouped) {
        List<HardwareFigures> out = new ArrayList<>(grouped.size());
        grouped.forEach((name, list) -> out.add(figures(name, list)));
        return out;
    }

    static HardwareFigures figures(String name, List<WorkerTally> list) {
        double served = 0;
        double cost = 0;
        double billed = 0;
        double ready = 0;
        double readyPerf = 0;
        int errors = 0;
        List<Double> maxPerf = new ArrayList<>();
        List<Double> cold = new ArrayList<>();
        List<Double> resume = new ArrayList<>();
        for (WorkerTally t : list) {
            served += t.servedWork;
            cost += t.costUsd;
            billed += t.billedSeconds;
            ready += t.readySeconds;
            readyPerf += t.readyPerfSeconds;
            errors += t.errors;
            if (t.maxPerf > 0) {
                maxPerf.add(t.maxPerf);
            }
            cold.addAll(t.coldStartSeconds);
            resume.addAll(t.resumeSeconds);
        }
        return new HardwareFigures(name, list.size(), served, cost, cost > 0 ? served / cost : Double.NaN,
                Distribution.of(maxPerf), Distribution.of(cold), Distribution.of(resume), errors,
                billed > 0 ? errors / (billed / 3600) : Double.NaN, ready / 3600, billed / 3600,
                readyPerf > 0 ? served / readyPerf : Double.NaN);
    }
}
