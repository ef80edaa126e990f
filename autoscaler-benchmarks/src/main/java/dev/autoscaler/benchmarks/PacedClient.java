package dev.autoscaler.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The normal client of {@code scripts/bench-http.sh}'s slow-client part, as in the issue: calls
 * {@code POST /route/} at a steady rate (not as fast as it can, which would measure its own queue)
 * with a 3 s timeout, and prints how many calls succeeded (2xx) and their latency percentiles. The first
 * second of calls warms the client up (class loading, JIT, connections) and is not counted.
 *
 * <p>Arguments: {@code url calls-per-second seconds}.
 */
public final class PacedClient {
    private static final String BODY =
            "{\"endpoint\": \"bench\", \"api_key\": \"bench-key\", \"cost\": 100, \"request_idx\": 0, \"replay_timeout\": 60.0}";

    private PacedClient() {
    }

    public static void main(String[] args) throws Exception {
        URI url = URI.create(args[0]);
        int rate = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(3)).build();
        List<Long> micros = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger failed = new AtomicInteger();
        List<CompletableFuture<?>> calls = new ArrayList<>();
        long start = System.nanoTime();
        int warmUp = rate;
        int total = rate * seconds;
        for (int i = -warmUp; i < total; i++) {
            boolean counted = i >= 0;
            long due = start + (long) ((i + warmUp) * 1e9 / rate);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            long sent = System.nanoTime();
            HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(3))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(BODY)).build();
            calls.add(client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).handle((response, error) -> {
                if (!counted) {
                    return null;
                }
                if (error == null && response.statusCode() / 100 == 2) {
                    micros.add((System.nanoTime() - sent) / 1000);
                } else {
                    failed.incrementAndGet();
                }
                return null;
            }));
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
        List<Long> sorted = new ArrayList<>(micros);
        Collections.sort(sorted);
        System.out.printf("%d %d %.1f %.1f %.1f%n", total, failed.get(), percentile(sorted, 0.50), percentile(sorted, 0.99),
                sorted.isEmpty() ? 0.0 : sorted.get(sorted.size() - 1) / 1000.0);
    }

    private static double percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1)) / 1000.0;
    }
}
