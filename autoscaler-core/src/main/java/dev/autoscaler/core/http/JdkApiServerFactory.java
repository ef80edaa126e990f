package dev.autoscaler.core.http;

import java.net.InetSocketAddress;

/** {@code jdk}: {@link AutoscalerHttpServer}, the JDK's built-in server; no dependency, blocking I/O per exchange. */
public final class JdkApiServerFactory implements ApiServerFactory {
    public static final String NAME = "jdk";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "the JDK's built-in server (no dependency; each exchange holds a handler thread)";
    }

    @Override
    public ApiServer start(AutoscalerApi api, InetSocketAddress address, ApiServerOptions options) {
        return AutoscalerHttpServer.start(api, address, options.handlerThreads());
    }
}
