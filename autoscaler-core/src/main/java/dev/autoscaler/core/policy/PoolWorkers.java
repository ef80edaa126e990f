package dev.autoscaler.core.policy;

import dev.autoscaler.GroupSnapshot;
import dev.autoscaler.WorkerIntent;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;

/**
 * How the reconciler counts a group's workers, for the policies: a worker in an active state with
 * intent {@link WorkerIntent#COLD} (loading to join the cold pool, or draining to stop) belongs to
 * the cold pool, not to the active target. Only workers in active states with intent
 * {@link WorkerIntent#ACTIVE} are the active capacity a policy has asked for.
 */
final class PoolWorkers {
    private PoolWorkers() {
    }

    /** Workers holding a GPU on their way to the cold pool. */
    static int count(GroupSnapshot group) {
        int n = 0;
        for (WorkerRecord w : group.workers()) {
            if (isPoolBound(w)) {
                n++;
            }
        }
        return n;
    }

    static boolean isPoolBound(WorkerRecord w) {
        return w.state().isActive() && w.intent() == WorkerIntent.COLD;
    }

    /** Workers that hold a GPU to serve: active states, intent active, not draining. */
    static boolean isServing(WorkerRecord w) {
        return w.state().isActive() && w.intent() == WorkerIntent.ACTIVE && w.state() != WorkerState.DRAINING;
    }
}
