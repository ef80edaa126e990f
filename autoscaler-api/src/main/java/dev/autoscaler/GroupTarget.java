package dev.autoscaler;

/**
 * What a policy wants of one worker group: how many workers active (loading, starting or ready)
 * and how many cold (stopped, model on disk).
 */
public record GroupTarget(int active, int cold) {
    public GroupTarget {
        if (active < 0) {
            throw new IllegalArgumentException("active must be >= 0, got " + active);
        }
        if (cold < 0) {
            throw new IllegalArgumentException("cold must be >= 0, got " + cold);
        }
    }

    public int total() {
        return active + cold;
    }

    /**
     * This target held to {@code maxWorkers} in all: cold is given up first (a stopped worker only
     * saves a future boot), then active. The rule of a group's own {@code max_workers}, shared by
     * {@link WorkerCaps}, which the engine applies to every decision.
     */
    public GroupTarget cappedAt(int maxWorkers) {
        if (total() <= maxWorkers) {
            return this;
        }
        int keptActive = Math.min(active, maxWorkers);
        return new GroupTarget(keptActive, Math.min(cold, maxWorkers - keptActive));
    }
}
