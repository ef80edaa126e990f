package dev.autoscaler.core.router;

import dev.autoscaler.PluginNotFoundException;
import dev.autoscaler.Settings;
import dev.autoscaler.core.plugin.PluginRegistry;
import dev.autoscaler.spi.RoutingStrategy;
import dev.autoscaler.spi.RoutingStrategyProvider;

/**
 * The {@link RoutingStrategyProvider}s on the class path, by name ({@code least-wait},
 * {@code power-of-two}, and any plugin's). Discovery rules (broken providers skipped, first of a
 * duplicate name wins) are those of {@link PluginRegistry}.
 */
public final class RoutingStrategies {
    /** The kind named in messages. */
    public static final String KIND = "routing strategy";

    private RoutingStrategies() {
    }

    /** The providers found as {@link PluginRegistry#loadVisible} finds plugins (as {@code ScalingPolicies.load()}). */
    public static PluginRegistry<RoutingStrategyProvider> load() {
        return PluginRegistry.loadVisible(KIND, RoutingStrategyProvider.class, RoutingStrategies.class,
                RoutingStrategyProvider::name);
    }

    /**
     * A new strategy by name.
     *
     * @throws PluginNotFoundException listing the names found when none has that name
     */
    public static RoutingStrategy create(String name, Settings settings) {
        return load().require(name).create(settings == null ? Settings.empty() : settings);
    }
}
