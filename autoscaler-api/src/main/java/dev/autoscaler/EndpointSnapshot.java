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

    public Optional<GroupSnapshot> group(String name) {
        return groups.stream().filter(g -> g.name().equals(name)).findFirst();
    }

    /** Every worker of every group. */
    public List<WorkerRecord> workers() {
        return groups.stream().flatMap(g -> g.workers().stream()).toList();
    }

    /** Workers counted against {@code max_workers}: every worker in every state but destroyed. */
    public long totalWorkers() {
        return groups.stream().mapToLong(g -> g.workers().size()).sum();
    }
}
