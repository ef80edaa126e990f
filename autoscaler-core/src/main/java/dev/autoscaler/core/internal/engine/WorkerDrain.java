package dev.autoscaler.core.internal.engine;

import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import java.time.Duration;

/**
 * Retires a ready worker without failing a request: it moves to {@link WorkerState#DRAINING}, which
 * the router never routes to (the router's reservation re-checks the state in the same versioned
 * update, so no route can slip in after the move), keeps its GPU while it finishes what it holds,
 * and is destroyed once it holds nothing: no {@code cur_load}, no reservation, no request working.
 * A worker that never reports itself idle is destroyed after {@link #DRAIN_TIMEOUT}.
 */
final class WorkerDrain {
    /**
     * How long a draining worker may keep its work before it is destroyed anyway: well above a
     * typical generation, so that only a stuck or silent worker reaches it.
     */
    static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(10);

    private final EngineContext ctx;

    WorkerDrain(EngineContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Moves a ready worker to draining, and destroys it at once when it holds nothing.
     *
     * @return false when it was not moved (no longer ready, or a provider call is in flight for it)
     */
    boolean start(WorkerRecord worker, String provider, String reason) {
        if (ctx.actions().isInFlight(worker.workerId())) {
            return false;
        }
        long now = ctx.clock().nanoTime();
        boolean[] movedHere = new boolean[1];
        var moved = ctx.store().updateWorker(worker.workerId(), w -> {
            if (w.state() != WorkerState.READY) {
                return w;
            }
            movedHere[0] = true;
            return w.toBuilder().state(WorkerState.DRAINING).stateSinceNanos(now).build();
        });
        if (moved.isEmpty() || !movedHere[0]) {
            return false;
        }
        ctx.actions().publishState(moved.get(), WorkerState.READY, WorkerState.DRAINING, reason);
        finishIfDone(moved.get(), provider);
        return true;
    }

    /** Destroys a draining worker that holds no work any more, or that has drained for too long. */
    void finishIfDone(WorkerRecord w, String provider) {
        if (w.state() != WorkerState.DRAINING || ctx.actions().isInFlight(w.workerId())) {
            return;
        }
        double seconds = w.secondsInState(ctx.clock().nanoTime());
        if (isIdle(w)) {
            ctx.actions().destroy(w, provider, "drained: no work left");
        } else if (seconds >= DRAIN_TIMEOUT.toSeconds()) {
            ctx.actions().destroy(w, provider, String.format("still busy after draining %.0f s (drain timeout %d s)",
                    seconds, DRAIN_TIMEOUT.toSeconds()));
        }
    }

    static boolean isIdle(WorkerRecord w) {
        return w.curLoad() + w.reservedLoad() <= 0 && w.numRequestsWorking() == 0;
    }
}
