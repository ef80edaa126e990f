package dev.autoscaler;

import java.time.Instant;

/**
 * The one source of time for the whole library: wall time for events and reports, monotonic
 * nanoseconds for timeouts and rates. Nothing in the engine reads the system clock directly, so
 * that tests and the simulator can drive time with a {@link ManualClock}.
 */
public interface Clock {

    /** {@return wall-clock time, for timestamps that leave the process} */
    Instant now();

    /** {@return monotonic time in nanoseconds; only differences are meaningful} */
    long nanoTime();

    /** {@return the system clock: {@link Instant#now()} and {@link System#nanoTime()}} */
    static Clock system() {
        return SystemClock.INSTANCE;
    }
}
