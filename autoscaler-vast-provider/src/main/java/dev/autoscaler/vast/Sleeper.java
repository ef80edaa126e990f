package dev.autoscaler.vast;

import dev.autoscaler.ManualClock;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Waits. The Vast client waits between calls (rate limits) and before retries (backoff); tests
 * inject a sleeper that moves a {@link ManualClock} instead of blocking, so no test really sleeps.
 */
@FunctionalInterface
public interface Sleeper {

    /** Waits {@code nanos} nanoseconds (nothing when not positive). */
    void sleep(long nanos) throws InterruptedException;

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
