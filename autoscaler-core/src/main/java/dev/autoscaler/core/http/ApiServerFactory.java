package dev.autoscaler.core.http;

import java.net.InetSocketAddress;

/**
 * Starts an {@link ApiServer} of one HTTP library; registered in
 * {@code META-INF/services/dev.autoscaler.core.http.ApiServerFactory} and found by name through
 * {@link ApiServers} ({@code jdk} in this module; {@code netty} in {@code autoscaler-http-netty}).
 */
public interface ApiServerFactory {
    /** The stable name, e.g. {@code netty}: what {@code serve}'s {@code http_server} names. */
    String name();

    /** One line for listings. */
    String description();

    /**
     * Preference when nothing is named: the highest found wins ({@code jdk} is 0, so any server that
     * is on the class path is preferred to it).
     */
    default int preference() {
        return 0;
    }

    /** Starts serving {@code api} on {@code address} (port 0 for an ephemeral port). */
    ApiServer start(AutoscalerApi api, InetSocketAddress address, ApiServerOptions options);
}
