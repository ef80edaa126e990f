package dev.autoscaler.vast.internal;

import dev.autoscaler.Clock;
import dev.autoscaler.Sleeper;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Keeps a minimum interval between calls that share a rate-limit bucket. Vast limits each API
 * path as a minimum spacing between calls and answers 429 when calls come closer; spacing the calls
 * ourselves avoids most 429s.
 *
 * <p>The spacing adapts. A 429 ({@link #rateLimited}) closes the bucket until the time the server
 * asked for ({@code Retry-After}, or the {@code threshold} its body names) plus a jitter, raises the
 * bucket's floor to that threshold (the server said so: going below it only earns more 429s), and
 * sets the bucket's spacing to twice the larger of its spacing and its floor (up to {@link #MAX_INTERVAL_NANOS}). Each success
 * ({@link #succeeded}) lets the spacing decay by a quarter toward its floor. So a server stricter
 * than the configured spacing is obeyed at once, and a one-off 429 costs only a few slower calls.
 *
 * <p>Each caller reserves the next free slot under a lock, then waits for it outside the lock, so
 * concurrent callers are served in order and nobody sleeps while holding the lock.
 */
public final class CallSpacer {
    /** No bucket is ever spaced more than this, whatever the 429s. */
    public static final long MAX_INTERVAL_NANOS = 60_000_000_000L;

    private final Clock clock;
    private final Sleeper sleeper;
    private final Map<String, Long> nextFreeNanos = new HashMap<>();
    private final Map<String, Long> floors = new HashMap<>();
    private final Map<String, Long> current = new HashMap<>();

    /** @param intervalsNanos the minimum interval per bucket; a bucket not listed is not spaced */
    public CallSpacer(Clock clock, Sleeper sleeper, Map<String, Long> intervalsNanos) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.floors.putAll(intervalsNanos);
        this.current.putAll(intervalsNanos);
    }

    /** Waits until a call in {@code bucket} may go out, and books the slot. */
    public void awaitTurn(String bucket) throws InterruptedException {
        long slot;
        long now;
        synchronized (this) {
            long interval = current.getOrDefault(bucket, 0L);
            now = clock.nanoTime();
            Long free = nextFreeNanos.get(bucket);
            if (interval <= 0 && free == null) {
                return;
            }
            slot = free == null ? now : Math.max(now, free);
            nextFreeNanos.put(bucket, slot + Math.max(0, interval));
        }
        if (slot > now) {
            sleeper.sleep(slot - now);
        }
    }

    /**
     * A call in {@code bucket} was refused with 429: no call goes out before {@code askedNanos} from
     * now (or the slot already booked, when later) plus {@code jitterNanos}, the bucket's floor rises to {@code thresholdNanos}, and its
     * spacing doubles.
     *
     * @param askedNanos     how long the server asked to wait (Retry-After, else its threshold; 0 if neither)
     * @param thresholdNanos the minimum spacing the server named (0 when it named none)
     * @param jitterNanos    a random extra wait, so that callers refused together do not come back together
     */
    public synchronized void rateLimited(String bucket, long askedNanos, long thresholdNanos, long jitterNanos) {
        long floor = Math.min(MAX_INTERVAL_NANOS, Math.max(floors.getOrDefault(bucket, 0L), Math.max(0, thresholdNanos)));
        floors.put(bucket, floor);
        long was = current.getOrDefault(bucket, 0L);
        long grown = Math.min(MAX_INTERVAL_NANOS, 2 * Math.max(floor, Math.max(was, 500_000_000L)));
        current.put(bucket, grown);
        long now = clock.nanoTime();
        long asked = Math.min(MAX_INTERVAL_NANOS, Math.max(Math.max(0, askedNanos), Math.max(thresholdNanos, 0)));
        // the jitter comes on top of whichever is later, what the server asked or the slot already
        // booked, so that it is never absorbed into a wait that was due anyway
        long earliest = Math.max(now + asked, nextFreeNanos.getOrDefault(bucket, now));
        nextFreeNanos.put(bucket, earliest + Math.min(Math.max(0, jitterNanos), MAX_INTERVAL_NANOS));
    }

    /** A call in {@code bucket} succeeded: its spacing decays by a quarter toward its floor. */
    public synchronized void succeeded(String bucket) {
        Long was = current.get(bucket);
        if (was == null) {
            return;
        }
        long floor = floors.getOrDefault(bucket, 0L);
        if (was > floor) {
            current.put(bucket, Math.max(floor, was - Math.max(1, was / 4)));
        }
    }

    /** The spacing a bucket has now, in nanoseconds (0 when not spaced). */
    public synchronized long intervalNanos(String bucket) {
        return current.getOrDefault(bucket, 0L);
    }

    /** The least spacing a bucket decays to: the configured one, or the server's threshold when higher. */
    public synchronized long floorNanos(String bucket) {
        return floors.getOrDefault(bucket, 0L);
    }
}
