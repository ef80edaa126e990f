package dev.autoscaler.core.engine.internal;

import dev.autoscaler.EndpointConfig;
import dev.autoscaler.GroupTarget;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.WorkerIntent;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import dev.autoscaler.spi.CreateInstanceRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the difference between a group's target and its workers into provider actions, in the order
 * of preference of docs/DESIGN.md#the-engine-tick:
 * <ol>
 *   <li>more active: give workers draining to stop back to service (best price-performance
 *       first), then cold-bound workers that just loaded, resume stopped workers (best
 *       price-performance first), give cold-bound workers still loading back, then create new
 *       ones;</li>
 *   <li>fewer active: re-mark loading workers for the cold pool (never stop a worker that is still
 *       loading: let it finish, then it joins the pool), then take ready ones out of service, idle
 *       first, worst price-performance first: an idle one is stopped at once, a busy one drains to
 *       stop (see below);</li>
 *   <li>cold pool: stop workers that finished loading for the pool; destroy surplus stopped workers,
 *       worst price-performance first, never below the {@code cold_workers} floor and only once they
 *       have been stopped for {@code cold_destroy_delay}; create new ones
 *       for the pool when it is short.</li>
 * </ol>
 * {@code max_workers} holds at every instant: a create is asked for only while the endpoint's count
 * of workers in every state but destroyed is below it, and a count above it (a lowered cap, adopted
 * instances) is cut, stopped workers first. A group's own {@code max_workers} holds the same way over
 * that group's workers (creating ones included, so creates still in flight use up the room); a group
 * above its cap is cut first, then the endpoint.
 *
 * <p>Revision-aware (see {@link RollingUpdate}): new workers carry their group's current template
 * revision in their record and label; an outdated worker is never resumed nor given back to service
 * from the cold pool; when a group must shrink, outdated workers go first, and an outdated ready one
 * is drained rather than stopped (it would only be destroyed once stopped). Workers the rolling
 * update drains are neither counted toward the active target nor acted on: they are on their way out.
 *
 * <p>Drain to stop: a scale-down never stops a worker with requests in flight (they would fail).
 * A busy surplus worker moves to {@link WorkerState#DRAINING} with intent {@link WorkerIntent#COLD}
 * ({@link WorkerDrain#startToStop}): the router sends it nothing more, and it is stopped (it joins
 * the cold pool) once it holds no work, or after the endpoint's {@code drain_timeout} if it never does
 * (what it holds then fails, as on a worker that dies: only a stuck or silent worker gets there).
 * Until it is stopped it counts like a stopping worker: not toward the active target (it takes no
 * request, so one unit of surplus drains exactly one worker, and no replacement is made for it),
 * toward the cold pool and its {@code cold_workers} floor (so the pool does not rent another
 * instance for the place it is about to take). When the active target rises again it is the first
 * capacity taken back: it goes back to ready at once, model loaded and GPU held, before any pool
 * worker, resume or create. The rolling update's drains stay its own: they keep intent active, a
 * worker draining to stop whose template changed meanwhile is outdated and is destroyed when its
 * drain ends, and only current workers are given back. {@code endpoint_state: stopped} still stops
 * every worker at once, draining ones included: that is what it asks for.
 */
final class Reconciler {
    private static final Comparator<WorkerRecord> BEST_PRICE_PERFORMANCE_FIRST =
            Comparator.comparingDouble(WorkerRecord::perfPerDollar).reversed().thenComparing(WorkerRecord::workerId);
    private static final Comparator<WorkerRecord> WORST_PRICE_PERFORMANCE_FIRST =
            Comparator.comparingDouble(WorkerRecord::perfPerDollar).thenComparing(WorkerRecord::workerId);
    private static final Comparator<WorkerRecord> IDLE_THEN_WORST_FIRST =
            Comparator.comparingDouble((WorkerRecord w) -> w.curLoad() + w.reservedLoad())
                    .thenComparing(WORST_PRICE_PERFORMANCE_FIRST);

    private final EngineContext ctx;
    private final WorkerDrain drain;
    private final Map<String, String> removedGroupProviders = new java.util.concurrent.ConcurrentHashMap<>();

    Reconciler(EngineContext ctx, WorkerDrain drain) {
        this.ctx = ctx;
        this.drain = drain;
    }

    /** Works every group toward its target. {@code workers} is the endpoint's current list. */
    void reconcile(EndpointConfig config, List<WorkerRecord> workers, Map<String, GroupTarget> targets) {
        int total = countedTotal(workers);
        Map<String, List<WorkerRecord>> byGroup = new HashMap<>();
        for (WorkerRecord w : workers) {
            byGroup.computeIfAbsent(w.group(), g -> new ArrayList<>()).add(w);
        }
        Set<String> cut = new HashSet<>(); // destroyed by a cap: `workers` still shows their old state
        for (WorkerGroupConfig group : config.groups()) {
            if (group.maxWorkers().isPresent()) {
                List<WorkerRecord> own = byGroup.getOrDefault(group.name(), List.of());
                total -= cutDownTo(config, own, countedTotal(own), group.maxWorkers().getAsInt(),
                        "above group " + group.name() + "'s max_workers " + group.maxWorkers().getAsInt(), cut);
            }
        }
        total -= enforceCap(config, workers, total, cut);
        Headcount headcount = new Headcount(total);
        for (WorkerGroupConfig group : config.groups()) {
            // the group's count in every state but destroyed, less what the caps just destroyed
            headcount.enterGroup((int) byGroup.getOrDefault(group.name(), List.of()).stream()
                    .filter(w -> w.state().isCounted() && !cut.contains(w.workerId())).count());
            GroupTarget target = targets.getOrDefault(group.name(), new GroupTarget(0, 0));
            // Workers with a call in flight are in an in-between state (creating, starting, stopping):
            // they count toward the targets, and nothing below acts on those states. Of the draining
            // ones only those draining to stop are the reconciler's; the rolling update's are not.
            String revision = group.templateRevision();
            List<WorkerRecord> members = byGroup.getOrDefault(group.name(), List.of()).stream()
                    .filter(w -> w.state() != WorkerState.DESTROYING && w.state() != WorkerState.DESTROYED
                            && (w.state() != WorkerState.DRAINING || WorkerDrain.isDrainingToStop(w, revision))
                            && !cut.contains(w.workerId()))
                    .toList();
            SpendCut spendCut = new SpendCut();
            reconcileGroup(config, group, GroupWorkers.byRole(members, revision), target, headcount, spendCut);
            if (spendCut.count > 0) {
                ctx.spend().publishCut(config, group, spendCut.count, spendCut.firstReason);
            }
        }
        retireRemovedGroups(config, byGroup);
    }

    /** Every worker stops: {@code endpoint_state} is stopped. Nothing is destroyed. */
    void stopAll(EndpointConfig config, List<WorkerRecord> workers) {
        for (WorkerRecord w : workers) {
            if (w.state().isActive() && w.state() != WorkerState.CREATING && !ctx.actions().isInFlight(w.workerId())) {
                ctx.actions().stop(w, providerOf(config, w), "endpoint_state is stopped");
            }
        }
    }

    /** One group toward its target, phase by phase; each phase sees what the ones before it did. */
    private void reconcileGroup(EndpointConfig config, WorkerGroupConfig group, GroupWorkers workers,
                                GroupTarget target, Headcount headcount, SpendCut spendCut) {
        int need = target.active() - workers.servingOrLoading.size();
        if (need > 0) {
            addActive(config, group, workers, target, need, headcount, spendCut);
        } else if (need < 0) {
            removeActive(group, workers, target, -need);
        }
        finishDrains(config, group, workers);
        parkPoolWorkersThatLoaded(group, workers);
        balanceColdPool(config, group, workers, target, headcount, spendCut);
    }

    /**
     * 1a. More active workers. Capacity in the order it can serve: pool workers that just finished
     * loading (now), stopped workers (a resume takes seconds), pool workers still loading (minutes),
     * new instances. Taking a still-loading pool worker before resuming a stopped one would leave the
     * stopped one idle, serve later, and make the pool rent yet another instance. Before all of these:
     * workers draining to stop, which serve again at once and cost no call.
     */
    private void addActive(EndpointConfig config, WorkerGroupConfig group, GroupWorkers workers, GroupTarget target,
                           int need, Headcount headcount, SpendCut spendCut) {
        String provider = ctx.providerFor(group);
        String revision = group.templateRevision();
        workers.drainingToStop.sort(BEST_PRICE_PERFORMANCE_FIRST);
        for (var it = workers.drainingToStop.iterator(); it.hasNext() && need > 0; ) {
            if (drain.giveBack(it.next(), revision, "back in service for target " + target.active() + " active")) {
                it.remove();
                need--;
            }
        }
        need = takeFromPool(workers.loadingForPool, true, need, revision);
        workers.stopped.sort(BEST_PRICE_PERFORMANCE_FIRST);
        // best value first; one the spend cap refuses stays stopped, and a cheaper one may still fit
        for (var it = workers.stopped.iterator(); it.hasNext() && need > 0; ) {
            WorkerRecord w = it.next();
            String refused = ctx.spend().admit(config, group, w,
                    () -> ctx.actions().start(w, provider, "resume for target " + target.active() + " active"));
            if (refused != null) {
                spendCut.add(refused);
                continue;
            }
            it.remove();
            need--;
        }
        need = takeFromPool(workers.loadingForPool, false, need, revision);
        while (need > 0 && roomToCreate(config, group, headcount)) {
            String refused = ctx.spend().admit(config, group, null, () -> create(config, group, WorkerIntent.ACTIVE,
                    "create for target " + target.active() + " active"));
            if (refused != null) {
                spendCut.add(refused, need); // every create of a group costs the same bound: none fits
                break;
            }
            headcount.added();
            need--;
        }
    }

    /**
     * 1b. Fewer active workers: loading ones are re-marked for the pool (outdated first, then newest
     * first), then ready ones leave service (outdated first, then idle, then worst value): an outdated
     * one drains to be destroyed, a busy one drains to stop, an idle one is stopped.
     */
    private void removeActive(WorkerGroupConfig group, GroupWorkers workers, GroupTarget target, int surplus) {
        String provider = ctx.providerFor(group);
        String revision = group.templateRevision();
        Comparator<WorkerRecord> outdatedFirst = Comparator.comparing(w -> !RollingUpdate.isOutdated(w, revision));
        List<WorkerRecord> provisioning = workers.servingOrLoading.stream()
                .filter(w -> w.state().isProvisioning())
                .sorted(outdatedFirst.thenComparing(Comparator.comparingLong(WorkerRecord::createdAtNanos).reversed()))
                .toList();
        for (WorkerRecord w : provisioning) {
            if (surplus == 0) {
                break;
            }
            // a worker still being created is re-marked too: it goes to the pool once it has loaded.
            // Skipping it would take its place out of a ready worker, and leave the endpoint below its
            // ready target while the replacement is still on its way.
            remark(w, WorkerIntent.COLD);
            workers.loadingForPool.add(w);
            surplus--;
        }
        List<WorkerRecord> ready = workers.servingOrLoading.stream().filter(w -> w.state() == WorkerState.READY)
                .sorted(outdatedFirst.thenComparing(IDLE_THEN_WORST_FIRST)).toList();
        for (WorkerRecord w : ready) {
            if (surplus == 0) {
                break;
            }
            if (RollingUpdate.isOutdated(w, revision)) {
                if (drain.start(w, provider, "outdated, and above target " + target.active() + " active")) {
                    surplus--;
                }
                continue;
            }
            if (!WorkerDrain.isIdle(w)) {
                // stopping it would fail what it holds: it finishes first (counted with the pool below)
                if (drain.startToStop(w, provider, revision, "busy, and above target " + target.active()
                        + " active: drains, then stops")) {
                    workers.drainingToStop.add(w);
                    surplus--;
                }
                continue;
            }
            if (ctx.actions().stopIfIdle(w, provider, "stop for target " + target.active() + " active")) {
                workers.stopAsked();
                surplus--;
                continue;
            }
            // a route reserved on it since the tick looked: the stop did not go out; it drains instead
            WorkerRecord now = ctx.store().worker(w.workerId()).orElse(null);
            if (now != null && !WorkerDrain.isIdle(now) && drain.startToStop(now, provider, revision, "busy, and above target "
                    + target.active() + " active: drains, then stops")) {
                workers.drainingToStop.add(now);
                surplus--;
            }
        }
    }

    /** Drains to stop that are done end: the worker is stopped (or, past the timeout, stopped anyway). */
    private void finishDrains(EndpointConfig config, WorkerGroupConfig group, GroupWorkers workers) {
        String provider = ctx.providerFor(group);
        String revision = group.templateRevision();
        for (WorkerRecord w : workers.drainingToStop) {
            ctx.store().worker(w.workerId()).ifPresent(current -> drain.finishIfDone(current, provider, revision, config.drainTimeout()));
        }
    }

    /** 2. Workers that loaded for the cold pool go to it. */
    private void parkPoolWorkersThatLoaded(WorkerGroupConfig group, GroupWorkers workers) {
        String provider = ctx.providerFor(group);
        for (WorkerRecord w : workers.loadingForPool) {
            if (w.state() == WorkerState.READY && ctx.actions().stopIfIdle(w, provider, "loaded for the cold pool")) {
                workers.stopAsked();
            }
        }
    }

    /**
     * 3. The cold pool: surplus stopped workers are destroyed (worst value first, never below the
     * {@code cold_workers} floor of loaded workers, and only once stopped for
     * {@code cold_destroy_delay}); a short pool gets new workers.
     */
    private void balanceColdPool(EndpointConfig config, WorkerGroupConfig group, GroupWorkers workers,
                                 GroupTarget target, Headcount headcount, SpendCut spendCut) {
        int cold = workers.cold();
        int floor = Math.min(Math.min(config.coldWorkersFor(group), config.maxWorkers()),
                group.maxWorkers().orElse(Integer.MAX_VALUE));
        if (cold > target.cold()) {
            String provider = ctx.providerFor(group);
            int surplus = cold - target.cold();
            workers.stopped.sort(WORST_PRICE_PERFORMANCE_FIRST);
            long now = ctx.clock().nanoTime();
            double graceSeconds = config.coldDestroyDelay().toNanos() / 1e9;
            for (WorkerRecord w : workers.stopped) {
                if (surplus == 0 || workers.loaded() <= floor) {
                    break;
                }
                if (w.secondsInState(now) < graceSeconds) {
                    continue; // recently stopped: keep it a while in case the pool grows again
                }
                ctx.actions().destroy(w, provider, "cold pool above target " + target.cold());
                workers.loadedDestroyed();
                headcount.removed();
                surplus--;
            }
        } else if (cold < target.cold()) {
            int short_ = target.cold() - cold;
            while (short_ > 0 && roomToCreate(config, group, headcount)) {
                String refused = ctx.spend().admit(config, group, null, () -> create(config, group, WorkerIntent.COLD,
                        "create for cold pool target " + target.cold()));
                if (refused != null) {
                    spendCut.add(refused, short_);
                    break;
                }
                headcount.added();
                short_--;
            }
        }
    }

    /**
     * True while one more worker fits both caps, the endpoint's and the group's, and the group's
     * creates are not backing off. The counts include workers still creating.
     */
    private boolean roomToCreate(EndpointConfig config, WorkerGroupConfig group, Headcount headcount) {
        return headcount.below(config.maxWorkers(), group.maxWorkers().orElse(Integer.MAX_VALUE))
                && ctx.actions().createAllowed(config.name(), group.name());
    }

    /**
     * Cuts the endpoint back under {@code max_workers}: stopped workers first, worst value first, then idle ones.
     *
     * @return how many were destroyed
     */
    private int enforceCap(EndpointConfig config, List<WorkerRecord> workers, int total, Set<String> cut) {
        return cutDownTo(config, workers, total, config.maxWorkers(), "above max_workers " + config.maxWorkers(), cut);
    }

    /**
     * Destroys {@code workers} until {@code count} is down to {@code cap}: stopped workers first, then
     * those not serving (loading, starting), then ready and draining ones, each idle first, then worst
     * price-performance first. Workers still creating or with a call in flight are left for a later tick,
     * and so is the part of the excess that creates in flight make: a running worker (adopted after a
     * restart, say) is never destroyed in favour of one that is still being created. Once those have
     * their instance they are loading, and go before any ready worker.
     *
     * @param count how many of {@code workers} are counted against {@code cap}
     * @param cut   the ids destroyed so far this tick: skipped, and added to
     * @return how many were destroyed
     */
    private int cutDownTo(EndpointConfig config, List<WorkerRecord> workers, int count, int cap, String reason,
                          Set<String> cut) {
        if (count <= cap) {
            return 0;
        }
        long creating = workers.stream()
                .filter(w -> w.state() == WorkerState.CREATING && !cut.contains(w.workerId())).count();
        int excess = (int) Math.max(0, count - cap - creating);
        if (excess == 0) {
            return 0;
        }
        List<WorkerRecord> candidates = new ArrayList<>(workers.stream()
                .filter(w -> w.state() != WorkerState.DESTROYING && w.state() != WorkerState.DESTROYED
                        && w.state() != WorkerState.CREATING && !ctx.actions().isInFlight(w.workerId())
                        && !cut.contains(w.workerId()))
                .toList());
        candidates.sort(Comparator.comparing((WorkerRecord w) -> w.state() != WorkerState.STOPPED)
                .thenComparing(w -> w.state() == WorkerState.READY || w.state() == WorkerState.DRAINING)
                .thenComparing(IDLE_THEN_WORST_FIRST));
        int destroyed = 0;
        for (WorkerRecord w : candidates) {
            if (destroyed >= excess) {
                break;
            }
            ctx.actions().destroy(w, providerOf(config, w), reason);
            cut.add(w.workerId());
            destroyed++;
        }
        return destroyed;
    }

    /** Workers of groups no longer configured: drained (left alone while busy), then destroyed. */
    private void retireRemovedGroups(EndpointConfig config, Map<String, List<WorkerRecord>> byGroup) {
        for (Map.Entry<String, List<WorkerRecord>> entry : byGroup.entrySet()) {
            if (config.group(entry.getKey()).isPresent()) {
                continue;
            }
            for (WorkerRecord w : entry.getValue()) {
                retire(w, "its group " + entry.getKey() + " was removed");
            }
        }
    }

    /**
     * Every worker of an endpoint that was removed: drained, then destroyed, like the workers of a
     * removed group.
     */
    void retireAll(List<WorkerRecord> workers) {
        for (WorkerRecord w : workers) {
            retire(w, "its endpoint " + w.endpoint() + " was removed");
        }
    }

    /**
     * Remembers which provider a removed group's instances live on, so that they are destroyed there
     * and not on the default provider.
     */
    void rememberRemovedGroup(WorkerGroupConfig group) {
        removedGroupProviders.put(group.name(), ctx.providerFor(group));
    }

    /** The provider of a removed group's instances, if this endpoint had such a group. */
    java.util.Optional<String> removedGroupProvider(String group) {
        return java.util.Optional.ofNullable(removedGroupProviders.get(group));
    }

    /** Destroys a worker once it serves nothing (no new routes reach it: its group is not configured). */
    private void retire(WorkerRecord w, String reason) {
        if (w.state() == WorkerState.DESTROYING || w.state() == WorkerState.DESTROYED) {
            return;
        }
        boolean serving = w.state() == WorkerState.READY || w.state() == WorkerState.DRAINING;
        if (w.state() == WorkerState.CREATING || ctx.actions().isInFlight(w.workerId())) {
            return;
        }
        String provider = removedGroupProviders.getOrDefault(w.group(), ctx.defaultProviderName());
        if (serving) {
            ctx.actions().destroyIfIdle(w, provider, reason); // re-checked in the move: busy ones wait
        } else {
            ctx.actions().destroy(w, provider, reason);
        }
    }

    private void create(EndpointConfig config, WorkerGroupConfig group, WorkerIntent intent, String reason) {
        long now = ctx.clock().nanoTime();
        String revision = group.templateRevision();
        String uid = WorkerLabel.uid(HexFormat.of().toHexDigits(ctx.random().nextLong()), revision);
        String label = new WorkerLabel(ctx.owner(), config.name(), group.name(), uid).toString();
        String mtoken = ctx.minter().mint(label);
        Map<String, String> env = new HashMap<>(group.template().env());
        env.put("MASTER_TOKEN", mtoken);
        env.put("REPORT_ADDR", ctx.publicUrl());
        env.put("WORKER_PORT", Integer.toString(group.workerPort()));
        // a worker of an ed25519 endpoint then refuses every other ticket format (no downgrade)
        env.put("TICKET_FORMAT", config.ticketFormat());
        WorkerRecord worker = WorkerRecord.builder(uid, config.name(), group.name(), label, mtoken)
                .intent(intent).templateRevision(revision).createdAtNanos(now).stateSinceNanos(now).build();
        ctx.actions().create(worker, new CreateInstanceRequest(config.name(), group, label, env),
                ctx.providerFor(group), reason);
    }

    /** Gives pool workers back to service, ready ones or still-loading ones; returns what is still needed. */
    private int takeFromPool(List<WorkerRecord> loadingForPool, boolean ready, int need, String revision) {
        for (var it = loadingForPool.iterator(); it.hasNext() && need > 0; ) {
            WorkerRecord w = it.next();
            if ((w.state() == WorkerState.READY) == ready && !RollingUpdate.isOutdated(w, revision)) {
                remark(w, WorkerIntent.ACTIVE);
                it.remove();
                need--;
            }
        }
        return need;
    }

    private void remark(WorkerRecord w, WorkerIntent intent) {
        ctx.store().updateWorker(w.workerId(), current -> current.intent() == intent ? current
                : current.toBuilder().intent(intent).build());
    }

    private static int countedTotal(List<WorkerRecord> workers) {
        int n = 0;
        for (WorkerRecord w : workers) {
            if (w.state().isCounted()) {
                n++;
            }
        }
        return n;
    }

    private String providerOf(EndpointConfig config, WorkerRecord w) {
        return config.group(w.group()).map(ctx::providerFor).orElse(ctx.defaultProviderName());
    }

    /** What the spend caps cut in one group's pass: published once, after the pass. */
    private static final class SpendCut {
        private int count;
        private String firstReason = "";

        void add(String reason) {
            add(reason, 1);
        }

        void add(String reason, int n) {
            if (count == 0) {
                firstReason = reason;
            }
            count += n;
        }
    }

    /**
     * The workers a pass counts against {@code max_workers}: the endpoint's, and those of the group
     * being reconciled. Creates and destroys of the pass update both, so that a later create in the
     * same tick sees the room the earlier ones used.
     */
    private static final class Headcount {
        private int endpoint;
        private int group;

        Headcount(int endpoint) {
            this.endpoint = endpoint;
        }

        void enterGroup(int groupCount) {
            group = groupCount;
        }

        boolean below(int endpointCap, int groupCap) {
            return endpoint < endpointCap && group < groupCap;
        }

        void added() {
            endpoint++;
            group++;
        }

        void removed() {
            endpoint--;
            group--;
        }
    }
}
