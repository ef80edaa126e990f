package dev.autoscaler.core.engine.internal;

import dev.autoscaler.WorkerIntent;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import java.time.Duration;

/**
 * Takes a ready worker out of service without failing a request: it moves to
 * {@link WorkerState#DRAINING}, which the router never routes to (the router's reservation re-checks
 * the state in the same versioned update, so no route can slip in after the move), keeps its GPU
 * while it finishes what it holds, and goes once it holds nothing: no {@code cur_load}, no
 * reservation, no request working.
 *
 * <p>How it goes depends on why it drains, which its intent records:
 * <ul>
 *   <li><em>drain to destroy</em> ({@link #start}, intent left {@link WorkerIntent#ACTIVE}): a rolling
 *       update retires an outdated worker; it is destroyed;</li>
 *   <li><em>drain to stop</em> ({@link #startToStop}, intent {@link WorkerIntent#COLD}): a scale-down
 *       would have stopped a busy worker; it is stopped and joins the cold pool, as an idle one would
 *       have at once. While it drains it may be given back to service ({@link #giveBack}). If the
 *       template changed meanwhile it is outdated, and it is destroyed instead: a stopped outdated
 *       worker would only be destroyed by the rolling update.</li>
 * </ul>
 * A worker that never reports itself idle goes after the endpoint's {@code drain_timeout} (default 10 min) anyway, destroyed or
 * stopped: what it still holds then fails, as it would on a worker that died.
 */
final class WorkerDrain {
    /**
     * How long a draining worker may keep its work before it goes anyway: well above a typical
     * generation, so that only a stuck or silent worker reaches it. The same bound serves both kinds
     * of drain: it is what a worker costs at most (ten minutes of its GPU) to fail no request.
     */
    /** Used where only idleness may end a drain (a drain that just began). */
    private static final Duration ANY_TIME = Duration.ofSeconds(Long.MAX_VALUE / 1_000_000_000L);

    private final EngineContext ctx;

    WorkerDrain(EngineContext ctx) {
        this.ctx = ctx;
    }

    /** True when the worker drains to be stopped (a scale-down) and is not outdated: it may serve again. */
    static boolean isDrainingToStop(WorkerRecord w, String currentRevision) {
        return w.state() == WorkerState.DRAINING && w.intent() == WorkerIntent.COLD
                && !RollingUpdate.isOutdated(w, currentRevision);
    }

    /**
     * Moves a ready worker to draining, to be destroyed, and destroys it at once when it holds nothing.
     *
     * @return false when it was not moved (no longer ready, or a provider call is in flight for it)
     */
    boolean start(WorkerRecord worker, String provider, String reason) {
        return move(worker, WorkerIntent.ACTIVE, provider, reason, worker.templateRevision());
    }

    /**
     * Moves a ready worker to draining, to be stopped, and stops it at once when it holds nothing.
     *
     * @return false when it was not moved (no longer ready, or a provider call is in flight for it)
     */
    boolean startToStop(WorkerRecord worker, String provider, String currentRevision, String reason) {
        return move(worker, WorkerIntent.COLD, provider, reason, currentRevision);
    }

    private boolean move(WorkerRecord worker, WorkerIntent intent, String provider, String reason, String revision) {
        if (ctx.actions().isInFlight(worker.workerId())) {
            return false;
        }
        long now = ctx.clock().nanoTime();
        var moved = ctx.store().updateWorkerIf(worker.workerId(), w -> w.state() == WorkerState.READY,
                w -> w.toBuilder().state(WorkerState.DRAINING).intent(intent).stateSinceNanos(now).build()).ifApplied();
        if (moved.isEmpty()) {
            return false;
        }
        ctx.actions().publishState(moved.get(), WorkerState.READY, WorkerState.DRAINING, reason);
        finishIfDone(moved.get(), provider, revision, ANY_TIME); // an idle worker goes at once
        return true;
    }

    /**
     * Gives a worker draining to stop back to service: ready, intent active, routable again. The
     * fastest capacity there is: it holds its GPU and its model, and serves at once.
     *
     * @return false when it was not given back (no longer draining to stop, or a call is in flight)
     */
    boolean giveBack(WorkerRecord worker, String currentRevision, String reason) {
        if (ctx.actions().isInFlight(worker.workerId())) {
            return false;
        }
        long now = ctx.clock().nanoTime();
        var moved = ctx.store().updateWorkerIf(worker.workerId(), w -> isDrainingToStop(w, currentRevision),
                w -> w.toBuilder().state(WorkerState.READY).intent(WorkerIntent.ACTIVE).stateSinceNanos(now).build())
                .ifApplied();
        if (moved.isEmpty()) {
            return false;
        }
        ctx.actions().publishState(moved.get(), WorkerState.DRAINING, WorkerState.READY, reason);
        return true;
    }

    /**
     * Ends a drain that is done: the worker holds no work any more, or has drained for longer than
     * {@code drainTimeout} (the endpoint's {@code drain_timeout}). A worker draining to stop (and
     * still current) is stopped; any other is destroyed.
     *
     * @param currentRevision its group's current template revision
     */
    void finishIfDone(WorkerRecord w, String provider, String currentRevision, Duration drainTimeout) {
        if (w.state() != WorkerState.DRAINING || ctx.actions().isInFlight(w.workerId())) {
            return;
        }
        double seconds = w.secondsInState(ctx.clock().nanoTime());
        boolean toStop = isDrainingToStop(w, currentRevision);
        if (isIdle(w)) {
            // re-checked in the move itself: a report of new work in between keeps it draining
            if (toStop) {
                ctx.actions().stopIfIdle(w, provider, "drained: no work left, stopped for the cold pool");
            } else {
                ctx.actions().destroyIfIdle(w, provider, "drained: no work left");
            }
        } else if (seconds >= drainTimeout.toNanos() / 1e9) {
            String why = String.format("still busy after draining %.0f s (drain timeout %.0f s)", seconds,
                    drainTimeout.toNanos() / 1e9);
            if (toStop) {
                ctx.actions().stop(w, provider, why + ": stopped anyway");
            } else {
                ctx.actions().destroy(w, provider, why);
            }
        }
    }

    static boolean isIdle(WorkerRecord w) {
        return w.curLoad() + w.reservedLoad() <= 0 && w.numRequestsWorking() == 0 && w.reservedRequests() == 0;
    }
}
