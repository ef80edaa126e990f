package dev.autoscaler.core.engine.internal;

import dev.autoscaler.EndpointConfig;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import java.util.List;

/**
 * Deals with broken workers before any scaling, so that the policy sees the endpoint as it will be:
 * an errored worker is rebooted, and destroyed if it errors again; a worker stuck loading or resuming
 * past its timeout (on monotonic time) is destroyed. Destroyed
 * workers are replaced by the reconciler, since they no longer count toward the targets.
 */
final class WorkerRepair {
    private final EngineContext ctx;

    WorkerRepair(EngineContext ctx) {
        this.ctx = ctx;
    }

    void repair(EndpointConfig config, List<WorkerRecord> workers) {
        long now = ctx.clock().nanoTime();
        for (WorkerRecord w : workers) {
            if (ctx.actions().isInFlight(w.workerId())) {
                continue;
            }
            String provider = providerOf(config, w);
            switch (w.state()) {
                case ERROR -> {
                    if (RollingUpdate.isOutdated(config, w)) {
                        // a reboot would bring back a worker the rolling update replaces anyway
                        ctx.actions().destroy(w, provider, "errored while outdated: replaced by the current template");
                    } else if (w.errorCount() <= 1) {
                        ctx.actions().reboot(w, provider, "reported an error: " + w.errorMsg());
                    } else {
                        ctx.actions().destroy(w, provider, "errored again after a reboot: " + w.errorMsg());
                        if (w.maxPerf() <= 0) {
                            ctx.actions().bootFailed(w, "errored before it was ever ready: " + w.errorMsg());
                        }
                    }
                }
                case LOADING, REBOOTING -> {
                    double seconds = w.secondsInState(now);
                    if (seconds > config.loadingTimeout().toSeconds()) {
                        String why = String.format("stuck %s for %.0f s (loading_timeout %d s)",
                                w.state().wireName(), seconds, config.loadingTimeout().toSeconds());
                        ctx.actions().destroy(w, provider, why);
                        if (w.maxPerf() <= 0) {
                            ctx.actions().bootFailed(w, why); // rented, never ready
                        }
                    }
                }
                case READY -> failIfSilent(config, w, now);
                case STARTING -> {
                    double seconds = w.secondsInState(now);
                    if (seconds > config.resumeTimeout().toSeconds()) {
                        ctx.actions().destroy(w, provider, String.format("resume stalled for %.0f s (resume_timeout %d s)",
                                seconds, config.resumeTimeout().toSeconds()));
                    }
                }
                // a failed destroy is retried by the engine for every endpoint, with backoff
                // (ProviderActions.retryDestroys): also after its endpoint or group is gone
                default -> {
                }
            }
        }
    }

    /**
     * A ready worker silent for twice {@code silent_after} (the router stopped sending it work at
     * {@code silent_after}) is hung or gone: it is treated as a worker that reported an error, so the
     * next pass reboots it, and replaces it if that does not help. One that reports again before
     * then is routed again.
     */
    private void failIfSilent(EndpointConfig config, WorkerRecord w, long now) {
        double limit = 2 * config.silentAfter().toNanos() / 1e9;
        if (w.lastReportNanos() == WorkerRecord.NEVER || w.secondsSinceReport(now) <= limit) {
            return;
        }
        String reason = String.format(java.util.Locale.ROOT, "%s%.0f s (2 x silent_after %d s): treated as failed",
                dev.autoscaler.EndpointSnapshot.SILENCE_ERROR, w.secondsSinceReport(now), config.silentAfter().toSeconds());
        ctx.store().updateWorkerIf(w.workerId(), c -> c.state() == WorkerState.READY && c.lastReportNanos() == w.lastReportNanos(),
                c -> c.toBuilder().state(WorkerState.ERROR).stateSinceNanos(now).errorMsg(reason)
                        .errorCount(c.errorCount() + 1).build())
                .ifApplied().ifPresent(failed -> ctx.actions().publishState(failed, WorkerState.READY, WorkerState.ERROR, reason));
    }

    private String providerOf(EndpointConfig config, WorkerRecord w) {
        return config.group(w.group()).map(ctx::providerFor).orElse(ctx.defaultProviderName());
    }

}
