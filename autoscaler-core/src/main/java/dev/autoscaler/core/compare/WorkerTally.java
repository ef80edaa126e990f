package dev.autoscaler.core.compare;

import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;

/**
 * One live worker's running totals: time by state, cost, served work, boot samples. Once it is
 * destroyed they are folded into its {@link DestroyedWorkers}. Not thread safe.
 */
final class WorkerTally {
    private static final long NONE = Long.MIN_VALUE;
    private static final String UNKNOWN_GPU = "unknown";

    final String endpoint;
    final String group;
    String gpuName = UNKNOWN_GPU;
    double pricePerHour;
    double reliability = 1;
    double maxPerf;
    WorkerState state;
    long stateSinceNanos;
    private long createdAtNanos = NONE;
    private long startAskedAtNanos = NONE;

    final Totals totals = Totals.ofOneWorker();
    /** Bounded: a worker stopped and started for months keeps the last {@value Samples#CAPACITY} resumes. */
    final Samples coldStartSeconds = new Samples();
    final Samples resumeSeconds = new Samples();

    WorkerTally(String endpoint, String group, WorkerState state, long nowNanos) {
        this.endpoint = endpoint;
        this.group = group;
        this.state = state;
        this.stateSinceNanos = nowNanos;
    }

    /** Takes what the engine knows now: GPU, price, reliability, measured max_perf. */
    void refresh(WorkerRecord w) {
        if (!w.gpuName().isEmpty()) {
            gpuName = w.gpuName();
        }
        if (w.pricePerHour() > 0) {
            pricePerHour = w.pricePerHour();
        }
        if (w.reliability() > 0) {
            reliability = w.reliability();
        }
        if (w.maxPerf() > 0) {
            maxPerf = w.maxPerf();
        }
    }

    /** Adds the time since the last accrual, in the current state, to the totals. */
    void accrue(long nowNanos) {
        double seconds = Math.max(0, nowNanos - stateSinceNanos) / 1e9;
        stateSinceNanos = nowNanos;
        if (state == null || seconds == 0) {
            return;
        }
        if (state.isBilledFull()) {
            totals.billedSeconds += seconds;
            totals.costUsd += pricePerHour * seconds / 3600;
        }
        if (state == WorkerState.READY) {
            totals.readySeconds += seconds;
            totals.readyPerfSeconds += maxPerf * reliability * seconds;
        }
    }

    /** Closes the interval in the old state and records what the transition means for boot times and errors. */
    void moved(WorkerState to, long nowNanos) {
        accrue(nowNanos);
        switch (to) {
            case CREATING -> {
                createdAtNanos = nowNanos;
                startAskedAtNanos = NONE;
            }
            case STARTING -> {
                startAskedAtNanos = nowNanos;
                createdAtNanos = NONE;
            }
            case LOADING -> {
                // the boot goes on: a created instance loads, a started one may too
            }
            case READY -> {
                if (createdAtNanos != NONE) {
                    coldStartSeconds.add((nowNanos - createdAtNanos) / 1e9);
                } else if (startAskedAtNanos != NONE) {
                    resumeSeconds.add((nowNanos - startAskedAtNanos) / 1e9);
                }
                clearBoot();
            }
            case ERROR -> {
                // a boot that ends in an error is not a cold start or resume time
                if (state != WorkerState.ERROR) {
                    totals.errors++;
                }
                clearBoot();
            }
            default -> clearBoot();
        }
        state = to;
    }

    private void clearBoot() {
        createdAtNanos = NONE;
        startAskedAtNanos = NONE;
    }
}
