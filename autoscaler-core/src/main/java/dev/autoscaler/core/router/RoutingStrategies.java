package dev.autoscaler.core.router;

import dev.autoscaler.PluginNotFoundException;
import dev.autoscaler.Settings;
import dev.autoscaler.spi.RoutingStrategy;
import dev.autoscaler.spi.RoutingStrategyProvider;
import java.util.Iterator;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link RoutingStrategyProvider}s on the class path, by name ({@code least-wait},
 * {@code power-of-two}, and any plugin's). A provider that fails to load is skipped with a warning;
 * of two with the same name the first found wins.
 */
public final class RoutingStrategies {
    private static final Logger log = LoggerFactory.getLogger(RoutingStrategies.class);

    private RoutingStrategies() {
    }

    /** {@return every strategy provider found, by name, sorted} */
    public static Map<String, RoutingStrategyProvider> available() {
        Map<String, RoutingStrategyProvider> found = new TreeMap<>();
        Iterator<RoutingStrategyProvider> it = ServiceLoader.load(RoutingStrategyProvider.class).iterator();
        for (int failures = 0; failures < 100; ) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                RoutingStrategyProvider provider = it.next();
                if (found.putIfAbsent(provider.name(), provider) != null) {
                    log.warn("two routing strategies are named '{}'; keeping the first, ignoring {}", provider.name(),
                            provider.getClass().getName());
                }
            } catch (ServiceConfigurationError e) {
                failures++;
                log.warn("skipped a routing strategy provider that failed to load: {}", e.getMessage());
            }
        }
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
