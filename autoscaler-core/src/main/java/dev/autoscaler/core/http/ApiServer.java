package dev.autoscaler.core.http;

import java.net.InetSocketAddress;

/**
 * A running HTTP server of an {@link AutoscalerApi}, whichever library serves it: the JDK's
 * ({@link AutoscalerHttpServer}, no dependency) or a non-blocking one from another module
 * ({@code autoscaler-http-netty}), chosen by name through {@link ApiServers}.
 */
public interface ApiServer extends AutoCloseable {
    /** The bound address (with the actual port when 0 was asked for). */
    InetSocketAddress address();

    default int port() {
        return address().getPort();
    }

    /** {@code http://host:port}, for clients and tests; a wildcard bind shows as {@code 127.0.0.1}. */
    default String baseUrl() {
        InetSocketAddress a = address();
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + a.getPort();
    }

    /** Stops at once: closes the listener and every connection. */
    @Override
    void close();
}
