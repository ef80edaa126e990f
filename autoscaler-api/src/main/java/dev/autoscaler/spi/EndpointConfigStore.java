package dev.autoscaler.spi;

import dev.autoscaler.EndpointConfig;
import java.util.List;
import java.util.Optional;

/**
 * Where the endpoint set changed at run time (through the admin API) is kept, so that a restarted
 * engine starts from it instead of the configuration it was first given. The engine saves the whole
 * set after every change it accepted, before the change is answered; a restart loads it.
 */
public interface EndpointConfigStore {

    /**
     * The endpoints last saved, or empty when nothing was ever saved (start from the configuration).
     *
     * @throws dev.autoscaler.InvalidConfigException when what is stored cannot be read: a corrupt
     *         store is never taken for an empty one
     */
    Optional<List<EndpointConfig>> load();

    /**
     * Saves the whole set atomically: after a crash at any point, {@link #load} returns this set or
     * the one saved before, never a mix.
     *
     * @throws java.io.UncheckedIOException when it could not be saved
     */
    void save(List<EndpointConfig> endpoints);
}
