package dev.autoscaler.core.engine.internal;

import dev.autoscaler.spi.StateStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

/**
 * The backoff of each failed destroy: after its n-th failure a worker's destroy waits a random time in
 * [half, all] of min(5 min, 2 s x 2^(n-1)) before it is tried again. Bounded, so that an instance the
 * provider would not destroy for a while is still tried every few minutes; never dropped: a destroy is
 * retried until the provider confirms the instance gone (or no longer lists it).
 */
final class DestroyRetries {
    private static final long BASE_NANOS = 2_000_000_000L;
    private static final long CAP_NANOS = 300_000_000_000L;

    private record Failing(int failures, long notBeforeNanos) {
    }

    private final Map<String, Failing> failing = new ConcurrentHashMap<>();

    void failed(String workerId, long nowNanos, RandomGenerator random) {
        failing.compute(workerId, (id, was) -> {
            int n = was == null ? 1 : Math.min(was.failures + 1, 30);
            long ceiling = Math.min(CAP_NANOS, BASE_NANOS << Math.min(n - 1, 20));
            return new Failing(n, nowNanos + ceiling / 2 + (long) (random.nextDouble() * (ceiling / 2)));
        });
    }

    boolean due(String workerId, long nowNanos) {
        Failing f = failing.get(workerId);
        return f == null || nowNanos >= f.notBeforeNanos;
    }

    int failures(String workerId) {
        Failing f = failing.get(workerId);
        return f == null ? 0 : f.failures;
    }

    void forget(String workerId) {
        failing.remove(workerId);
    }

    /** Forgets workers that are gone (their instance was confirmed gone by a list, or they were dropped). */
    void retainOnly(StateStore store) {
        failing.keySet().removeIf(id -> store.worker(id).isEmpty());
    }

    int size() {
        return failing.size();
    }
}
