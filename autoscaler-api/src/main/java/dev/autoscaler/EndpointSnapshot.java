package dev.autoscaler;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The immutable view of one endpoint that a scaling policy decides on, built by the engine at each
 * control tick (and router wake-up) just before {@link dev.autoscaler.spi.ScalingPolicy#decide}, after
 * the tick's repairs (errored workers rebooted, stuck ones replaced). Its counts are of that instant;
 * provider calls still in flight show as in-between states ({@code creating}, {@code starting},
 * {@code stopping}). Each group's counts by purpose are in {@link GroupSnapshot}; the load figures in
 * {@link LoadStats}. Build one in tests with {@code autoscaler-testkit}'s {@code SnapshotBuilder}.
 *
 * @param config   the endpoint's configuration, groups included
 * @param now      wall time of the snapshot
 * @param nanoTime monotonic time of the snapshot (compare with the workers' timestamps)
 * @param groups   one snapshot per configured group, in configuration order
 * @param load     the measured traffic
 */
public record EndpointSnapshot(EndpointConfig config, Instant now, long nanoTime, List<GroupSnapshot> groups,
                               LoadStats load) {
    public EndpointSnapshot {
        groups = List.copyOf(groups);
    }

    /**
     * One group's snapshot, by name.
     *
     * @param name the group's name
     * @return the group's snapshot, or empty
     */
    public Optional<GroupSnapshot> group(String name) {
        return groups.stream().filter(g -> g.name().equals(name)).findFirst();
    }

    /** {@return every worker of every group} */
    public List<WorkerRecord> workers() {
        return groups.stream().flatMap(g -> g.workers().stream()).toList();
    }

    /** How the engine's {@code error_msg} of a worker it failed for its silence starts. */
    public static final String SILENCE_ERROR = "silent for ";

    /**
     * {@return the workers whose figures are stale: ready ones whose last report is older than the
     * endpoint's {@code stale_after}, and those the engine failed for their silence (errored or
     * rebooting, {@code error_msg} starting with {@value #SILENCE_ERROR}) until they report again. Their
     * load and perf are old news, and {@link LoadStats#fresh()} is false while there is one}
     */
    public List<WorkerRecord> staleWorkers() {
        double limit = config.staleAfter().toNanos() / 1e9;
        return workers().stream().filter(w -> isStale(w, nanoTime, limit)).toList();
    }

    /**
     * Whether a worker's figures are stale, as {@link #staleWorkers()} says.
     *
     * @param w                 the worker
     * @param nanoTime          monotonic time now
     * @param staleAfterSeconds the endpoint's {@code stale_after}
     * @return true when stale
     */
    public static boolean isStale(WorkerRecord w, long nanoTime, double staleAfterSeconds) {
        boolean silentFailure = (w.state() == WorkerState.ERROR || w.state() == WorkerState.REBOOTING)
                && w.errorMsg() != null && w.errorMsg().startsWith(SILENCE_ERROR);
        return (w.state() == WorkerState.READY || silentFailure) && w.secondsSinceReport(nanoTime) > staleAfterSeconds;
    }

    /** {@return workers counted against {@code max_workers}: every worker in every state but destroyed} */
    public long totalWorkers() {
        return groups.stream().mapToLong(g -> g.workers().size()).sum();
    }
}
