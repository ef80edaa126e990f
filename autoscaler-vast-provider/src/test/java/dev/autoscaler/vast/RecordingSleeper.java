package dev.autoscaler.vast;

import dev.autoscaler.ManualClock;
import dev.autoscaler.Sleeper;
import java.util.ArrayList;
import java.util.List;

/** A sleeper that records every wait and moves a manual clock by it, so tests see the waits without waiting. */
final class RecordingSleeper implements Sleeper {
    private final ManualClock clock;
    private final List<Long> sleeps = new ArrayList<>();

    RecordingSleeper(ManualClock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void sleep(long nanos) {
        if (nanos > 0) {
            sleeps.add(nanos);
            clock.advanceNanos(nanos);
        }
    }

    synchronized List<Long> sleeps() {
        return List.copyOf(sleeps);
    }

    synchronized long total() {
        return sleeps.stream().mapToLong(Long::longValue).sum();
    }
}
