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

/**
 * A {@link RouterHarness} behind a real HTTP server on an ephemeral loopback port: the JDK server
 * ({@link AutoscalerHttpServer}) here, and the server named by the system property
 * {@value #SERVER_PROPERTY} where another module runs these tests again (autoscaler-http-netty).
 */
final class HttpHarness implements AutoCloseable {
    static final String KEY = "key-1";
    static final ObjectMapper JSON = new ObjectMapper();

    final RouterHarness h;
    static final String SERVER_PROPERTY = "autoscaler.test.http.server";

    final ApiServer server;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    HttpHarness(int fleet) {
        this(new RouterHarness(fleet));
    }

    HttpHarness(RouterHarness h) {
        this.h = h;
        AutoscalerApi api = AutoscalerApi.builder(h.router).apiKey(KEY)
                .tickets(RouterHarness.TICKETS).build();
        this.server = start(api);
    }

    /** Starts {@code api} on the server under test, on an ephemeral loopback port. */
    static ApiServer start(AutoscalerApi api) {
        return ApiServers.start(serverName(), api, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                ApiServerOptions.defaults().withHandlerThreads(2));
    }

    /** The server under test: {@code jdk} unless {@value #SERVER_PROPERTY} names another. */
    static String serverName() {
        return System.getProperty(SERVER_PROPERTY, JdkApiServerFactory.NAME);
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
