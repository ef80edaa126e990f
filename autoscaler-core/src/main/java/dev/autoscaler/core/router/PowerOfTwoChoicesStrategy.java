package dev.autoscaler.core.router;

import dev.autoscaler.WorkerRecord;
import dev.autoscaler.spi.RoutingStrategy;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Power of two choices (Mitzenmacher): two distinct workers at random, the one with the shorter
 * expected wait wins. Constant work per request whatever the group size, and it avoids the herd
 * that "least wait" causes when several routers (or one stale view) pick the same worker at once.
 */
public final class PowerOfTwoChoicesStrategy implements RoutingStrategy {
    /** The strategy's name in configs. */
    public static final String NAME = "power-of-two";

    @Override
    public WorkerRecord choose(List<WorkerRecord> eligible, double cost, RandomGenerator random) {
        int n = eligible.size();
        if (n == 1) {
            return eligible.get(0);
        }
        int first = random.nextInt(n);
        int second = random.nextInt(n - 1);
        if (second >= first) {
            second++; // distinct from the first
        }
        WorkerRecord a = eligible.get(first);
        WorkerRecord b = eligible.get(second);
        return LeastExpectedWaitStrategy.BY_EXPECTED_WAIT.compare(a, b) <= 0 ? a : b;
    }
}
