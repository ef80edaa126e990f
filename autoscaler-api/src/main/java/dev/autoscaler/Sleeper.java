package dev.autoscaler;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Waits. Clients wait between calls (rate limits), before retries (backoff) and between polls; tests
 * inject a sleeper that moves a {@link ManualClock} instead of blocking, so no test really sleeps.
 */
@FunctionalInterface
public interface Sleeper {

    /** Waits {@code nanos} nanoseconds (nothing when not positive). */
    void sleep(long nanos) throws InterruptedException;

    /** Waits {@code duration} (nothing when not positive). */
    default void sleep(Duration duration) throws InterruptedException {
        sleep(duration.toNanos());
    }

    /** Blocks the calling thread. */
    static Sleeper system() {
        return nanos -> {
            if (nanos > 0) {
                TimeUnit.NANOSECONDS.sleep(nanos);
            }
        };
    }

    /** Returns at once, having moved {@code clock} forward by the time it was asked to wait. */
    static Sleeper advancing(ManualClock clock) {
        Objects.requireNonNull(clock, "clock");
        return nanos -> {
            if (nanos > 0) {
                clock.advanceNanos(nanos);
            }
        };
    }
}
