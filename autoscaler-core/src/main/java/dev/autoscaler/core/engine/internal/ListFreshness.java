package dev.autoscaler.core.engine.internal;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

/**
 * What the engine knows of its providers' lists, and so what it may do.
 *
 * <p>Before every provider in use has answered one list since start, the engine knows nothing of
 * the instances it already has (a restart, a lost create answer): it runs no control tick and
 * serves no wake-up, because a tick would see no worker and rent a second fleet. After that, a
 * group creates only while its provider's last successful list is younger than a bound: an engine
 * that cannot list does not know what it would add to. A failed list is retried with exponential
 * backoff (full jitter, 1 s doubling up to 60 s), on the control tick's cadence.
 */
public final class ListFreshness {
    private static final long BASE_NANOS = 1_000_000_000L;
    private static final long CAP_NANOS = 60_000_000_000L;

    private final long maxAgeNanos;
    private final Map<String, Long> lastSuccess = new ConcurrentHashMap<>();
    private volatile boolean adopted;
    private int failures;
    private long retryNotBefore = Long.MIN_VALUE;
    private volatile String lastError = "";

    /** @param maxAgeNanos creates stop while the last successful list of their provider is older than this */
    public ListFreshness(long maxAgeNanos) {
        this.maxAgeNanos = maxAgeNanos;
    }

    /** One sync ended: which providers listed successfully, and the first error of those that failed. */
    public synchronized void recordSync(Set<String> providers, Set<String> succeeded, long listedAtNanos,
                                        long nowNanos, String error, RandomGenerator random) {
        for (String provider : succeeded) {
            lastSuccess.put(provider, listedAtNanos);
        }
        if (succeeded.containsAll(providers)) {
            failures = 0;
            retryNotBefore = Long.MIN_VALUE;
            lastError = "";
            adopted = adopted || lastSuccess.keySet().containsAll(providers);
            return;
        }
        failures = Math.min(failures + 1, 30);
        long ceiling = Math.min(CAP_NANOS, BASE_NANOS << Math.min(failures - 1, 20));
        // full jitter, but at least half the ceiling: a failing provider is not hammered every tick
        retryNotBefore = nowNanos + ceiling / 2 + (long) (random.nextDouble() * (ceiling / 2));
        lastError = error == null ? "" : error;
        if (!adopted && lastSuccess.keySet().containsAll(providers)) {
            adopted = true; // each listed once, in different syncs: the engine knows them all
        }
    }

    /** True once every provider in use has answered a list since start: ticks and wake-ups may run. */
    public boolean adopted() {
        return adopted;
    }

    /** True when a sync should run now: none succeeded yet, or the last one failed, and the backoff allows. */
    public synchronized boolean retryDue(long nowNanos, Set<String> providers) {
        boolean needed = !adopted || failures > 0 || providers.stream().anyMatch(p -> stale(p, nowNanos));
        return needed && nowNanos >= retryNotBefore;
    }

    /** True while {@code provider}'s last successful list is younger than the bound: creates may run. */
    public boolean fresh(String provider, long nowNanos) {
        return adopted && !stale(provider, nowNanos);
    }

    private boolean stale(String provider, long nowNanos) {
        Long last = lastSuccess.get(provider);
        return last == null || nowNanos - last > maxAgeNanos;
    }

    /** Why the engine holds back, for operators (empty when it does not). */
    public Optional<String> waitingReason(long nowNanos, Set<String> providers) {
        if (!adopted) {
            return Optional.of("waiting for the first successful list of the provider's instances"
                    + (lastError.isEmpty() ? "" : " (last attempt: " + lastError + ")") + "; no tick or create until then");
        }
        for (String p : providers) {
            if (stale(p, nowNanos)) {
                return Optional.of("the last successful list of provider " + p + " is older than "
                        + maxAgeNanos / 1_000_000_000L + " s" + (lastError.isEmpty() ? "" : " (" + lastError + ")")
                        + "; no create until a list succeeds");
            }
        }
        return Optional.empty();
    }
}
