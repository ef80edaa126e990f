package dev.autoscaler.core.router;

import dev.autoscaler.WorkerRecord;
import dev.autoscaler.spi.RoutingStrategy;
import java.util.Comparator;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The default strategy: the worker whose queued work ((in flight + reserved) / perf) clears first;
 * among equals the faster worker, then the lower worker id, so that the choice is deterministic.
 * Scans every eligible worker: right for the tens of workers an endpoint usually has.
 */
public final class LeastExpectedWaitStrategy implements RoutingStrategy {
    /** The strategy's name in configs. */
    public static final String NAME = "least-wait";

    static final Comparator<WorkerRecord> BY_EXPECTED_WAIT = Comparator
            .comparingDouble(WorkerRecord::expectedQueueSeconds)
            .thenComparing(Comparator.comparingDouble(WorkerRecord::perf).reversed())
            .thenComparing(WorkerRecord::workerId);

    @Override
    public WorkerRecord choose(List<WorkerRecord> eligible, double cost, RandomGenerator random) {
        WorkerRecord best = eligible.get(0);
        for (int i = 1; i < eligible.size(); i++) {
            WorkerRecord w = eligible.get(i);
            if (BY_EXPECTED_WAIT.compare(w, best) < 0) {
                best = w;
            }
        }
        return best;
    }
}
