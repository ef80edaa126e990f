package dev.autoscaler.core.engine.internal;

import dev.autoscaler.EndpointConfig;
import dev.autoscaler.GroupTarget;
import dev.autoscaler.RolloutStatus;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.WorkerIntent;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replaces the workers of a group whose template changed, without downtime. A worker is
 * <em>outdated</em> when the template revision it was created from ({@link WorkerRecord#templateRevision()})
 * differs from its group's current one ({@link dev.autoscaler.WorkerTemplate#revision()}); an empty
 * revision (a record or label from before revisions) counts as current. Each control tick, after the
 * policy's decision and before the {@link Reconciler}:
 * <ol>
 *   <li>outdated workers that serve nothing are destroyed at once: stopped ones (the reconciler then
 *       refills the cold pool with current ones), loading, starting, rebooting or errored ones, and
 *       ready ones loaded for the cold pool. A creating one is destroyed as soon as its instance
 *       exists (a destroy needs an instance id);</li>
 *   <li>while a group still has outdated ready workers, its active target is raised by
 *       {@link #SURGE}, so that the reconciler resumes or creates a current worker first;</li>
 *   <li>only when the group's routable workers (ready, serving) exceed the decision's active target
 *       is an outdated one put to draining, idle first, then worst price-performance first. It gets
 *       no new request and is destroyed once it holds no work ({@link WorkerDrain}).</li>
 * </ol>
 * So the routable count of a group never drops below the decision's active target because of the
 * update. The one exception is an endpoint or a group at its {@code max_workers} with no current
 * stopped worker to resume: no surge is possible, so one outdated worker at a time is drained before its replacement
 * exists, and the next only once the replacement is ready. The documented bound there is at most
 * one worker below the decision's active target during each step.
 *
 * <p>Stopped workers update first: no active worker is drained while an outdated stopped or stopping
 * one is left in its group. A second template change during an update simply makes every worker not
 * on the newest revision outdated; draining workers always finish and go. Only the template rolls;
 * other group fields (search, price cap, GPU memory) apply to new workers as before. After an engine
 * restart the revision comes back from each instance's label; an instance labelled before revisions
 * existed is adopted at its group's current revision (no churn after an upgrade). An endpoint that
 * is stopped or suspended does not roll (the engine does not manage it then): its update starts when
 * it runs again.
 *
 * <p>A scale-down also drains (see {@link Reconciler}): a busy current worker drains <em>to stop</em>
 * (intent cold). The reconciler owns that drain (it gives the worker back or stops it); the rolling
 * update leaves it alone unless the template changed meanwhile: the worker is then outdated, and its
 * drain ends here like the update's own, with a destroy. Such a worker is neither routable nor
 * outdated; it counts as current in {@link #status}, and as draining for the one-step-at-a-time
 * rule at {@code max_workers}.
 */
final class RollingUpdate {
    /** How many workers above the decision's active target a group may hold while it rolls. */
    static final int SURGE = 1;

    private static final Comparator<WorkerRecord> IDLE_THEN_WORST_FIRST =
            Comparator.comparingDouble((WorkerRecord w) -> w.curLoad() + w.reservedLoad())
                    .thenComparingDouble(WorkerRecord::perfPerDollar).thenComparing(WorkerRecord::workerId);

    private final EngineContext ctx;
    private final WorkerDrain drain;

    RollingUpdate(EngineContext ctx, WorkerDrain drain) {
        this.ctx = ctx;
        this.drain = drain;
    }

    /** True when the worker was created from another template revision than its group's current one. */
    static boolean isOutdated(WorkerRecord w, String currentRevision) {
        return !w.templateRevision().isEmpty() && !w.templateRevision().equals(currentRevision);
    }

    /** True when the worker's group is configured and the worker is outdated for it. */
    static boolean isOutdated(EndpointConfig config, WorkerRecord w) {
        return config.group(w.group()).map(g -> isOutdated(w, g.templateRevision())).orElse(false);
    }

    /**
     * One step for every group: retires what serves nothing and drains what may go.
     *
     * @param workers the endpoint's workers as stored now
     * @param targets the decision's targets
     * @return the targets for the reconciler: the decision's, with the surge added where a group rolls
     */
    Map<String, GroupTarget> step(EndpointConfig config, List<WorkerRecord> workers, Map<String, GroupTarget> targets) {
        Map<String, GroupTarget> out = new LinkedHashMap<>(targets);
        for (WorkerGroupConfig group : config.groups()) {
            String provider = ctx.providerFor(group);
            String revision = group.templateRevision();
            List<WorkerRecord> members = workers.stream().filter(w -> w.group().equals(group.name())
                    && w.state() != WorkerState.DESTROYING && w.state() != WorkerState.DESTROYED).toList();
            for (WorkerRecord w : members) {
                if (w.state() == WorkerState.DRAINING) {
                    if (!WorkerDrain.isDrainingToStop(w, revision)) {
                        drain.finishIfDone(w, provider, revision, config.drainTimeout()); // a drain to stop is the reconciler's
                    }
                } else if (isOutdated(w, revision) && servesNothing(w) && !ctx.actions().isInFlight(w.workerId())) {
                    ctx.actions().destroy(w, provider, "template changed to revision " + revision
                            + " (was " + w.templateRevision() + "): replaced");
                }
            }
            GroupTarget target = targets.getOrDefault(group.name(), new GroupTarget(0, 0));
            int left = drainActive(config, group, provider, revision, members, target);
            if (left > 0 && target.active() > 0) {
                out.put(group.name(), new GroupTarget(target.active() + SURGE, target.cold()));
            }
        }
        return out;
    }

    /**
     * Drains outdated serving workers the group can spare.
     *
     * @return how many outdated serving workers are left after this step
     */
    private int drainActive(EndpointConfig config, WorkerGroupConfig group, String provider, String revision,
                            List<WorkerRecord> members, GroupTarget target) {
        List<WorkerRecord> outdatedServing = new ArrayList<>();
        int routable = 0;
        boolean outdatedColdLeft = false;
        boolean draining = false;
        boolean currentOnItsWay = false;
        boolean currentToResume = false;
        for (WorkerRecord w : members) {
            boolean outdated = isOutdated(w, revision);
            boolean serving = w.state() == WorkerState.READY && w.intent() == WorkerIntent.ACTIVE;
            if (serving) {
                routable++;
                if (outdated) {
                    outdatedServing.add(w);
                }
            }
            outdatedColdLeft |= outdated && w.state().isCold();
            draining |= w.state() == WorkerState.DRAINING;
            currentOnItsWay |= !outdated && w.state().isProvisioning();
            currentToResume |= !outdated && (w.state() == WorkerState.STOPPED
                    || (w.state() == WorkerState.READY && w.intent() == WorkerIntent.COLD));
        }
        if (outdatedServing.isEmpty() || outdatedColdLeft) {
            return outdatedServing.size(); // nothing to drain, or stopped workers go first
        }
        int spare = routable - target.active();
        if (spare <= 0 && target.active() > 0 && !draining && !currentOnItsWay && !currentToResume
                && (atMaxWorkers(config) || atGroupCap(group, members))) {
            spare = 1; // no surge possible: one step at a time, at most one worker below the target
        }
        outdatedServing.sort(IDLE_THEN_WORST_FIRST);
        int left = outdatedServing.size();
        for (WorkerRecord w : outdatedServing) {
            if (spare <= 0) {
                break;
            }
            if (drain.start(w, provider, "rolling update of group " + group.name() + " to revision " + revision)) {
                spare--;
                left--;
            }
        }
        return left;
    }

    private boolean atMaxWorkers(EndpointConfig config) {
        long counted = ctx.store().workers(config.name()).stream().filter(w -> w.state().isCounted()).count();
        return counted >= config.maxWorkers();
    }

    /** The group holds as many workers as its own {@code max_workers}: no surge is possible either. */
    private static boolean atGroupCap(WorkerGroupConfig group, List<WorkerRecord> members) {
        if (group.maxWorkers().isEmpty()) {
            return false;
        }
        long counted = members.stream().filter(w -> w.state().isCounted()).count();
        return counted >= group.maxWorkers().getAsInt();
    }

    /** Holds no GPU or serves nothing: replacing it at once costs no capacity. */
    private static boolean servesNothing(WorkerRecord w) {
        return switch (w.state()) {
            case STOPPED, LOADING, STARTING, REBOOTING, ERROR -> true;
            case READY -> w.intent() == WorkerIntent.COLD;
            default -> false; // creating (no instance yet), stopping (in flight), serving, draining
        };
    }

    /** Each group's rollout progress, from the stored workers. */
    static List<RolloutStatus> status(EndpointConfig config, List<WorkerRecord> workers) {
        List<RolloutStatus> out = new ArrayList<>(config.groups().size());
        for (WorkerGroupConfig group : config.groups()) {
            String revision = group.templateRevision();
            int current = 0;
            int outdated = 0;
            int draining = 0;
            for (WorkerRecord w : workers) {
                if (!w.group().equals(group.name()) || w.state() == WorkerState.DESTROYING
                        || w.state() == WorkerState.DESTROYED) {
                    continue;
                }
                if (w.state() == WorkerState.DRAINING && !WorkerDrain.isDrainingToStop(w, revision)) {
                    draining++; // a current worker a scale-down drains to stop is not the update's
                } else if (isOutdated(w, revision)) {
                    outdated++;
                } else {
                    current++;
                }
            }
            out.add(new RolloutStatus(group.name(), revision, current, outdated, draining));
        }
        return out;
    }
}
