package dev.autoscaler.core.provider;

import dev.autoscaler.Settings;
import dev.autoscaler.spi.InstanceProvider;
import dev.autoscaler.spi.InstanceProviderFactory;
import dev.autoscaler.spi.ProviderContext;

/** Registers {@link StaticInstanceProvider} as {@code static}. */
public final class StaticInstanceProviderFactory implements InstanceProviderFactory {
    /** The provider's name in configs. */
    public static final String NAME = "static";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "a fixed fleet declared in the configuration (id, mtoken, url each); no provisioning";
    }

    @Override
    public InstanceProvider create(Settings settings, ProviderContext context) {
        return StaticInstanceProvider.fromSettings(settings);
    }
}
