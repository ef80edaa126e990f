package dev.autoscaler.core.provider;

import dev.autoscaler.core.plugin.PluginRegistry;
import dev.autoscaler.spi.InstanceProviderFactory;

/**
 * The {@link InstanceProviderFactory}s on the class path, by name ({@code static}, {@code vast}, and
 * any plugin's). Discovery rules (broken providers skipped, first of a duplicate name wins) are those
 * of {@link PluginRegistry}.
 */
public final class InstanceProviderFactories {
    /** The kind named in messages. */
    public static final String KIND = "instance provider";

    private InstanceProviderFactories() {
    }

    /** The factories found as {@link PluginRegistry#loadVisible} finds plugins (as {@code ScalingPolicies.load()}). */
    public static PluginRegistry<InstanceProviderFactory> load() {
        return PluginRegistry.loadVisible(KIND, InstanceProviderFactory.class, InstanceProviderFactories.class,
                InstanceProviderFactory::name);
    }
}
