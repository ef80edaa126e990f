package dev.autoscaler.core.router.internal;

import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The human-readable {@code status} of a "not ready" answer: the endpoint's workers by state, and why none was chosen. */
public final class WorkerBreakdown {
    private WorkerBreakdown() {
    }

    public static String describe(List<WorkerRecord> workers, int full, double maxQueueTime) {
        if (workers.isEmpty()) {
            return "no workers yet: scaling up";
        }
        Map<WorkerState, Integer> counts = new EnumMap<>(WorkerState.class);
        for (WorkerRecord w : workers) {
            counts.merge(w.state(), 1, Integer::sum);
        }
        StringBuilder sb = new StringBuilder("workers: ");
        boolean first = true;
        for (Map.Entry<WorkerState, Integer> e : counts.entrySet()) {
            if (!first) {
                sb.append(", ");
            }
            first = false;
            sb.append(e.getValue()).append(' ').append(e.getKey().wireName());
        }
        int ready = counts.getOrDefault(WorkerState.READY, 0);
        if (ready == 0) {
            sb.append("; none ready yet");
        } else if (full > 0) {
            sb.append("; ").append(full == ready ? "all " : "").append(full).append(" ready ")
                    .append(full == 1 ? "is" : "are").append(" full (expected queue time over max_queue_time ")
                    .append(maxQueueTime).append(" s)");
        }
        return sb.toString();
    }
}
