package dev.autoscaler.examples.worker;

import dev.autoscaler.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The start benchmark of Vast's worker library (docs/PROTOCOL.md#what-a-compatible-worker-does): rounds of
 * concurrent requests straight to the backend; {@code max_perf} is the best round's served work
 * divided by its wall time.
 */
final class Benchmark {
    private final ProcessorSharingBackend backend;
    private final Clock clock;

    Benchmark(ProcessorSharingBackend backend, Clock clock) {
        this.backend = backend;
        this.clock = clock;
    }

    double run(int rounds, int parallel, double cost) throws InterruptedException {
        double best = 0;
        for (int round = 0; round < rounds; round++) {
            long start = clock.nanoTime();
            List<CompletableFuture<ProcessorSharingBackend.Completion>> jobs = new ArrayList<>();
            for (int i = 0; i < parallel; i++) {
                jobs.add(backend.submit(cost));
            }
            double served = 0;
            for (var job : jobs) {
                try {
                    served += job.get().work();
                } catch (ExecutionException e) {
                    // a failed request counts nothing, as in the real benchmark
                }
            }
            double seconds = (clock.nanoTime() - start) / 1e9;
            if (seconds > 0) {
                best = Math.max(best, served / seconds);
            }
        }
        return best;
    }
}
