package dev.autoscaler.core.store;

import dev.autoscaler.Clock;
import dev.autoscaler.Settings;
import dev.autoscaler.spi.StateStore;
import dev.autoscaler.spi.StateStoreProvider;

/** The {@code memory} state store: the default. */
public final class InMemoryStateStoreProvider implements StateStoreProvider {
    @Override
    public String name() {
        return "memory";
    }

    @Override
    public StateStore create(Settings settings, Clock clock) {
        return new InMemoryStateStore();
    }
}
