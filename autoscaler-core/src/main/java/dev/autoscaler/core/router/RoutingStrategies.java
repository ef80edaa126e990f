package dev.autoscaler.core.router;

import dev.autoscaler.PluginNotFoundException;
import dev.autoscaler.Settings;
import dev.autoscaler.core.plugin.PluginRegistry;
import dev.autoscaler.spi.RoutingStrategy;
import dev.autoscaler.spi.RoutingStrategyProvider;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@link RoutingStrategyProvider}s on the class path, by name ({@code least-wait},
 * {@code power-of-two}, and any plugin's). A provider that fails to load is skipped with a warning;
 * of two with the same name the first found wins.
 */
public final class RoutingStrategies {
    private RoutingStrategies() {
    }

    /** Every strategy provider found, by name, sorted (discovery as in {@link PluginRegistry#loadVisible}). */
    public static Map<String, RoutingStrategyProvider> available() {
        PluginRegistry<RoutingStrategyProvider> registry = PluginRegistry.loadVisible("routing strategy",
                RoutingStrategyProvider.class, RoutingStrategies.class, RoutingStrategyProvider::name);
        Map<String, RoutingStrategyProvider> found = new TreeMap<>();
        registry.plugins().forEach(p -> found.put(p.name(), p));
        return found;
    }

    /**
     * A new strategy by name.
     *
     * @throws PluginNotFoundException listing the names found when none has that name
     */
    public static RoutingStrategy create(String name, Settings settings) {
        Map<String, RoutingStrategyProvider> found = available();
        RoutingStrategyProvider provider = found.get(name);
        if (provider == null) {
            throw new PluginNotFoundException("routing strategy", name, found.keySet().stream().toList());
        }
        return provider.create(settings == null ? Settings.empty() : settings);
    }
}
