package dev.autoscaler.spi;

import dev.autoscaler.Clock;
import dev.autoscaler.Settings;

/** Makes {@link StateStore}s; found with {@link java.util.ServiceLoader}, chosen by name ({@code memory}). */
public interface StateStoreProvider {

    String name();

    StateStore create(Settings settings, Clock clock);
}
