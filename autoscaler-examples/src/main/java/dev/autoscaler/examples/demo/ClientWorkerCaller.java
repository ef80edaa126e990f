package dev.autoscaler.examples.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autoscaler.Clock;
import dev.autoscaler.core.client.AutoscalerClient;
import dev.autoscaler.core.client.AutoscalerClientException;
import dev.autoscaler.core.client.WorkerResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * Sends trace requests with the project's Java client ({@link AutoscalerClient#call}: route with
 * re-polls under one {@code request_idx}, then POST the worker), one blocking call per pool thread.
 *
 * <p>Queue time, as the client sees it: arrival to start of service = the whole call's time minus
 * the service time the worker reports ({@code service_seconds}), so it includes routing, re-polls,
 * re-routes after a 429 and the wait in the worker's queue.
 */
public final class ClientWorkerCaller implements WorkerCaller {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AutoscalerClient client;
    private final String endpoint;
    private final String workerRoute;
    private final ExecutorService pool;
    private final Clock clock;

    public ClientWorkerCaller(AutoscalerClient client, String endpoint, String workerRoute, ExecutorService pool,
                              Clock clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.workerRoute = Objects.requireNonNull(workerRoute, "workerRoute");
        this.pool = Objects.requireNonNull(pool, "pool");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public CompletableFuture<RequestOutcome> call(TraceRequest request) {
        long arrival = clock.nanoTime();
        try {
            return CompletableFuture.supplyAsync(() -> send(request, arrival), pool);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(new RequestOutcome(request, RequestOutcome.Kind.FAILED,
                    Double.NaN, 0, ""));
        }
    }

    private RequestOutcome send(TraceRequest request, long arrival) {
        Map<String, Object> payload = Map.of("prompt_tokens", request.contextTokens(),
                "max_tokens", request.generatedTokens());
        try {
            WorkerResponse response = client.call(endpoint, workerRoute, request.cost(), payload);
            double total = (clock.nanoTime() - arrival) / 1e9;
            String url = response.ticket().url();
            if (response.status() / 100 != 2) {
                return new RequestOutcome(request, RequestOutcome.Kind.REJECTED, Double.NaN, total, url);
            }
            double service = serviceSeconds(response.body());
            return new RequestOutcome(request, RequestOutcome.Kind.SERVED, Math.max(0, total - service), total, url);
        } catch (AutoscalerClientException e) {
            double total = (clock.nanoTime() - arrival) / 1e9;
            boolean noWorker = e.getMessage() != null && e.getMessage().contains("became ready");
            return new RequestOutcome(request, noWorker ? RequestOutcome.Kind.DROPPED : RequestOutcome.Kind.FAILED,
                    Double.NaN, total, "");
        }
    }

    private static double serviceSeconds(byte[] body) {
        try {
            JsonNode answer = JSON.readTree(body);
            return answer.path("service_seconds").asDouble(0);
        } catch (IOException e) {
            return 0;
        }
    }
}
