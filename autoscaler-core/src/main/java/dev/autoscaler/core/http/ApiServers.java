package dev.autoscaler.core.http;

import dev.autoscaler.core.plugin.PluginRegistry;
import java.net.InetSocketAddress;
import java.util.Comparator;
import java.util.List;

/**
 * The HTTP servers on the class path, by name: {@code jdk} always; {@code netty} when
 * {@code autoscaler-http-netty} is there (what {@code ./autoscaler serve} runs).
 */
public final class ApiServers {
    /** The name that picks the preferred server found (see {@link ApiServerFactory#preference()}). */
    public static final String DEFAULT = "default";

    private ApiServers() {
    }

    private static PluginRegistry<ApiServerFactory> registry() {
        return PluginRegistry.load("HTTP server", ApiServerFactory.class, ApiServers.class.getClassLoader(),
                ApiServerFactory::name);
    }

    /** The names found. */
    public static List<String> names() {
        return registry().names();
    }

    /**
     * The factory of that name, or the preferred one for {@value #DEFAULT}.
     *
     * @throws dev.autoscaler.PluginNotFoundException listing the names found, for an unknown name
     */
    public static ApiServerFactory factory(String name) {
        PluginRegistry<ApiServerFactory> registry = registry();
        if (DEFAULT.equals(name)) {
            return registry.plugins().stream().max(Comparator.comparingInt(ApiServerFactory::preference))
                    .orElseGet(JdkApiServerFactory::new);
        }
        return registry.require(name);
    }

    /** Starts the named server (or the preferred one for {@value #DEFAULT}). */
    public static ApiServer start(String name, AutoscalerApi api, InetSocketAddress address, ApiServerOptions options) {
        return factory(name).start(api, address, options);
    }
}
