package dev.autoscaler;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A clock that moves only when told to. Wall time and monotonic time advance together, unless a test
 * steps the wall clock alone ({@link #stepWall}: an NTP correction, an operator setting the date). Thread
 * safe, so a test may read it from an HTTP handler thread while the test thread advances it.
 */
public final class ManualClock implements Clock {
    private final Instant origin;
    private volatile long elapsedNanos;
    private volatile Duration wallStep = Duration.ZERO;

    /** Starts at 2026-01-01T00:00:00Z, monotonic time zero. */
    public ManualClock() {
        this(Instant.parse("2026-01-01T00:00:00Z"));
    }

    /**
     * A clock stopped at {@code start}; its monotonic time starts at 0.
     *
     * @param start the wall time to begin at
     */
    public ManualClock(Instant start) {
        this.origin = Objects.requireNonNull(start, "start");
    }

    @Override
    public Instant now() {
        return origin.plusNanos(elapsedNanos).plus(wallStep);
    }

    @Override
    public long nanoTime() {
        return elapsedNanos;
    }

    /**
     * Steps the wall clock alone, forward or back, as an NTP correction or a person setting the date
     * does; monotonic time does not move, so nothing timed on it may notice.
     *
     * @param step how far, either way
     */
    public synchronized void stepWall(Duration step) {
        wallStep = wallStep.plus(step);
    }

    /**
     * Moves time forward.
     *
     * @param duration how far, not negative
     */
    public synchronized void advance(Duration duration) {
        advanceNanos(duration.toNanos());
    }

    /**
     * Moves time forward by a number of nanoseconds (not negative).
     *
     * @param nanos how far
     */
    public synchronized void advanceNanos(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("time cannot go backwards: " + nanos + " ns");
        }
        elapsedNanos += nanos;
    }

    /**
     * Moves time forward to an absolute monotonic instant; earlier instants are ignored.
     *
     * @param nanoTime the monotonic instant to move to
     */
    public synchronized void advanceTo(long nanoTime) {
        if (nanoTime > elapsedNanos) {
            elapsedNanos = nanoTime;
        }
    }
}
