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
}
