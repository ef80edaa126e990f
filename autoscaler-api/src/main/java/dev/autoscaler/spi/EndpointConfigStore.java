package dev.autoscaler.spi;

import dev.autoscaler.EndpointConfig;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

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
     * @param endpoints every endpoint, as the engine has them now
     * @throws java.io.UncheckedIOException when it could not be saved
     */
    void save(List<EndpointConfig> endpoints);

    /**
     * Whether other processes save to this store too (replicas on one database). Then every change
     * first brings the engine up to the set last saved, and runs {@link #exclusively}, so that two
     * changes made at once on two replicas both survive. False by default (one process).
     *
     * @return true when the store is shared
     */
    default boolean shared() {
        return false;
    }

    /**
     * Runs a change (load, change, save) with the other writers of this store kept out until it
     * returns. By default it just runs it: one process, whose admin serialises its own changes.
     *
     * @param change the change
     * @param <T>    what it returns
     * @return what {@code change} returned
     */
    default <T> T exclusively(Supplier<T> change) {
        return change.get();
    }
}
