package dev.autoscaler.vast.internal;

import dev.autoscaler.Clock;
import dev.autoscaler.Sleeper;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Keeps a minimum interval between calls that share a rate-limit bucket. Vast limits each API
 * path as a minimum spacing between calls and answers 429 (without Retry-After) when calls come
 * closer; spacing the calls ourselves avoids most 429s.
 *
 * <p>Each caller reserves the next free slot under a lock, then waits for it outside the lock, so
 * concurrent callers are served in order and nobody sleeps while holding the lock.
 */
public final class CallSpacer {
    private final Clock clock;
    private final Sleeper sleeper;
    private final Map<String, Long> nextFreeNanos = new HashMap<>();
    private final Map<String, Long> intervals;

    /** @param intervalsNanos the minimum interval per bucket; a bucket not listed is not spaced */
    public CallSpacer(Clock clock, Sleeper sleeper, Map<String, Long> intervalsNanos) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.intervals = Map.copyOf(intervalsNanos);
    }

    /** Waits until a call in {@code bucket} may go out, and books the slot. */
    public void awaitTurn(String bucket) throws InterruptedException {
        long interval = intervals.getOrDefault(bucket, 0L);
        if (interval <= 0) {
            return;
        }
        long slot;
        long now;
        synchronized (this) {
            now = clock.nanoTime();
            Long free = nextFreeNanos.get(bucket);
            slot = free == null ? now : Math.max(now, free);
            nextFreeNanos.put(bucket, slot + interval);
        }
        if (slot > now) {
            sleeper.sleep(slot - now);
        }
    }

}
