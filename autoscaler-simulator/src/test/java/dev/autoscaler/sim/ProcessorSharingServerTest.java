package dev.autoscaler.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ProcessorSharingServerTest {
    private static final long S = 1_000_000_000L;

    private final List<ProcessorSharingServer.Job<String>> completed = new ArrayList<>();
    private final List<ProcessorSharingServer.Job<String>> started = new ArrayList<>();

    /** Runs the server to its next completion; returns the time. */
    private long next(ProcessorSharingServer<String> server) {
        long at = server.nextCompletionNanos();
        server.advanceTo(at, completed, started);
        return at;
    }

    @Test
    @DisplayName("a job alone gets the whole capacity: 1,000 units at 1,000/s take 1 s")
    void alone() {
        var server = new ProcessorSharingServer<String>(1000, 16);
        server.add("a", 1000, 0);

        assertThat(next(server)).isEqualTo(S);
        assertThat(completed).extracting(j -> j.payload).containsExactly("a");
    }

    @Test
    @DisplayName("two jobs share equally: 1,000 and 2,000 units at 1,000/s finish at 2 s and 3 s")
    void sharing() {
        var server = new ProcessorSharingServer<String>(1000, 16);
        server.add("small", 1000, 0);
        server.add("large", 2000, 0);

        assertThat(next(server)).isEqualTo(2 * S);
        assertThat(next(server)).isEqualTo(3 * S);
        assertThat(completed).extracting(j -> j.payload).containsExactly("small", "large");
    }

    @Test
    @DisplayName("a job joining halfway slows the first: 1,000 at 0 s and 1,000 at 0.5 s finish at 1.5 s and 2 s")
    void joining() {
        var server = new ProcessorSharingServer<String>(1000, 16);
        server.add("first", 1000, 0);
        server.add("second", 1000, S / 2);

        assertThat(next(server)).isEqualTo(3 * S / 2);
        assertThat(next(server)).isEqualTo(2 * S);
    }

    @Test
    @DisplayName("beyond max in service jobs wait in FIFO order and start when one leaves")
    void waitsBeyondMaxInService() {
        var server = new ProcessorSharingServer<String>(1000, 2);
        var a = server.add("a", 1000, 0);
        var b = server.add("b", 1000, 0);
        var c = server.add("c", 500, 0);

        assertThat(a.startNanos).isZero();
        assertThat(b.startNanos).isZero();
        assertThat(c.startNanos).isEqualTo(-1);
        assertThat(server.size()).isEqualTo(3);
        assertThat(server.load()).isEqualTo(2500);

        assertThat(next(server)).isEqualTo(2 * S); // a and b at 500/s each
        assertThat(completed).extracting(j -> j.payload).containsExactly("a", "b");
        assertThat(started).extracting(j -> j.payload).containsExactly("c");
        assertThat(c.startNanos).isEqualTo(2 * S);
        assertThat(next(server)).isEqualTo(2 * S + S / 2); // c alone, 500 units at 1,000/s
        assertThat(server.size()).isZero();
        assertThat(server.load()).isZero();
    }

    @Test
    @DisplayName("sixteen equal jobs finish together after sixteen times the solo time")
    void sixteen() {
        var server = new ProcessorSharingServer<String>(2000, 16);
        for (int i = 0; i < 16; i++) {
            server.add("j" + i, 1000, 0);
        }

        assertThat(next(server)).isEqualTo(8 * S);
        assertThat(completed).hasSize(16);
    }

    @Test
    @DisplayName("drain hands back every job, in service first, and empties the server")
    void drain() {
        var server = new ProcessorSharingServer<String>(1000, 1);
        server.add("serving", 1000, 0);
        server.add("waiting", 1000, 0);

        assertThat(server.drain()).extracting(j -> j.payload).containsExactly("serving", "waiting");
        assertThat(server.nextCompletionNanos()).isEqualTo(Long.MAX_VALUE);
        assertThat(server.load()).isZero();
    }
}
