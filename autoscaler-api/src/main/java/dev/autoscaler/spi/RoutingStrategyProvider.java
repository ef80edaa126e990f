package dev.autoscaler.spi;

import dev.autoscaler.Settings;

/** Makes {@link RoutingStrategy}s; found with {@link java.util.ServiceLoader}, chosen by name. */
public interface RoutingStrategyProvider {

    /**
     * The name configs select this strategy by.
     *
     * @return a stable, non-blank name
     */
    String name();

    /**
     * One line for listings.
     *
     * @return what the strategy does
     */
    String description();

    /**
     * A strategy.
     *
     * @param settings its parameters
     * @return a new strategy
     */
    RoutingStrategy create(Settings settings);
}
