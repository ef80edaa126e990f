package dev.autoscaler.examples.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A tiny stand-in for the engine's HTTP surface, for worker tests: serves {@code /pubkey/} and
 * collects {@code /worker_status/} and {@code /delete_requests/} bodies. Tests wait on its queues
 * with a bound, never with a fixed sleep.
 */
public final class EngineStub implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final Duration WAIT = Duration.ofSeconds(60);

    private final HttpServer server;
    private final BlockingQueue<JsonNode> statuses = new LinkedBlockingQueue<>();
    private final BlockingQueue<JsonNode> deletes = new LinkedBlockingQueue<>();
    private volatile String pubkeyPem;

    public EngineStub(String pubkeyPem) {
        this(pubkeyPem, null);
    }

    /** Also serves {@code jwks} (Ed25519 ticket keys) at {@code /ed25519-keys/} when not null. */
    public EngineStub(String pubkeyPem, String jwks) {
        this.pubkeyPem = pubkeyPem;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/pubkey/", ex -> {
            String pem = this.pubkeyPem;
            if (pem == null || !ex.getRequestURI().getPath().equals("/pubkey/")) {
                answer(ex, 404, "{\"error\":\"not found\"}");
            } else {
                answer(ex, 200, pem);
            }
        });
        server.createContext("/ed25519-keys/", ex -> {
            if (jwks == null) {
                answer(ex, 404, "{\"error\":\"not found\"}");
            } else {
                answer(ex, 200, jwks);
            }
        });
        server.createContext("/worker_status/", ex -> collect(ex, statuses));
        server.createContext("/delete_requests/", ex -> collect(ex, deletes));
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The next status report that matches, skipping the others; fails after {@link #WAIT}. */
    public JsonNode awaitStatus(Predicate<JsonNode> wanted) {
        return await(statuses, wanted, "a /worker_status/ report");
    }

    public JsonNode awaitDelete(Predicate<JsonNode> wanted) {
        return await(deletes, wanted, "a /delete_requests/ body");
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static JsonNode await(BlockingQueue<JsonNode> queue, Predicate<JsonNode> wanted, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                JsonNode next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
                if (next == null) {
                    throw new AssertionError("no matching " + what + " within " + WAIT);
                }
                if (wanted.test(next)) {
                    return next;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + what);
        }
    }

    private static void collect(HttpExchange ex, BlockingQueue<JsonNode> into) throws IOException {
        into.add(JSON.readTree(ex.getRequestBody()));
        answer(ex, 200, "{\"success\":true}");
    }

    private static void answer(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
