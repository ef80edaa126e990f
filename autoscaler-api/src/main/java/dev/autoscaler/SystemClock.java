package dev.autoscaler;

import java.time.Instant;

/** The real clock; the only place in the library that reads system time. */
enum SystemClock implements Clock {
    INSTANCE;

    @Override
    public Instant now() {
        return Instant.now();
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }
}
