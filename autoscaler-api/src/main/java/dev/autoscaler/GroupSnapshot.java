package dev.autoscaler;

import java.util.List;

/**
 * One worker group as a policy sees it.
 *
 * @param config        the group's configuration
 * @param workers       its workers in every state but destroyed
 * @param perfEstimate  the perf to expect of a new worker of this group: the median perf its workers
 *                      have measured, else the group's {@code expected_perf}, else 0 (unknown)
 * @param currentTarget the target the engine currently works towards
 * @param spillRateShort spill-over sent to this group, perf units/s, over the short window (the
 *                       higher of the last 10 s and {@link LoadStats#SHORT_WINDOW_SECONDS}): work the
 *                       router sent to it, or that waited, because every primary group was full.
 *                       Only an {@code overflow} group has spill-over; 0 for a primary group
 * @param spillRateLong  the same over {@link LoadStats#LONG_WINDOW_SECONDS}
 */
public record GroupSnapshot(WorkerGroupConfig config, List<WorkerRecord> workers, double perfEstimate,
                            GroupTarget currentTarget, double spillRateShort, double spillRateLong) {
    public GroupSnapshot {
        workers = List.copyOf(workers);
    }

    /** A group without spill-over (a primary group, or before any was measured). */
    public GroupSnapshot(WorkerGroupConfig config, List<WorkerRecord> workers, double perfEstimate,
                         GroupTarget currentTarget) {
        this(config, workers, perfEstimate, currentTarget, 0, 0);
    }

    public String name() {
        return config.name();
    }

    public long count(WorkerState state) {
        return workers.stream().filter(w -> w.state() == state).count();
    }

    /** Workers holding or getting a GPU (creating, loading, starting, ready, rebooting, errored). */
    public long activeCount() {
        return workers.stream().filter(w -> w.state().isActive()).count();
    }

    /** Workers stopped or stopping. */
    public long coldCount() {
        return workers.stream().filter(w -> w.state().isCold()).count();
    }

}
