package dev.autoscaler.examples.cli;

import dev.autoscaler.EndpointConfig;
import dev.autoscaler.InvalidConfigException;
import dev.autoscaler.server.ServerConfig;
import dev.autoscaler.server.ServerConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code simulate --config FILE [--endpoint NAME]}: one endpoint of a {@code serve} config, read by the
 * same {@link ServerConfigLoader} as {@code serve}, so it is simulated as written (its parameters, groups,
 * policy and {@code policy_params}, and the file's {@code tick_interval}). The file's provider is not
 * used: the simulated market stands in for it. Secrets named by {@code *_env} fields need not be set,
 * since a simulation uses none: an unset variable reads as a placeholder.
 */
final class ConfigEndpoint {
    /** What an unset {@code *_env} variable reads as: long enough for every secret's minimum. */
    static final String PLACEHOLDER_SECRET = "simulation-needs-no-secret";

    private ConfigEndpoint() {
    }

    static ServerConfig read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UsageException("--config: no such file '" + file + "'");
        }
        try {
            return new ServerConfigLoader(name -> {
                String value = System.getenv(name);
                return value == null || value.isEmpty() ? PLACEHOLDER_SECRET : value;
            }).load(file);
        } catch (InvalidConfigException e) {
            throw new UsageException("--config " + file + ": " + e.getMessage());
        }
    }

    /** The endpoint named {@code name}, or the only one when {@code name} is null. */
    static EndpointConfig load(Path file, String name) {
        List<EndpointConfig> endpoints = read(file).endpoints();
        List<String> names = endpoints.stream().map(EndpointConfig::name).toList();
        if (name == null) {
            if (endpoints.size() > 1) {
                throw new UsageException("--config " + file + " has " + endpoints.size()
                        + " endpoints: choose one with --endpoint NAME (" + String.join(", ", names) + ")");
            }
            return endpoints.get(0);
        }
        return endpoints.stream().filter(e -> e.name().equals(name)).findFirst()
                .orElseThrow(() -> new UsageException("--endpoint: no endpoint '" + name + "' in " + file + " ("
                        + String.join(", ", names) + ")"));
    }

    /** The file's control tick ({@code tick_interval}, default 5 s), which the simulated engine then uses. */
    static Duration tickInterval(Path file) {
        return read(file).tickInterval();
    }
}
