package dev.autoscaler.examples.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autoscaler.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The emulated backend runs in real time, so these tests check orderings, never durations: each
 * waits (bounded) for a completion and then looks at what else is done.
 */
@DisplayName("ProcessorSharingBackend")
class ProcessorSharingBackendTest {
    private ProcessorSharingBackend backend;

    @AfterEach
    void close() {
        backend.close();
    }

    @Test
    @DisplayName("requests in service share the throughput: a small one overtakes a big one")
    void sharing() throws Exception {
        backend = new ProcessorSharingBackend(10_000, 2, Clock.system());
        CompletableFuture<ProcessorSharingBackend.Completion> big = backend.submit(600_000); // a minute alone
        CompletableFuture<ProcessorSharingBackend.Completion> small = backend.submit(10);

        small.get(30, TimeUnit.SECONDS);

        assertThat(big).isNotDone();
        assertThat(backend.inFlight()).isEqualTo(1);
    }

    @Test
    @DisplayName("beyond max concurrency requests wait in FIFO order, and their queue time shows it")
    void fifoBeyondConcurrency() throws Exception {
        backend = new ProcessorSharingBackend(10_000, 1, Clock.system());
        // 2 s of work: long enough that it cannot finish between the two submits even on a loaded
        // machine (then the second would start at once and show no queue time)
        CompletableFuture<ProcessorSharingBackend.Completion> first = backend.submit(20_000);
        CompletableFuture<ProcessorSharingBackend.Completion> second = backend.submit(1);

        ProcessorSharingBackend.Completion b = second.get(30, TimeUnit.SECONDS);
        ProcessorSharingBackend.Completion a = first.get(30, TimeUnit.SECONDS);

        assertThat(b.startedNanos()).isGreaterThanOrEqualTo(a.completedNanos());
        assertThat(b.queueSeconds()).isPositive();
    }

    @Test
    @DisplayName("pending work counts what is left in service and everything waiting")
    void pendingWork() {
        backend = new ProcessorSharingBackend(1, 1, Clock.system()); // 1 unit/s: nothing finishes during the test
        backend.submit(1_000);
        backend.submit(500);

        assertThat(backend.pendingWork()).isBetween(1_400.0, 1_500.0);
        assertThat(backend.inFlight()).isEqualTo(2);
    }

    @Test
    @DisplayName("close fails the requests still in flight")
    void closeFailsInFlight() {
        backend = new ProcessorSharingBackend(1, 1, Clock.system());
        CompletableFuture<ProcessorSharingBackend.Completion> job = backend.submit(1_000);

        backend.close();

        assertThatThrownBy(() -> job.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
    }
}
