package dev.autoscaler.core.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.autoscaler.Sleeper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A Java client of the two-step flow, behaving as Vast's client SDK does: ask the engine's
 * {@code /route/} for a worker, re-poll with the answer's {@code request_idx} while none is ready
 * (jittered, growing waits), then {@code POST {url}{route}?api_key=...} to the worker with
 * {@code {"auth_data": <route answer>, "session_id": null, "payload": ...}}.
 *
 * <p>Retries, bounded: a 408, 429 or 5xx from the engine, or a connection error, is retried after
 * {@code min(2^attempt + U(0,1), 5)} seconds; a 429 or 5xx from the worker routes the request again
 * (the worker was full or failing, so another may take it). A 400 or 401 fails at once. Waits go
 * through an injectable {@link Sleeper}, and time spent waiting for a worker is the sum of those
 * waits, so tests run without sleeping or reading a clock. Thread safe.
 */
public final class AutoscalerClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double MAX_BACKOFF_SECONDS = 5;

    private final String engineUrl;
    private final String apiKey;
    private final HttpClient http;
    private final Sleeper sleeper;
    private final RandomGenerator random;
    private final int retries;
    private final Duration requestTimeout;
    private final Duration maxWaitForWorker;
    private final Duration firstPoll;
    private final Duration maxPoll;

    private AutoscalerClient(Builder b) {
        this.engineUrl = stripSlash(b.engineUrl);
        this.apiKey = b.apiKey;
        this.http = b.http != null ? b.http : HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        this.sleeper = Objects.requireNonNullElse(b.sleeper, Sleeper.system());
        this.random = Objects.requireNonNullElseGet(b.random, SecureRandom::new);
        this.retries = b.retries;
        this.requestTimeout = b.requestTimeout;
        this.maxWaitForWorker = b.maxWaitForWorker;
        this.firstPoll = b.firstPoll;
        this.maxPoll = b.maxPoll;
    }

    /**
     * @param engineUrl the engine's base URL, e.g. {@code https://autoscaler.example.com}
     * @param apiKey    the endpoint's API key
     */
    public static Builder builder(String engineUrl, String apiKey) {
        return new Builder(engineUrl, apiKey);
    }

    /**
     * Routes one request: polls {@code /route/} until a worker is named.
     *
     * @param cost the request's estimated work (an integer or a float; sent as given)
     * @throws AutoscalerClientException when refused, out of retries, or no worker became ready in time
     */
    public RouteTicket route(String endpoint, Number cost) {
        long requestIdx = 0;
        Duration waited = Duration.ZERO;
        Duration nextPoll = firstPoll;
        while (true) {
            ObjectNode body = JSON.createObjectNode();
            body.put("endpoint", endpoint);
            body.put("api_key", apiKey);
            putNumber(body, "cost", cost);
            body.put("request_idx", requestIdx);
            body.put("replay_timeout", 60.0);
            JsonNode answer = postEngine("/route/", body);
            if (!(answer instanceof ObjectNode object)) {
                throw new AutoscalerClientException("/route/ answered something that is not a JSON object", 200,
                        String.valueOf(answer), null);
            }
            if (object.hasNonNull("url") && !object.path("url").asText().isEmpty()) {
                return new RouteTicket(object);
            }
            requestIdx = object.path("request_idx").asLong(requestIdx);
            if (waited.compareTo(maxWaitForWorker) >= 0) {
                throw new AutoscalerClientException("no worker of endpoint " + endpoint + " became ready within "
                        + maxWaitForWorker.toSeconds() + " s: " + object.path("status").asText(), 200, object.toString(), null);
            }
            Duration pause = jitter(nextPoll);
            sleep(pause);
            waited = waited.plus(pause);
            nextPoll = min(nextPoll.multipliedBy(2), maxPoll);
        }
    }

    /**
     * The whole two-step call: routes, then posts the worker.
     *
     * @param route   the worker's path, e.g. {@code /v1/completions}
     * @param payload anything Jackson can write (a {@link JsonNode}, a Map, a record)
     * @return the worker's answer (2xx, or the last non-retryable status)
     */
    public WorkerResponse call(String endpoint, String route, Number cost, Object payload) {
        JsonNode payloadNode = JSON.valueToTree(payload);
        AutoscalerClientException last = null;
        for (int attempt = 1; attempt <= retries; attempt++) {
            RouteTicket ticket = route(endpoint, cost);
            ObjectNode body = JSON.createObjectNode();
            body.set("auth_data", ticket.answer());
            body.putNull("session_id");
            body.set("payload", payloadNode);
            String url = ticket.url() + route + "?api_key=" + URLEncoder.encode(apiKey, StandardCharsets.UTF_8);
            HttpResponse<byte[]> response;
            try {
                response = send(HttpRequest.newBuilder(URI.create(url)).timeout(requestTimeout)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(write(body))).build());
            } catch (IOException e) {
                last = new AutoscalerClientException("calling worker " + ticket.url() + " failed: " + e.getMessage(), 0, "", e);
                backoff(attempt);
                continue;
            }
            int status = response.statusCode();
            if (status == 429 || status >= 500) {
                last = new AutoscalerClientException("worker " + ticket.url() + " answered " + status, status,
                        new String(response.body(), StandardCharsets.UTF_8), null);
                if (attempt < retries) {
                    backoff(attempt);
                }
                continue;
            }
            return new WorkerResponse(status, response.body(), ticket);
        }
        throw last;
    }

    private JsonNode postEngine(String path, ObjectNode body) {
        URI uri = URI.create(engineUrl + path + "?api_key=" + URLEncoder.encode(apiKey, StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(requestTimeout)
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + apiKey)
                .POST(HttpRequest.BodyPublishers.ofByteArray(write(body))).build();
        AutoscalerClientException last = null;
        for (int attempt = 1; attempt <= retries; attempt++) {
            HttpResponse<byte[]> response;
            try {
                response = send(request);
            } catch (IOException e) {
                last = new AutoscalerClientException(path + " failed: " + e.getMessage(), 0, "", e);
                if (attempt < retries) {
                    backoff(attempt);
                }
                continue;
            }
            int status = response.statusCode();
            String text = new String(response.body(), StandardCharsets.UTF_8);
            if (status >= 200 && status < 300) {
                try {
                    return JSON.readTree(response.body());
                } catch (IOException e) {
                    throw new AutoscalerClientException(path + " answered invalid JSON", status, text, e);
                }
            }
            last = new AutoscalerClientException(path + " answered " + status + ": " + text, status, text, null);
            if (!(status == 408 || status == 429 || status >= 500)) {
                throw last;
            }
            if (attempt < retries) {
                backoff(attempt);
            }
        }
        throw last;
    }

    private HttpResponse<byte[]> send(HttpRequest request) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AutoscalerClientException("interrupted", 0, "", e);
        }
    }

    /** Capped exponential backoff with jitter: min(2^attempt + U(0,1), 5) seconds. */
    private void backoff(int attempt) {
        double seconds = Math.min(Math.pow(2, attempt) + random.nextDouble(), MAX_BACKOFF_SECONDS);
        sleep(Duration.ofNanos((long) (seconds * 1e9)));
    }

    /** A poll interval with +-25% jitter, so that many waiting clients do not poll in step. */
    private Duration jitter(Duration base) {
        double factor = 0.75 + random.nextDouble() * 0.5;
        return Duration.ofNanos((long) (base.toNanos() * factor));
    }

    private void sleep(Duration d) {
        try {
            sleeper.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AutoscalerClientException("interrupted", 0, "", e);
        }
    }

    private static void putNumber(ObjectNode body, String field, Number n) {
        if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) {
            body.put(field, n.longValue());
        } else {
            body.put(field, n.doubleValue());
        }
    }

    private static byte[] write(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write the request body", e);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String stripSlash(String url) {
        String u = Objects.requireNonNull(url, "engineUrl");
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return u;
    }

    /** Configures an {@link AutoscalerClient}. */
    public static final class Builder {
        private final String engineUrl;
        private final String apiKey;
        private HttpClient http;
        private Sleeper sleeper;
        private RandomGenerator random;
        private int retries = 5;
        private Duration requestTimeout = Duration.ofSeconds(30);
        private Duration maxWaitForWorker = Duration.ofMinutes(5);
        private Duration firstPoll = Duration.ofSeconds(1);
        private Duration maxPoll = Duration.ofSeconds(5);

        private Builder(String engineUrl, String apiKey) {
            this.engineUrl = Objects.requireNonNull(engineUrl, "engineUrl");
            this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
        }

        public Builder httpClient(HttpClient http) {
            this.http = http;
            return this;
        }

        /** How to wait (default {@link Thread#sleep}). */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = sleeper;
            return this;
        }

        /** The jitter's random source. */
        public Builder random(RandomGenerator random) {
            this.random = random;
            return this;
        }

        /** Attempts per engine call and per worker call (default 5). */
        public Builder retries(int retries) {
            if (retries < 1) {
                throw new IllegalArgumentException("retries must be >= 1, got " + retries);
            }
            this.retries = retries;
            return this;
        }

        /** Timeout of each HTTP request (default 30 s). */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** How long to keep polling for a worker before giving up (default 5 min). */
        public Builder maxWaitForWorker(Duration wait) {
            this.maxWaitForWorker = Objects.requireNonNull(wait, "wait");
            return this;
        }

        /** The first and the longest pause between polls (default 1 s doubling to 5 s, each +-25%). */
        public Builder pollInterval(Duration first, Duration max) {
            this.firstPoll = Objects.requireNonNull(first, "first");
            this.maxPoll = Objects.requireNonNull(max, "max");
            return this;
        }

        public AutoscalerClient build() {
            return new AutoscalerClient(this);
        }
    }
}
