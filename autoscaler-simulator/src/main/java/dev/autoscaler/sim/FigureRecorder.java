package dev.autoscaler.sim;

import dev.autoscaler.AutoscalerEvent;
import dev.autoscaler.InstanceAction;
import dev.autoscaler.WorkerState;
import dev.autoscaler.sim.figures.FlapCounter;
import dev.autoscaler.sim.figures.WorkerCapWatch;
import dev.autoscaler.spi.AutoscalerListener;
import java.util.Arrays;

/**
 * Gathers a simulation's figures: from the engine's events (decisions, flaps, cold starts, resumes,
 * the engine's worker count) and from the simulated world (queue times, drops, the provider's
 * instance count). Definitions are those of docs/DESIGN.md#the-simulators-world-model; where it leaves room, the
 * choice is written on the method.
 */
final class FigureRecorder implements AutoscalerListener {
    private final double targetQueueSeconds;

    private double[] queueSeconds = new double[1024];
    private int served;
    private int dropped;
    private int retried;

    private int decisions;
    private final FlapCounter flaps = new FlapCounter();
    private int coldStarts;
    private int resumes;
    private int workerErrors;
    private int peakInstances;
    private final WorkerCapWatch cap;

    FigureRecorder(int maxWorkers, double targetQueueSeconds) {
        this.cap = new WorkerCapWatch(maxWorkers);
        this.targetQueueSeconds = targetQueueSeconds;
    }

    // ---- the engine's events ----

    /** Every published decision changed a target (the engine publishes only changes); flaps as {@link FlapCounter}. */
    @Override
    public void onDecision(AutoscalerEvent.DecisionMade event) {
        decisions++;
        flaps.onDecision(event);
    }

    /** Cold starts are successful creates: new instances rented. */
    @Override
    public void onInstanceAction(AutoscalerEvent.InstanceActionTaken event) {
        if (event.action() == InstanceAction.CREATE) {
            coldStarts++;
        }
    }

    /**
     * Resumes are stopped workers that became ready again (STARTING to READY); a resume that stalled
     * and was given up is not one. The engine's count of workers (every state but destroyed) is
     * checked against {@code max_workers} at each change.
     */
    @Override
    public void onWorkerStateChanged(AutoscalerEvent.WorkerStateChanged event) {
        if (event.from() == WorkerState.STARTING && event.to() == WorkerState.READY) {
            resumes++;
        }
        if (event.to() == WorkerState.ERROR && event.from() != WorkerState.ERROR) {
            workerErrors++;
        }
        cap.onWorkerStateChanged(event);
    }

    // ---- the world ----

    /** The provider's count of live instances (what is billed) changed. */
    void instances(int live) {
        peakInstances = Math.max(peakInstances, live);
        cap.observe(live);
    }

    void served(double queueTimeSeconds) {
        if (served == queueSeconds.length) {
            queueSeconds = Arrays.copyOf(queueSeconds, served * 2);
        }
        queueSeconds[served++] = queueTimeSeconds;
    }

    void dropped() {
        dropped++;
    }

    void retried() {
        retried++;
    }

    SimulationReport report(int requests, SimulatedProvider provider, double simulatedSeconds, String workload,
                            String policy, long seed) {
        double[] sorted = Arrays.copyOf(queueSeconds, served);
        Arrays.sort(sorted);
        int late = 0;
        double sum = 0;
        for (double q : sorted) {
            sum += q;
            if (q > targetQueueSeconds) {
                late++;
            }
        }
        // A dropped request waited 120 s, far past any target_queue_time: it violated the SLO too.
        int violations = late + dropped;
        return new SimulationReport(provider.costUsd(), provider.gpuHours(), requests, served,
                percentile(sorted, 0.50), percentile(sorted, 0.95), percentile(sorted, 0.99), violations,
                requests == 0 ? 0 : (double) violations / requests, dropped, coldStarts, resumes, decisions, flaps.flaps(),
                peakInstances, cap.held(), served == 0 ? 0 : sum / served, served == 0 ? 0 : sorted[served - 1],
                retried, workerErrors, provider.stallCount(), provider.stuckCount(), provider.peakCostPerHour(), simulatedSeconds, workload,
                policy, seed);
    }

    /** Nearest rank: the smallest value with at least {@code p} of the values at or below it; 0 when empty. */
    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
    }
}
