package dev.autoscaler.vast.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoscaler.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CallSpacerTest {
    private final ManualClock clock = new ManualClock();
    private final List<Long> sleeps = new ArrayList<>();
    private final CallSpacer spacer = new CallSpacer(clock, nanos -> {
        sleeps.add(nanos);
        clock.advanceNanos(nanos);
    }, Map.of("a", 1_000L, "b", 4_500L));

    @Test
    @DisplayName("the first call goes at once; the next waits out the interval")
    void spacing() throws Exception {
        spacer.awaitTurn("a");
        spacer.awaitTurn("a");
        spacer.awaitTurn("a");

        assertThat(sleeps).containsExactly(1_000L, 1_000L);
    }

    @Test
    @DisplayName("buckets are independent")
    void buckets() throws Exception {
        spacer.awaitTurn("a");
        spacer.awaitTurn("b");
        spacer.awaitTurn("b");

        assertThat(sleeps).containsExactly(4_500L);
    }

    @Test
    @DisplayName("time already passed counts toward the interval")
    void elapsed() throws Exception {
        spacer.awaitTurn("b");
        clock.advanceNanos(4_000);
        spacer.awaitTurn("b");

        assertThat(sleeps).containsExactly(500L);
    }

    @Test
    @DisplayName("a bucket without an interval never waits")
    void unspaced() throws Exception {
        spacer.awaitTurn("c");
        spacer.awaitTurn("c");

        assertThat(sleeps).isEmpty();
    }

    @Test
    @DisplayName("concurrent callers get successive slots, none closer than the interval")
    void concurrent() throws Exception {
        ManualClock frozen = new ManualClock();
        List<Long> waits = java.util.Collections.synchronizedList(new ArrayList<>());
        CallSpacer shared = new CallSpacer(frozen, waits::add, Map.of("a", Duration.ofSeconds(1).toNanos()));
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Thread t = new Thread(() -> {
                try {
                    shared.awaitTurn("a");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }

        List<Long> sorted = new ArrayList<>(waits);
        sorted.sort(null);
        assertThat(sorted).containsExactly(1_000_000_000L, 2_000_000_000L, 3_000_000_000L, 4_000_000_000L,
                5_000_000_000L, 6_000_000_000L, 7_000_000_000L);
    }
}
