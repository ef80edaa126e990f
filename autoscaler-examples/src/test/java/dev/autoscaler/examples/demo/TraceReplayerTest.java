package dev.autoscaler.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoscaler.ManualClock;
import dev.autoscaler.ManualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("TraceReplayer")
class TraceReplayerTest {
    private final ManualClock clock = new ManualClock();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final List<Long> sentAt = new ArrayList<>();
    private final List<CompletableFuture<RequestOutcome>> calls = new ArrayList<>();
    private final List<RequestOutcome> outcomes = new ArrayList<>();

    private static List<TraceRequest> trace(long... offsetsSeconds) {
        List<TraceRequest> t = new ArrayList<>();
        for (long s : offsetsSeconds) {
            t.add(new TraceRequest(Duration.ofSeconds(s).toNanos(), 100, 10));
        }
        return t;
    }

    private TraceReplayer replayer(List<TraceRequest> trace, double scale, Duration limit) {
        long start = clock.nanoTime();
        return new TraceReplayer(trace, scale, limit, r -> {
            CompletableFuture<RequestOutcome> f = new CompletableFuture<>();
            calls.add(f);
            return f;
        }, scheduler, clock, r -> sentAt.add(clock.nanoTime() - start), outcomes::add);
    }

    @Test
    @DisplayName("sends each request at its arrival time divided by the time scale")
    void compressesTime() {
        replayer(trace(0, 30, 60), 30, null).start();

        scheduler.advance(Duration.ofSeconds(3));

        assertThat(sentAt).containsExactly(0L, Duration.ofSeconds(1).toNanos(), Duration.ofSeconds(2).toNanos());
    }

    @Test
    @DisplayName("sends nothing past the duration limit")
    void honoursLimit() {
        replayer(trace(0, 10, 20, 30), 10, Duration.ofMillis(1500)).start();

        scheduler.advance(Duration.ofSeconds(10));

        assertThat(sentAt).hasSize(2);
    }

    @Test
    @DisplayName("completes once every sent request has its outcome")
    void completesAfterOutcomes() {
        CompletableFuture<Void> done = replayer(trace(0, 1), 1, null).start();
        scheduler.advance(Duration.ofSeconds(2));
        assertThat(done).isNotDone();

        calls.forEach(c -> c.complete(new RequestOutcome(null, RequestOutcome.Kind.SERVED, 0.1, 0.2, "u")));

        assertThat(done).isDone();
        assertThat(outcomes).hasSize(2);
    }

    @Test
    @DisplayName("a caller that fails counts as a FAILED outcome, not a lost request")
    void failureIsAnOutcome() {
        CompletableFuture<Void> done = replayer(trace(0), 1, null).start();
        scheduler.advance(Duration.ofSeconds(1));

        calls.get(0).completeExceptionally(new RuntimeException("boom"));

        assertThat(done).isDone();
        assertThat(outcomes).extracting(RequestOutcome::kind).containsExactly(RequestOutcome.Kind.FAILED);
    }
}
