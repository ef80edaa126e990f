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
 */
public record GroupSnapshot(WorkerGroupConfig config, List<WorkerRecord> workers, double perfEstimate,
                            GroupTarget currentTarget) {
    public GroupSnapshot {
        workers = List.copyOf(workers);
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

    /** Total perf of the ready workers. */
    public double readyCapacity() {
        return workers.stream().filter(w -> w.state() == WorkerState.READY).mapToDouble(WorkerRecord::perf).sum();
    }
}
