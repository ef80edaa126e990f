package dev.autoscaler.core.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autoscaler.core.router.RouterHarness;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A {@link RouterHarness} behind a real {@link AutoscalerHttpServer} on an ephemeral loopback port. */
final class HttpHarness implements AutoCloseable {
    static final String KEY = "key-1";
    static final ObjectMapper JSON = new ObjectMapper();

    final RouterHarness h;
    final AutoscalerHttpServer server;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    HttpHarness(int fleet) {
        this(new RouterHarness(fleet));
    }

    HttpHarness(RouterHarness h) {
        this(h, b -> b);
    }

    /** With the API configured further by {@code api} (a history, a timeline...). */
    HttpHarness(RouterHarness h, java.util.function.UnaryOperator<AutoscalerApi.Builder> api) {
        this.h = h;
        AutoscalerApi built = api.apply(AutoscalerApi.builder(h.router).apiKey(KEY)
                .tickets(RouterHarness.TICKETS)).build();
        this.server = AutoscalerHttpServer.start(built, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 2);
    }

    HttpResponse<String> post(String path, String body) {
        return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build());
    }

    HttpResponse<String> postWithBearer(String path, String body, String key) {
        return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Bearer " + key).build());
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    URI uri(String pathAndQuery) {
        return URI.create(server.baseUrl() + pathAndQuery);
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
