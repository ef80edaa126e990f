package dev.autoscaler;

import java.util.List;

/**
 * One worker group as a policy sees it.
 *
 * <p>Counts a policy can take at face value: {@link #servingCount()}, {@link #loadingForServiceCount()},
 * {@link #loadingForPoolCount()}, {@link #drainingCount()}, {@link #stoppedCount()}; every worker but
 * one being destroyed is in exactly one of them. {@link #activeCount()} is their sum but the stopped
 * ones, which is more than the capacity the active target buys.
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

    /**
     * Every worker holding or getting a GPU, whatever it is for: serving, loading for service,
     * loading for the cold pool (it will be stopped once loaded), draining (to stop or to be retired
     * by a rolling update), errored. It is not the number of workers that serve or will serve: a
     * policy that compares its active target with this count sees the pool's loading workers and the
     * draining ones as active capacity. Use {@link #servingCount()} and {@link #loadingForServiceCount()}
     * for the capacity the active target buys; the five counts below take every worker but one being
     * destroyed exactly once.
     */
    public long activeCount() {
        return workers.stream().filter(w -> w.state().isActive()).count();
    }

    /** Workers stopped or stopping: the cold pool. The same as {@link #stoppedCount()}. */
    public long coldCount() {
        return workers.stream().filter(w -> w.state().isCold()).count();
    }

    /** Ready workers that take requests now ({@code ready}, rented to serve). */
    public long servingCount() {
        return workers.stream().filter(w -> w.state() == WorkerState.READY && w.intent() == WorkerIntent.ACTIVE)
                .count();
    }

    /**
     * Workers on their way to serve: creating, loading, starting (a resume), rebooting or errored (the
     * engine reboots, then replaces, an errored worker), rented to serve. With {@link #servingCount()}
     * it is what the engine counts toward the active target.
     */
    public long loadingForServiceCount() {
        return workers.stream().filter(w -> w.intent() == WorkerIntent.ACTIVE && isOnItsWay(w.state())).count();
    }

    /**
     * Workers loading for the cold pool: rented (or re-marked) to fill the pool, they load and
     * benchmark, then are stopped; a ready one is stopped at the next tick. They hold a GPU but take
     * no request; the engine counts them toward the cold target, and gives them to service first when
     * the active target rises.
     */
    public long loadingForPoolCount() {
        return workers.stream().filter(w -> w.intent() == WorkerIntent.COLD
                && (isOnItsWay(w.state()) || w.state() == WorkerState.READY)).count();
    }

    /**
     * Workers draining: no new request reaches them; they finish what they hold and then go. Those a
     * scale-down drains ({@link #drainingToStopCount()}) are stopped and join the cold pool; those a
     * rolling update drains are destroyed.
     */
    public long drainingCount() {
        return count(WorkerState.DRAINING);
    }

    /** Draining workers a scale-down put there: stopped once idle, counted by the engine toward the cold target. */
    public long drainingToStopCount() {
        return workers.stream().filter(w -> w.state() == WorkerState.DRAINING && w.intent() == WorkerIntent.COLD)
                .count();
    }

    /** Workers stopped or stopping: the cold pool, model on disk, no GPU held. */
    public long stoppedCount() {
        return coldCount();
    }

    private static boolean isOnItsWay(WorkerState state) {
        return state.isProvisioning() || state == WorkerState.ERROR;
    }

    /** Total perf of the ready workers. */
    public double readyCapacity() {
        return workers.stream().filter(w -> w.state() == WorkerState.READY).mapToDouble(WorkerRecord::perf).sum();
    }
}
