package dev.autoscaler.core.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves an {@link AutoscalerApi} on the JDK's built-in {@code com.sun.net.httpserver.HttpServer}: the
 * server for embedders who want no dependency ({@code http_server: jdk}). Each exchange holds one
 * handler thread while it reads and writes, so a few clients that send slowly can hold every thread;
 * facing untrusted clients, serve with {@code autoscaler-http-netty} instead ({@link ApiServers}).
 *
 * <p><b>JDK server settings, for embedders.</b> The JDK server reads its tuning from system
 * properties once, when its first instance is made. Loading this class sets, unless already set:
 * <ul>
 *   <li>{@code sun.net.httpserver.nodelay=true}: on JDK 17 the server otherwise answers only after the
 *       client's delayed ACK, about 1,500 requests/s with 40 ms latency instead of about 40,000/s;</li>
 *   <li>{@code sun.net.httpserver.maxReqTime=30} and {@code maxRspTime=30} (seconds): a client that
 *       sends or reads too slowly is cut off instead of holding a thread;</li>
 *   <li>{@code sun.net.httpserver.maxIdleConnections=1000}: the default, 200, closes idle keep-alive
 *       connections that clients then see as read errors under load.</li>
 * </ul>
 * If your application creates a JDK {@code HttpServer} of its own before this class loads, call
 * {@link #configureJdkServer()} first (or set the properties on the command line), or these settings
 * will not apply.
 *
 * <p>Handlers run on a pool of {@link #defaultThreads()} threads (two per core, at least four): the
 * JDK server reads and writes each exchange in blocking mode, so one thread per core leaves cores
 * idle while a thread waits on its socket (measured: 0.82 of the trivial handler's rate with four
 * threads on 2 cores, 0.79 with two). When the queue is full, the accepting thread runs the request
 * itself, which slows intake rather than dropping connections. A body above the API's limit gets 413.
 *
 * <p><b>GC, for a low p99.</b> The JDK server itself makes about 50 KB of garbage per request. With
 * G1's default sizing the young generation grows to hundreds of MB and each collection pauses 5-7 ms
 * every half second under load, which alone delays more than 1% of requests. A bounded young
 * generation ({@code -Xmn64m}) collects every ~60 ms in ~2 ms: on 2 cores under wrk, {@code /route/}'s
 * p99 went from 11-25 ms to 8-10 ms. {@code ./autoscaler serve} runs with it.
 */
public final class AutoscalerHttpServer implements ApiServer {
    private static final Logger log = LoggerFactory.getLogger(AutoscalerHttpServer.class);

    static {
        configureJdkServer();
    }

    /** The most of a too-large body read and dropped before the 413 goes out (see {@link #discard}). */
    static final long MAX_DISCARD_BYTES = 8L << 20;

    private final HttpServer server;
    private final ThreadPoolExecutor executor;
    private final AutoscalerApi api;

    private AutoscalerHttpServer(HttpServer server, ThreadPoolExecutor executor, AutoscalerApi api) {
        this.server = server;
        this.executor = executor;
        this.api = api;
    }

    /**
     * Sets the JDK server's system properties described above, each unless already set. Idempotent;
     * effective only before the first JDK {@code HttpServer} of the process is created.
     */
    public static void configureJdkServer() {
        setIfAbsent("sun.net.httpserver.nodelay", "true");
        setIfAbsent("sun.net.httpserver.maxReqTime", "30");
        setIfAbsent("sun.net.httpserver.maxRspTime", "30");
        setIfAbsent("sun.net.httpserver.maxIdleConnections", "1000");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** Starts serving on {@code address} (port 0 for an ephemeral port) with {@link #defaultThreads()}. */
    public static AutoscalerHttpServer start(AutoscalerApi api, InetSocketAddress address) {
        return start(api, address, defaultThreads());
    }

    /** Handler threads by default: two per core, at least four (see the class comment). */
    public static int defaultThreads() {
        return Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    }

    /** Starts serving on {@code address} with {@code threads} handler threads. */
    public static AutoscalerHttpServer start(AutoscalerApi api, InetSocketAddress address, int threads) {
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(address, "address");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(4096), r -> {
                    Thread t = new Thread(r, "autoscaler-http-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
        HttpServer server;
        try {
            server = HttpServer.create(address, 1024);
        } catch (IOException e) {
            executor.shutdownNow();
            throw new java.io.UncheckedIOException("cannot listen on " + address, e);
        }
        server.setExecutor(executor);
        AutoscalerHttpServer wrapper = new AutoscalerHttpServer(server, executor, api);
        server.createContext("/", wrapper::exchange);
        server.start();
        log.info("autoscaler API listening on {}", wrapper.address());
        return wrapper;
    }

    @Override
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /**
     * Stops at once: closes the listener and the connections, and stops the threads. (On JDK 17,
     * {@code HttpServer.stop(delay)} waits the whole delay even when nothing is in flight; use
     * {@link #close(int)} for a grace period.)
     */
    @Override
    public void close() {
        close(0);
    }

    /** Stops accepting, gives in-flight requests up to {@code graceSeconds}, and stops the threads. */
    public void close(int graceSeconds) {
        server.stop(Math.max(0, graceSeconds));
        executor.shutdownNow();
    }

    private void exchange(HttpExchange exchange) {
        try (exchange) {
            ApiResponse response;
            byte[] body = readBody(exchange);
            if (body == null) {
                response = AutoscalerApi.error(413, "Request body too large (limit " + api.maxBodyBytes() + " bytes)");
            } else {
                response = api.handle(new ApiRequest(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                        exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders(), body));
            }
            send(exchange, response);
        } catch (IOException | RuntimeException e) {
            // the client went away, or wrote something the JDK server could not take: nothing to answer
            log.debug("exchange failed", e);
        }
    }

    /** The body, or null when it is larger than the API accepts. */
    private byte[] readBody(HttpExchange exchange) throws IOException {
        int limit = api.maxBodyBytes();
        long declaredLength = -1;
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            try {
                declaredLength = Long.parseLong(declared.trim());
            } catch (NumberFormatException ignored) {
                // the JDK server rejects a malformed length itself
            }
        }
        try (InputStream in = exchange.getRequestBody()) {
            if (declaredLength > limit) {
                discard(in, declaredLength);
                return null;
            }
            if (declaredLength >= 0) {
                // Exactly the declared size: reading up to the limit would allocate (and zero) a
                // 16 KB buffer per request, which showed as a third of the server's garbage.
                byte[] body = new byte[(int) declaredLength];
                int read = in.readNBytes(body, 0, body.length);
                return read == body.length ? body : java.util.Arrays.copyOf(body, read);
            }
            byte[] body = in.readNBytes(limit + 1); // chunked: no length known in advance
            if (body.length > limit) {
                discard(in, Long.MAX_VALUE);
                return null;
            }
            return body;
        }
    }

    /**
     * Reads and drops the rest of a body that is too large, up to {@link #MAX_DISCARD_BYTES}, so that
     * the 413 reaches the client: closing a connection with unread data resets it, and the client
     * may then lose the answer. A larger body gets the reset.
     */
    private static void discard(InputStream in, long length) throws IOException {
        long left = Math.min(length, MAX_DISCARD_BYTES);
        byte[] sink = new byte[8192];
        while (left > 0) {
            int n = in.read(sink, 0, (int) Math.min(sink.length, left));
            if (n < 0) {
                return;
            }
            left -= n;
        }
    }

    private static void send(HttpExchange exchange, ApiResponse response) throws IOException {
        Headers headers = exchange.getResponseHeaders();
        headers.set("Content-Type", response.contentType());
        for (Map.Entry<String, String> h : response.headers().entrySet()) {
            headers.set(h.getKey(), h.getValue());
        }
        boolean head = "HEAD".equalsIgnoreCase(exchange.getRequestMethod());
        byte[] body = response.body();
        if (head) {
            exchange.sendResponseHeaders(response.status(), -1);
            return;
        }
        exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
