package dev.autoscaler.spi;

import dev.autoscaler.EndpointSnapshot;
import dev.autoscaler.ScalingDecision;

/**
 * Decides how many workers each group of an endpoint should have: per group, an {@code active}
 * count (workers that serve or are on their way to) and a {@code cold} count (stopped workers, model
 * on disk, resumed in seconds). A pure function of the snapshot plus the policy's own state, if any:
 * no I/O, no wall clock (time is {@link EndpointSnapshot#now()} and {@link EndpointSnapshot#nanoTime()}).
 *
 * <h2>When it is called</h2>
 * Once per control tick of its endpoint (every {@code tickInterval}, 5 s by default), and also when
 * the router wakes the endpoint: a request waits and no worker is ready or on its way (scaled to
 * zero), at most once a second, so that a scale-up from zero starts at once. Never for a
 * {@code suspended} or {@code stopped} endpoint. One instance serves one endpoint and is called from
 * one thread at a time, but not always the same thread. The instance lives as long as the endpoint's
 * {@code policy} and {@code policy_params} stay the same: other config changes (weights, groups,
 * {@code max_workers}, ...) keep it and its history; a change of either makes a new instance
 * through {@link ScalingPolicyProvider#create} (the old one is dropped, its state with it).
 *
 * <h2>What the engine does with the decision</h2>
 * <ol>
 * <li>Groups the decision leaves out keep their current target; {@link ScalingDecision#keep} keeps
 *     them all; targets for groups the endpoint does not have are ignored (logged). A policy that
 *     throws or returns null is logged and published ({@code PluginFailed}); the endpoint keeps its
 *     size.</li>
 * <li>The caps: each group's {@code max_workers}, then the endpoint's, hold the targets
 *     ({@link dev.autoscaler.WorkerCaps}: cold before active, overflow groups before primary ones,
 *     the largest groups levelled down together). A policy need not cap; {@link ScalingDecision#capped}
 *     shows its tests what the engine will work toward.</li>
 * <li>The reconciler moves the workers toward the targets. A higher {@code active} gives back
 *     workers draining to stop first, then pool workers that loaded, resumes stopped workers, takes
 *     pool workers still loading, then creates. A lower {@code active} <em>stops</em> workers, it destroys none: a worker still
 *     loading finishes and joins the cold pool; an idle ready one is stopped at once; a busy one
 *     drains (takes no new request) and is stopped once idle. Only the cold target destroys: stopped
 *     workers above it are destroyed, worst price-performance first, once stopped for
 *     {@code cold_destroy_delay}; below it, workers are created to load for the pool.</li>
 * <li>The floor after the policy: however low the cold target, the reconciler destroys surplus
 *     stopped workers only while the group keeps more loaded workers (ready, draining, stopping,
 *     stopped) than its {@code cold_workers} (the group's own, else the endpoint's, held to the
 *     {@code max_workers}). It does not create workers to reach {@code cold_workers}: a policy that
 *     wants the pool filled asks for it in {@code cold} (the built-in {@code vast} does). Only a
 *     lowered {@code max_workers}, a removed group and a rolling update destroy below it.</li>
 * <li>A rolling update of a group's template may add one active worker of surge; that is the
 *     engine's, not part of the published target.</li>
 * </ol>
 */
@FunctionalInterface
public interface ScalingPolicy {
    /**
     * The targets for {@code snapshot}'s endpoint now.
     *
     * @return a decision, never null; {@link ScalingDecision#keep} to change nothing (for instance
     *         when the figures are missing or stale)
     */
    ScalingDecision decide(EndpointSnapshot snapshot);
}
