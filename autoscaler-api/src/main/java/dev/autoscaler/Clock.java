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

    /**
     * The system clock for engines that share state between machines (replicas on one database):
     * {@link #nanoTime()} is {@link System#nanoTime()} counted from the wall-clock time at this call, in
     * nanoseconds since the epoch. Within the process it is as monotonic as {@code System.nanoTime()}
     * (a wall-clock step after the start moves nothing); between processes, times compare to within
     * what their wall clocks agreed on at their starts (milliseconds with NTP), where plain
     * {@code System.nanoTime()} values of two machines do not compare at all. A worker's last report
     * written by one replica is then timed right by another.
     *
     * @return a new anchored clock
     */
    static Clock systemAnchored() {
        return new AnchoredClock();
    }
}
