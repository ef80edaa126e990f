package dev.autoscaler.examples.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.autoscaler.Clock;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The two-step flow over plain HTTP, as Vast's client SDK does it: {@code POST /route/} (re-polled
 * with the answer's {@code request_idx} while no worker is free, so the engine counts the cost
 * once), then {@code POST {url}/generate?api_key=...} with the route answer as {@code auth_data}.
 * A worker's 429 sends the request back to the router. A request that has waited longer than the
 * drop limit is given up ({@link RequestOutcome.Kind#DROPPED}).
 *
 * <p>Queue time is measured as the SDK user sees it: from arrival to the start of service, i.e.
 * the time spent routing and re-polling plus the time queued in the worker (which the worker
 * reports as {@code queue_seconds}).
 */
public final class HttpTwoStepCaller implements WorkerCaller {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final String engineUrl;
    private final String endpoint;
    private final String apiKey;
    private final String workerRoute;
    private final Duration repollInterval;
    private final Duration dropAfter;
    private final ScheduledExecutorService timer;
    private final Clock clock;

    public HttpTwoStepCaller(HttpClient http, String engineUrl, String endpoint, String apiKey, String workerRoute,
                             Duration repollInterval, Duration dropAfter, ScheduledExecutorService timer, Clock clock) {
        this.http = Objects.requireNonNull(http, "http");
        this.engineUrl = engineUrl.endsWith("/") ? engineUrl.substring(0, engineUrl.length() - 1) : engineUrl;
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
        this.workerRoute = Objects.requireNonNull(workerRoute, "workerRoute");
        this.repollInterval = Objects.requireNonNull(repollInterval, "repollInterval");
        this.dropAfter = Objects.requireNonNull(dropAfter, "dropAfter");
        this.timer = Objects.requireNonNull(timer, "timer");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public CompletableFuture<RequestOutcome> call(TraceRequest request) {
        CompletableFuture<RequestOutcome> result = new CompletableFuture<>();
        route(new Attempt(request, clock.nanoTime(), result), 0);
        return result;
    }

    private record Attempt(TraceRequest request, long arrivalNanos, CompletableFuture<RequestOutcome> result) {
        double elapsedSeconds(Clock clock) {
            return (clock.nanoTime() - arrivalNanos) / 1e9;
        }
    }

    private void route(Attempt a, long requestIdx) {
        ObjectNode body = JSON.createObjectNode();
        body.put("endpoint", endpoint);
        body.put("api_key", apiKey);
        body.put("cost", a.request().cost());
        body.put("request_idx", requestIdx);
        body.put("replay_timeout", dropAfter.toSeconds());
        HttpRequest req = HttpRequest.newBuilder(URI.create(engineUrl + "/route/"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        http.sendAsync(req, HttpResponse.BodyHandlers.ofString()).whenComplete((resp, failure) -> {
            try {
                if (failure != null || resp.statusCode() != 200) {
                    retryOrDrop(a, requestIdx);
                    return;
                }
                JsonNode answer = JSON.readTree(resp.body());
                long idx = answer.path("request_idx").asLong(requestIdx);
                if (answer.hasNonNull("url") && !answer.get("url").asText().isEmpty()) {
                    callWorker(a, answer, idx);
                } else {
                    retryOrDrop(a, idx);
                }
            } catch (Exception e) {
                fail(a);
            }
        });
    }

    private void retryOrDrop(Attempt a, long requestIdx) {
        if (a.elapsedSeconds(clock) > dropAfter.toNanos() / 1e9) {
            a.result().complete(new RequestOutcome(a.request(), RequestOutcome.Kind.DROPPED, Double.NaN,
                    a.elapsedSeconds(clock), ""));
            return;
        }
        timer.schedule(() -> route(a, requestIdx), repollInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void callWorker(Attempt a, JsonNode routeAnswer, long requestIdx) {
        String url = routeAnswer.get("url").asText();
        ObjectNode body = JSON.createObjectNode();
        body.set("auth_data", routeAnswer);
        body.putNull("session_id");
        body.putObject("payload").put("prompt_tokens", a.request().contextTokens())
                .put("max_tokens", a.request().generatedTokens());
        double routedAfter = a.elapsedSeconds(clock);
        HttpRequest req = HttpRequest.newBuilder(URI.create(url + workerRoute + "?api_key="
                        + URLEncoder.encode(apiKey, StandardCharsets.UTF_8)))
                .timeout(Duration.ofMinutes(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        http.sendAsync(req, HttpResponse.BodyHandlers.ofString()).whenComplete((resp, failure) -> {
            try {
                if (failure != null) {
                    fail(a);
                } else if (resp.statusCode() == 200) {
                    double workerQueue = JSON.readTree(resp.body()).path("queue_seconds").asDouble(0);
                    a.result().complete(new RequestOutcome(a.request(), RequestOutcome.Kind.SERVED,
                            routedAfter + workerQueue, a.elapsedSeconds(clock), url));
                } else if (resp.statusCode() == 429 || resp.statusCode() == 503) {
                    retryOrDrop(a, requestIdx); // full or not ready after all: ask the router again
                } else {
                    a.result().complete(new RequestOutcome(a.request(), RequestOutcome.Kind.REJECTED, Double.NaN,
                            a.elapsedSeconds(clock), url));
                }
            } catch (Exception e) {
                fail(a);
            }
        });
    }

    private void fail(Attempt a) {
        a.result().complete(new RequestOutcome(a.request(), RequestOutcome.Kind.FAILED, Double.NaN,
                a.elapsedSeconds(clock), ""));
    }
}
