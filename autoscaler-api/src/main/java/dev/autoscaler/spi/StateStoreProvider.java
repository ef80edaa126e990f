package dev.autoscaler.spi;

import dev.autoscaler.Clock;
import dev.autoscaler.Settings;

/** Makes {@link StateStore}s; found with {@link java.util.ServiceLoader}, chosen by name ({@code memory}). */
public interface StateStoreProvider {

    /**
     * The name configs select this store by.
     *
     * @return a stable, non-blank name
     */
    String name();

    /**
     * A store.
     *
     * @param settings its parameters
     * @param clock the engine's clock, for expiries
     * @return a new store
     */
    StateStore create(Settings settings, Clock clock);
}
