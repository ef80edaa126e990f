package dev.autoscaler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The anchored system clock: monotonic nanoseconds that compare between machines")
class AnchoredClockTest {

    private static long epochNanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    @Test
    @DisplayName("its nanoTime is the wall clock's epoch nanoseconds at the start, then advances with System.nanoTime")
    void anchoredToTheWallClock() {
        long before = epochNanos(Instant.now());
        Clock clock = Clock.systemAnchored();
        long after = epochNanos(Instant.now());
        long first = clock.nanoTime();
        // within the wall-clock reading around its creation, plus what ran since (not a timing check:
        // the bound is an hour, the point is that it is an epoch time and not an arbitrary origin)
        assertThat(first).isBetween(before, after + 3_600_000_000_000L);
        long second = clock.nanoTime();
        assertThat(second).isGreaterThanOrEqualTo(first);
        // two clocks made one after the other agree with each other as their wall readings do
        Clock other = Clock.systemAnchored();
        assertThat(Math.abs(other.nanoTime() - clock.nanoTime())).isLessThan(3_600_000_000_000L);
    }
}
