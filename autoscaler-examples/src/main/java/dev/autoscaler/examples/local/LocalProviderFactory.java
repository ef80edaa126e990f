package dev.autoscaler.examples.local;

import dev.autoscaler.Settings;
import dev.autoscaler.spi.InstanceProvider;
import dev.autoscaler.spi.InstanceProviderFactory;
import dev.autoscaler.spi.ProviderContext;

/** The {@code local} provider: worker processes on this machine (see {@link LocalProcessProvider}). */
public final class LocalProviderFactory implements InstanceProviderFactory {

    @Override
    public String name() {
        return "local";
    }

    @Override
    public String description() {
        return "worker JVMs on this machine's loopback, emulating GPU model servers (for demos and tests)";
    }

    @Override
    public InstanceProvider create(Settings settings, ProviderContext context) {
        return LocalProcessProvider.create(settings);
    }
}
