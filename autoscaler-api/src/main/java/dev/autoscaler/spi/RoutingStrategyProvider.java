package dev.autoscaler.spi;

import dev.autoscaler.Settings;

/** Makes {@link RoutingStrategy}s; found with {@link java.util.ServiceLoader}, chosen by name. */
public interface RoutingStrategyProvider {

    String name();

    String description();

    RoutingStrategy create(Settings settings);
}
