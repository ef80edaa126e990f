package dev.autoscaler.core.http;

import dev.autoscaler.InvalidConfigException;
import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link ApiServer} holds against slow and greedy clients. A non-blocking server applies all of
 * it; the JDK server ({@link AutoscalerHttpServer}) applies only {@code handlerThreads} (its own
 * {@code sun.net.httpserver.maxReqTime} bounds a whole exchange instead).
 *
 * @param handlerThreads           threads that run exchanges on the JDK server ({@code http_threads}); on a
 *                                 non-blocking server, the size of each of its two answer pools when the
 *                                 API may block ({@link AutoscalerApi#mayBlock()})
 * @param ioThreads                event-loop threads of a non-blocking server (default: one per core, at least 2)
 * @param headerTimeout            from a request's first byte to the end of its headers; past it: 408
 *                                 ({@code http_header_timeout}, default 10 s)
 * @param bodyTimeout              from the end of the headers to the end of the body; past it: 408
 *                                 ({@code http_body_timeout}, default 30 s). A lying {@code Content-Length}
 *                                 holds its connection no longer than this
 * @param idleTimeout              a keep-alive connection with no request in progress is closed after this
 *                                 ({@code http_idle_timeout}, default 60 s)
 * @param maxConnectionsPerAddress open connections allowed from one client IP address; more are refused
 *                                 with 429 and closed ({@code http_max_connections_per_address}, default 256)
 * @param maxHeaderBytes           the request line and headers together; above: 431 (414 for a long
 *                                 request line) ({@code http_max_header_bytes}, default 16 KiB)
 */
public record ApiServerOptions(int handlerThreads, int ioThreads, Duration headerTimeout, Duration bodyTimeout,
                               Duration idleTimeout, int maxConnectionsPerAddress, int maxHeaderBytes) {
    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 256;
    public static final int DEFAULT_MAX_HEADER_BYTES = 16 * 1024;

    public ApiServerOptions {
        positive("http_threads", handlerThreads);
        positive("http_io_threads", ioThreads);
        positive("http_header_timeout", headerTimeout);
        positive("http_body_timeout", bodyTimeout);
        positive("http_idle_timeout", idleTimeout);
        positive("http_max_connections_per_address", maxConnectionsPerAddress);
        if (maxHeaderBytes < 1024) {
            throw new InvalidConfigException("http_max_header_bytes", "must be >= 1024, got " + maxHeaderBytes);
        }
    }

    /** The defaults above. */
    public static ApiServerOptions defaults() {
        return new ApiServerOptions(AutoscalerHttpServer.defaultThreads(), defaultIoThreads(), DEFAULT_HEADER_TIMEOUT,
                DEFAULT_BODY_TIMEOUT, DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_CONNECTIONS_PER_ADDRESS, DEFAULT_MAX_HEADER_BYTES);
    }

    /** One event loop per core, at least two. */
    public static int defaultIoThreads() {
        return Math.max(2, Runtime.getRuntime().availableProcessors());
    }

    public ApiServerOptions withHandlerThreads(int threads) {
        return new ApiServerOptions(threads, ioThreads, headerTimeout, bodyTimeout, idleTimeout,
                maxConnectionsPerAddress, maxHeaderBytes);
    }

    public ApiServerOptions withTimeouts(Duration header, Duration body, Duration idle) {
        return new ApiServerOptions(handlerThreads, ioThreads, header, body, idle, maxConnectionsPerAddress, maxHeaderBytes);
    }

    public ApiServerOptions withMaxConnectionsPerAddress(int max) {
        return new ApiServerOptions(handlerThreads, ioThreads, headerTimeout, bodyTimeout, idleTimeout, max, maxHeaderBytes);
    }

    public ApiServerOptions withMaxHeaderBytes(int bytes) {
        return new ApiServerOptions(handlerThreads, ioThreads, headerTimeout, bodyTimeout, idleTimeout,
                maxConnectionsPerAddress, bytes);
    }

    private static void positive(String field, int value) {
        if (value < 1) {
            throw new InvalidConfigException(field, "must be >= 1, got " + value);
        }
    }

    private static void positive(String field, Duration value) {
        Objects.requireNonNull(value, field);
        if (value.isNegative() || value.isZero()) {
            throw new InvalidConfigException(field, "must be positive, got " + value);
        }
    }
}
