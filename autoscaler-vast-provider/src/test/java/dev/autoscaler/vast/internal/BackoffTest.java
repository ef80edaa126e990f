package dev.autoscaler.vast.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private static final long BASE = 1_000;
    private static final long MAX = 30_000;

    @Test
    @DisplayName("the ceiling doubles per retry up to the maximum")
    void ceilings() {
        Backoff backoff = new Backoff(BASE, MAX, () -> 0);
        assertThat(new long[] {backoff.ceilingNanos(0), backoff.ceilingNanos(1), backoff.ceilingNanos(2),
                backoff.ceilingNanos(4), backoff.ceilingNanos(5), backoff.ceilingNanos(100)})
                .containsExactly(1_000, 2_000, 4_000, 16_000, 30_000, 30_000);
    }

    @Test
    @DisplayName("full jitter: every delay lies in [0, ceiling) and they spread over it")
    void fullJitter() {
        Random random = new Random(42);
        Backoff backoff = new Backoff(BASE, MAX, random::nextDouble);
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 2_000; i++) {
            long delay = backoff.delayNanos(3);
            assertThat(delay).isBetween(0L, 7_999L);
            min = Math.min(min, delay);
            max = Math.max(max, delay);
        }
        assertThat(min).isLessThan(800);
        assertThat(max).isGreaterThan(7_200);
    }

    @Test
    @DisplayName("a random source out of [0, 1) cannot make a delay beyond the ceiling")
    void badRandom() {
        assertThat(new Backoff(BASE, MAX, () -> 1.5).delayNanos(0)).isZero();
        assertThat(new Backoff(BASE, MAX, () -> Double.NaN).delayNanos(0)).isZero();
    }

    @Test
    @DisplayName("rejects a base above the maximum")
    void validates() {
        assertThatThrownBy(() -> new Backoff(10, 5, () -> 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
