package dev.autoscaler.examples.demo;

import dev.autoscaler.AutoscalerEvent;
import dev.autoscaler.Clock;
import dev.autoscaler.InstanceAction;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import dev.autoscaler.sim.figures.FlapCounter;
import dev.autoscaler.sim.figures.WorkerCapWatch;
import dev.autoscaler.spi.AutoscalerListener;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Records what the demo shows and reports: offered load and capacity per second, workers by state,
 * every request's outcome, and the engine's decisions. Thread safe; time from the injected clock.
 */
public final class DemoRecorder implements AutoscalerListener {
    /** One second of the demo. */
    public record Sample(double atSeconds, double offeredLoad, double capacity, Map<WorkerState, Integer> workers,
                         double queueP95) {
    }

    /** One decision of the engine. */
    public record Decision(double atSeconds, String targets, String reason) {
    }

    private final Clock clock;
    private final long startNanos;
    private final double targetQueueTime;
    private final List<Sample> samples = new ArrayList<>();
    private final List<Decision> decisions = new ArrayList<>();
    private final List<double[]> queueTimes = new ArrayList<>(); // {at, seconds}
    private final Map<RequestOutcome.Kind, Integer> outcomes = new EnumMap<>(RequestOutcome.Kind.class);
    private double pendingCost;
    private long lastSampleNanos;
    private int sent;
    private int creates;
    private int starts;
    private int peakWorkers;
    private final WorkerCapWatch cap;
    private final FlapCounter flaps = new FlapCounter();
    private double gpuSeconds;
    private double costUsd;

    public DemoRecorder(Clock clock, double targetQueueTime) {
        this(clock, targetQueueTime, Integer.MAX_VALUE);
    }

    /** @param maxWorkers the endpoint's cap, for {@code max_workers_respected} */
    public DemoRecorder(Clock clock, double targetQueueTime, int maxWorkers) {
        this.cap = new WorkerCapWatch(maxWorkers);
        this.clock = clock;
        this.startNanos = clock.nanoTime();
        this.lastSampleNanos = startNanos;
        this.targetQueueTime = targetQueueTime;
    }

    public synchronized void sent(TraceRequest request) {
        sent++;
        pendingCost += request.cost();
    }

    public synchronized void outcome(RequestOutcome outcome) {
        outcomes.merge(outcome.kind(), 1, Integer::sum);
        if (outcome.served()) {
            queueTimes.add(new double[] {seconds(clock.nanoTime()), outcome.queueSeconds()});
        }
    }

    /** Takes a sample of the workers now; the offered load is the cost sent since the last sample per second. */
    public synchronized Sample sample(List<WorkerRecord> workers) {
        long now = clock.nanoTime();
        double interval = Math.max(1e-3, (now - lastSampleNanos) / 1e9);
        lastSampleNanos = now;
        Map<WorkerState, Integer> byState = new EnumMap<>(WorkerState.class);
        double capacity = 0;
        int alive = 0;
        for (WorkerRecord w : workers) {
            byState.merge(w.state(), 1, Integer::sum);
            if (w.state() == WorkerState.READY) {
                capacity += w.perf();
            }
            if (w.state() != WorkerState.DESTROYED) {
                alive++;
            }
            // billed at full price while the instance runs: every state but stopped and destroyed
            if (w.state() != WorkerState.DESTROYED && w.state() != WorkerState.STOPPED) {
                gpuSeconds += interval;
                costUsd += w.pricePerHour() * interval / 3600;
            }
        }
        peakWorkers = Math.max(peakWorkers, alive);
        cap.observe(alive);
        double nowSeconds = seconds(now);
        Sample s = new Sample(nowSeconds, pendingCost / interval, capacity, byState,
                percentile(queueTimesSince(nowSeconds - 10), 0.95));
        pendingCost = 0;
        samples.add(s);
        return s;
    }

    @Override
    public synchronized void onDecision(AutoscalerEvent.DecisionMade event) {
        StringBuilder targets = new StringBuilder();
        new TreeMap<>(event.targets()).forEach((group, t) -> targets.append(targets.length() == 0 ? "" : ", ")
                .append(group).append(": ").append(t.active()).append(" active + ").append(t.cold()).append(" cold"));
        decisions.add(new Decision(seconds(clock.nanoTime()), targets.toString(), event.reason()));
        flaps.onDecision(event);
    }

    /** The engine's count of workers (every state but destroyed) is checked against the cap at each change. */
    @Override
    public synchronized void onWorkerStateChanged(AutoscalerEvent.WorkerStateChanged event) {
        cap.onWorkerStateChanged(event);
    }

    @Override
    public synchronized void onInstanceAction(AutoscalerEvent.InstanceActionTaken event) {
        if (event.action() == InstanceAction.CREATE) {
            creates++;
        } else if (event.action() == InstanceAction.START) {
            starts++;
        }
    }

    public synchronized List<Sample> samples() {
        return List.copyOf(samples);
    }

    public synchronized List<Decision> decisions() {
        return List.copyOf(decisions);
    }

    public synchronized Decision lastDecision() {
        return decisions.isEmpty() ? null : decisions.get(decisions.size() - 1);
    }

    /** Every served request's queue time, in seconds. */
    public synchronized double[] queueTimes() {
        return queueTimes.stream().mapToDouble(q -> q[1]).toArray();
    }

    public synchronized double elapsedSeconds() {
        return seconds(clock.nanoTime());
    }

    /**
     * The figures of the run, with the keys of DESIGN.md (as the simulator's) and a few more. Money and
     * GPU hours are counted from the samples, in this machine's wall-clock time (the local provider's
     * workers cost what their price says, usually nothing).
     */
    public synchronized Map<String, Object> figures() {
        double[] q = queueTimes();
        Map<String, Object> f = new java.util.LinkedHashMap<>();
        int served = outcomes.getOrDefault(RequestOutcome.Kind.SERVED, 0);
        f.put("cost_usd", costUsd);
        f.put("gpu_hours", gpuSeconds / 3600);
        f.put("requests", sent);
        f.put("served", served);
        f.put("queue_time_p50_s", percentile(q, 0.50));
        f.put("queue_time_p95_s", percentile(q, 0.95));
        f.put("queue_time_p99_s", percentile(q, 0.99));
        long violations = Arrays.stream(q).filter(s -> s > targetQueueTime).count();
        f.put("slo_violations", violations);
        f.put("slo_violation_fraction", served == 0 ? 0.0 : (double) violations / served);
        f.put("dropped", outcomes.getOrDefault(RequestOutcome.Kind.DROPPED, 0));
        f.put("rejected", outcomes.getOrDefault(RequestOutcome.Kind.REJECTED, 0));
        f.put("failed", outcomes.getOrDefault(RequestOutcome.Kind.FAILED, 0));
        f.put("cold_starts", creates);
        f.put("resumes", starts);
        f.put("decisions", decisions.size());
        f.put("flaps", flaps.flaps());
        f.put("peak_workers", peakWorkers);
        f.put("max_workers_respected", cap.held());
        f.put("duration_s", seconds(clock.nanoTime()));
        return f;
    }

    private double[] queueTimesSince(double fromSeconds) {
        return queueTimes.stream().filter(x -> x[0] >= fromSeconds).mapToDouble(x -> x[1]).toArray();
    }

    private double seconds(long nanos) {
        return (nanos - startNanos) / 1e9;
    }

    /** Nearest-rank percentile; 0 for no data. */
    static double percentile(double[] values, double p) {
        if (values.length == 0) {
            return 0;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
