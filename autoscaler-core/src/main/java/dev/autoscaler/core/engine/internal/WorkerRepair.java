package dev.autoscaler.core.engine.internal;

import dev.autoscaler.EndpointConfig;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deals with broken workers before any scaling, so that the policy sees the endpoint as it will be:
 * an errored worker is rebooted, and destroyed if it errors again; a worker stuck loading or resuming
 * past its timeout (on monotonic time) is destroyed. Destroyed
 * workers are replaced by the reconciler, since they no longer count toward the targets.
 */
final class WorkerRepair {
    private static final Logger log = LoggerFactory.getLogger(WorkerRepair.class);
    /**
     * How many {@code silent_after} a fleet that fell silent together waits before it is failed: 10,
     * 15 minutes at the default. A proxy or network outage between the workers and the engine, or
     * the engine's own pause, silences every worker at once; rebooting them all would turn it into
     * minutes of model loading after the path is back. A fleet that really died together (a request
     * that crashes every worker) is still rebooted, later.
     */
    static final int SHARED_SILENCE_FACTOR = 10;

    private final EngineContext ctx;
    /** Endpoints whose fleet is silent together, warned about once per episode. */
    private final Set<String> sharedSilenceWarned = ConcurrentHashMap.newKeySet();

    WorkerRepair(EngineContext ctx) {
        this.ctx = ctx;
    }

    void repair(EndpointConfig config, List<WorkerRecord> workers) {
        long now = ctx.clock().nanoTime();
        boolean sharedSilence = isSilentTogether(config, workers, now);
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
                case READY -> failIfSilent(config, w, now, sharedSilence);
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
     * then is routed again. When the whole fleet fell silent together ({@link #isSilentTogether}) the
     * bound is {@value #SHARED_SILENCE_FACTOR} x {@code silent_after}.
     */
    private void failIfSilent(EndpointConfig config, WorkerRecord w, long now, boolean sharedSilence) {
        double limit = (sharedSilence ? SHARED_SILENCE_FACTOR : 2) * config.silentAfter().toNanos() / 1e9;
        if (w.lastReportNanos() == WorkerRecord.NEVER || w.secondsSinceReport(now) <= limit) {
            return;
        }
        String reason = String.format(java.util.Locale.ROOT, "%s%.0f s (%d x silent_after %d s%s): treated as failed",
                dev.autoscaler.EndpointSnapshot.SILENCE_ERROR, w.secondsSinceReport(now), sharedSilence ? SHARED_SILENCE_FACTOR : 2,
                config.silentAfter().toSeconds(), sharedSilence ? ", the whole fleet silent together" : "");
        ctx.store().updateWorkerIf(w.workerId(), c -> c.state() == WorkerState.READY && c.lastReportNanos() == w.lastReportNanos(),
                c -> c.toBuilder().state(WorkerState.ERROR).stateSinceNanos(now).errorMsg(reason)
                        .errorCount(c.errorCount() + 1).build())
                .ifApplied().ifPresent(failed -> ctx.actions().publishState(failed, WorkerState.READY, WorkerState.ERROR, reason));
    }

    /**
     * Whether every ready worker of the endpoint that ever reported (two at least: one silent worker
     * among none says nothing about a shared cause) is silent past {@code silent_after}, their last
     * reports within one {@code silent_after} of each other: they fell silent together, which points
     * at the path from the workers to the engine rather than at each worker.
     */
    private boolean isSilentTogether(EndpointConfig config, List<WorkerRecord> workers, long now) {
        double silentAfter = config.silentAfter().toNanos() / 1e9;
        int reporting = 0;
        long earliest = Long.MAX_VALUE;
        long latest = Long.MIN_VALUE;
        for (WorkerRecord w : workers) {
            if (w.state() != WorkerState.READY || w.lastReportNanos() == WorkerRecord.NEVER) {
                continue;
            }
            if (w.secondsSinceReport(now) <= silentAfter) {
                sharedSilenceWarned.remove(config.name());
                return false;
            }
            reporting++;
            earliest = Math.min(earliest, w.lastReportNanos());
            latest = Math.max(latest, w.lastReportNanos());
        }
        boolean together = reporting >= 2 && (latest - earliest) / 1e9 <= silentAfter;
        if (!together) {
            sharedSilenceWarned.remove(config.name());
        } else if (sharedSilenceWarned.add(config.name())) {
            log.warn("endpoint {}: all {} ready workers fell silent together (no report for over {} s): a network"
                    + " or proxy outage between them and the engine, or a pause of the engine, is likelier than"
                    + " {} failures at once; they are routed nothing, and failed only after {} x silent_after",
                    config.name(), reporting, config.silentAfter().toSeconds(), reporting, SHARED_SILENCE_FACTOR);
        }
        return together;
    }

    private String providerOf(EndpointConfig config, WorkerRecord w) {
        return config.group(w.group()).map(ctx::providerFor).orElse(ctx.defaultProviderName());
    }

}
