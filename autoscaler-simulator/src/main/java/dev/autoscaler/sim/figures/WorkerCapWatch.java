package dev.autoscaler.sim.figures;

import dev.autoscaler.AutoscalerEvent;
import dev.autoscaler.WorkerState;
import java.util.HashSet;
import java.util.Set;

/**
 * Checks DESIGN.md's {@code max_workers_respected}: the engine's count of workers (every state but
 * destroyed) is compared with the cap at each state change, and any other count a caller observes
 * (a provider's live instances, a sample) with {@link #observe(int)}. Not thread safe on its own.
 */
public final class WorkerCapWatch {
    private final int maxWorkers;
    private final Set<String> engineWorkers = new HashSet<>();
    private boolean held = true;

    public WorkerCapWatch(int maxWorkers) {
        this.maxWorkers = maxWorkers;
    }

    public void onWorkerStateChanged(AutoscalerEvent.WorkerStateChanged event) {
        if (event.to() == WorkerState.DESTROYED) {
            engineWorkers.remove(event.workerId());
        } else {
            engineWorkers.add(event.workerId());
            observe(engineWorkers.size());
        }
    }

    /** A count of workers seen elsewhere at this instant. */
    public void observe(int count) {
        if (count > maxWorkers) {
            held = false;
        }
    }

    /** True while no count ever went above the cap. */
    public boolean held() {
        return held;
    }
}
