package dev.autoscaler;

import java.time.Instant;

/**
 * The system clock whose monotonic nanoseconds count from the wall-clock time of its creation, so
 * that processes on different machines write times that compare (see {@link Clock#systemAnchored()}).
 */
final class AnchoredClock implements Clock {
    private final long epochNanosAtStart;
    private final long nanoAtStart;

    AnchoredClock() {
        Instant wall = Instant.now();
        this.nanoAtStart = System.nanoTime();
        this.epochNanosAtStart = wall.getEpochSecond() * 1_000_000_000L + wall.getNano();
    }

    @Override
    public Instant now() {
        return Instant.now();
    }

    @Override
    public long nanoTime() {
        return epochNanosAtStart + (System.nanoTime() - nanoAtStart);
    }
}
