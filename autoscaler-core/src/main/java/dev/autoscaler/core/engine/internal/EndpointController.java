package dev.autoscaler.core.engine.internal;

import dev.autoscaler.AutoscalerEvent;
import dev.autoscaler.EndpointConfig;
import dev.autoscaler.EndpointSnapshot;
import dev.autoscaler.EndpointState;
import dev.autoscaler.GroupTarget;
import dev.autoscaler.ScalingDecision;
import dev.autoscaler.WorkerCaps;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.spi.ScalingPolicy;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One endpoint's control loop. Each tick: repair broken workers, build the snapshot, ask the policy,
 * hold its decision to each group's own {@code max_workers}, then to the endpoint's
 * ({@link WorkerCaps}: the one cap rule, applied to every policy's decision), publish it when it changes a
 * target (and its reason on every tick), step any rolling
 * update of a changed template (which may add a surge to a group's target), and reconcile.
 * A policy that throws is logged and published; the endpoint then keeps its current targets.
 */
public final class EndpointController {
    private static final Logger log = LoggerFactory.getLogger(EndpointController.class);

    private final EngineContext ctx;
    private final LoadTracker tracker = new LoadTracker();
    /** Per overflow group: the spill-over the router sent to it (or that waited for it), as routed work. */
    private final Map<String, LoadTracker> spillTrackers = new ConcurrentHashMap<>();
    private final WorkerRepair repair;
    private final Reconciler reconciler;
    private final RollingUpdate rollingUpdate;
    private final Map<String, Double> rememberedPerf = new HashMap<>();
    private volatile EndpointConfig config;
    private volatile ScalingPolicy policy;
    private volatile Map<String, GroupTarget> targets = Map.of();
    private volatile String lastReason = "";

    public EndpointController(EngineContext ctx, EndpointConfig config, ScalingPolicy policy) {
        this.ctx = ctx;
        this.config = config;
        this.policy = policy;
        this.repair = new WorkerRepair(ctx);
        WorkerDrain drain = new WorkerDrain(ctx);
        this.reconciler = new Reconciler(ctx, drain);
        this.rollingUpdate = new RollingUpdate(ctx, drain);
    }

    /**
     * Retiring an endpoint destroys on each group's own provider: every group counts as removed, as
     * far as the reconciler knows where to destroy.
     */
    public void markRemoved() {
        for (WorkerGroupConfig group : config.groups()) {
            reconciler.rememberRemovedGroup(group);
        }
    }

    public EndpointConfig config() {
        return config;
    }

    /** The provider of a group's instances: its configured one, or a removed group's. */
    public String providerOf(String group) {
        EndpointConfig cfg = config;
        return cfg.group(group).map(ctx::providerFor)
                .or(() -> reconciler.removedGroupProvider(group))
                .orElse(ctx.defaultProviderName());
    }

    public LoadTracker tracker() {
        return tracker;
    }

    /** The spill-over counter of one group, created on first use. */
    public LoadTracker spillTracker(String group) {
        return spillTrackers.computeIfAbsent(group, g -> new LoadTracker());
    }

    /** The targets the engine works toward now, by group. */
    public Map<String, GroupTarget> targets() {
        return targets;
    }

    /** The reason of the last tick's decision, whether or not it changed a target. */
    public String lastReason() {
        return lastReason;
    }

    /** The policy that decides for this endpoint. */
    public ScalingPolicy policy() {
        return policy;
    }

    /** Swaps the configuration (and the policy, when it changed); takes effect at the next tick. */
    public synchronized void reconfigure(EndpointConfig next, ScalingPolicy nextPolicy) {
        for (WorkerGroupConfig group : config.groups()) {
            if (next.group(group.name()).isEmpty()) {
                reconciler.rememberRemovedGroup(group);
            }
        }
        this.config = next;
        this.policy = nextPolicy;
    }

    /**
     * One step of retiring a removed endpoint: idle workers are destroyed, busy ones are left until
     * they are idle (no new request reaches them: the endpoint is gone from the router).
     *
     * @return true once no worker is left, so the controller can be forgotten
     */
    public synchronized boolean retire() {
        try {
            List<WorkerRecord> workers = ctx.store().workers(config.name()).stream()
                    .filter(w -> w.state() != dev.autoscaler.WorkerState.DESTROYED).toList();
            if (workers.isEmpty()) {
                return true;
            }
            reconciler.retireAll(workers);
        } catch (RuntimeException e) {
            log.error("retiring endpoint {} failed; the next tick retries", config.name(), e);
        }
        return false;
    }

    /** Each group's rolling-update progress (see {@link RollingUpdate}). */
    public List<dev.autoscaler.RolloutStatus> rollout() {
        EndpointConfig cfg = config;
        return RollingUpdate.status(cfg, ctx.store().workers(cfg.name()));
    }

    public EndpointSnapshot snapshot() {
        EndpointConfig cfg = config;
        return snapshot(cfg, ctx.store().workers(cfg.name()));
    }

    /**
     * One control step. Never throws: a tick that fails is logged, and the next one starts afresh.
     * Publishes a {@link AutoscalerEvent.TickCompleted} with the decision's reason on every tick that
     * gets as far as a decision, also when the targets stay the same.
     */
    public synchronized void tick() {
        EndpointConfig cfg = config;
        try {
            if (cfg.state() == EndpointState.SUSPENDED) {
                // the engine stops managing: workers keep their state, nothing is replaced
                publishTick(cfg, snapshot(cfg, ctx.store().workers(cfg.name())), targets,
                        "endpoint_state is suspended: not managed", false);
                return;
            }
            repair.repair(cfg, ctx.store().workers(cfg.name()));
            List<WorkerRecord> workers = ctx.store().workers(cfg.name());
            if (cfg.state() == EndpointState.STOPPED) {
                Map<String, GroupTarget> zero = new LinkedHashMap<>();
                for (WorkerGroupConfig g : cfg.groups()) {
                    zero.put(g.name(), new GroupTarget(0, targets.getOrDefault(g.name(), new GroupTarget(0, 0)).cold()));
                }
                boolean changed = publishIfChanged(cfg, zero, "endpoint_state is stopped");
                publishTick(cfg, snapshot(cfg, workers), zero, "endpoint_state is stopped", changed);
                reconciler.stopAll(cfg, workers);
                return;
            }
            EndpointSnapshot snapshot = snapshot(cfg, workers);
            Decided decided = decide(cfg, snapshot);
            publishTick(cfg, snapshot, decided.targets(), decided.reason(), decided.changed());
            // the surge of a rolling update is the engine's, not the policy's: it is not published as a target
            Map<String, GroupTarget> surged = rollingUpdate.step(cfg, workers, decided.targets());
            reconciler.reconcile(cfg, ctx.store().workers(cfg.name()), surged);
        } catch (RuntimeException e) {
            log.error("tick of endpoint {} failed; the next tick starts afresh", cfg.name(), e);
        }
    }

    private EndpointSnapshot snapshot(EndpointConfig cfg, List<WorkerRecord> workers) {
        return SnapshotBuilder.build(cfg, workers, ctx.store().requests(cfg.name()), targets,
                rememberedPerf, tracker, spillTrackers, ctx.clock().now(), ctx.clock().nanoTime());
    }

    private void publishTick(EndpointConfig cfg, EndpointSnapshot snapshot, Map<String, GroupTarget> next,
                             String reason, boolean changed) {
        lastReason = reason;
        ctx.events().publish(new AutoscalerEvent.TickCompleted(ctx.clock().now(), cfg.name(), snapshot, next, reason,
                changed));
    }

    /** The targets a tick works toward, why, and whether they differ from the previous tick's. */
    private record Decided(Map<String, GroupTarget> targets, String reason, boolean changed) {
    }

    private Decided decide(EndpointConfig cfg, EndpointSnapshot snapshot) {
        Map<String, GroupTarget> current = new LinkedHashMap<>();
        for (var group : snapshot.groups()) {
            current.put(group.name(), group.currentTarget());
        }
        ScalingDecision decision;
        try {
            decision = policy.decide(snapshot);
            if (decision == null) {
                throw new IllegalStateException("policy returned no decision");
            }
        } catch (RuntimeException e) {
            log.warn("policy {} of endpoint {} threw; keeping the current size", cfg.policy(), cfg.name(), e);
            ctx.events().publish(new AutoscalerEvent.PluginFailed(ctx.clock().now(), cfg.name(), cfg.policy(), e));
            targets = current;
            return new Decided(current, "policy " + cfg.policy() + " failed (" + e.getClass().getSimpleName()
                    + "): keeping the current size", false);
        }
        if (decision.keepCurrent()) {
            targets = current;
            return new Decided(current, decision.reason().isEmpty() ? "policy keeps the current size" : decision.reason(),
                    false);
        }
        Map<String, GroupTarget> next = new LinkedHashMap<>(current);
        for (var entry : decision.targets().entrySet()) {
            if (next.containsKey(entry.getKey())) {
                next.put(entry.getKey(), entry.getValue());
            } else {
                log.warn("policy {} set a target for unknown group {} of endpoint {}; ignored", cfg.policy(),
                        entry.getKey(), cfg.name());
            }
        }
        // the one place max_workers (each group's, then the endpoint's) holds a decision, whoever made it
        WorkerCaps.Capped capped = WorkerCaps.apply(cfg, next);
        String reason = decision.reason();
        if (!capped.groupNote().isEmpty()) {
            reason = reason + " (clamped to group max_workers: " + capped.groupNote() + ")";
        }
        if (!capped.endpointNote().isEmpty()) {
            reason = reason + " (clamped to " + capped.endpointNote() + ")";
        }
        next = new LinkedHashMap<>(capped.targets());
        String held = holdForStaleData(snapshot, current, next);
        if (!held.isEmpty()) {
            reason = reason + " (" + held + ")";
        }
        boolean changed = publishIfChanged(cfg, next, reason);
        return new Decided(next, reason, changed);
    }

    /**
     * Missing reports are not low load: while a ready worker is silent past {@code stale_after}, no
     * group's target goes below the current one, whatever the policy asked (Kubernetes' HPA does the
     * same on missing metrics). Rises go through. {@code max_workers} still wins: a target above a
     * lowered cap is not held.
     *
     * @return what was held, for the decision's reason; empty when nothing was
     */
    private static String holdForStaleData(EndpointSnapshot snapshot, Map<String, GroupTarget> current,
                                           Map<String, GroupTarget> next) {
        if (snapshot.load().fresh()) {
            return "";
        }
        EndpointConfig cfg = snapshot.config();
        StringBuilder held = new StringBuilder();
        for (var entry : next.entrySet()) {
            GroupTarget was = current.get(entry.getKey());
            GroupTarget asked = entry.getValue();
            if (was == null || (asked.active() >= was.active() && asked.cold() >= was.cold())) {
                continue;
            }
            GroupTarget kept = new GroupTarget(Math.max(asked.active(), was.active()), Math.max(asked.cold(), was.cold()));
            entry.setValue(kept);
            held.append(held.length() == 0 ? "" : ", ").append(entry.getKey()).append(' ').append(kept.active())
                    .append(" active + ").append(kept.cold()).append(" cold");
        }
        if (held.length() == 0) {
            return "";
        }
        // a target above a lowered cap is not held: the caps win
        Map<String, GroupTarget> capped = WorkerCaps.apply(cfg, next).targets();
        next.putAll(capped);
        return "held for stale data: " + snapshot.staleWorkers().size() + " ready worker(s) silent > "
                + cfg.staleAfter().toSeconds() + " s (stale_after); kept " + held;
    }

    /** @return whether the targets changed (a {@link AutoscalerEvent.DecisionMade} was published) */
    private boolean publishIfChanged(EndpointConfig cfg, Map<String, GroupTarget> next, String reason) {
        if (next.equals(targets)) {
            return false;
        }
        Map<String, GroupTarget> previous = targets;
        targets = Map.copyOf(next);
        log.debug("endpoint {}: {} -> {}: {}", cfg.name(), previous, next, reason);
        ctx.events().publish(new AutoscalerEvent.DecisionMade(ctx.clock().now(), cfg.name(), previous, next, reason));
        return true;
    }
}
