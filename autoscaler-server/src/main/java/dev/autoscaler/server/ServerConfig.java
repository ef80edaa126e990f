package dev.autoscaler.server;

import dev.autoscaler.OrphanPolicy;
import dev.autoscaler.ShutdownAction;

import dev.autoscaler.EndpointConfig;
import dev.autoscaler.Settings;
import dev.autoscaler.core.http.ApiServerOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything {@code ./autoscaler serve} needs, as read by {@link ServerConfigLoader}: build one by
 * parsing a config ({@link ServerConfigLoader#parseJson}, a file), which fills every default and
 * checks every field; the canonical constructor takes them all.
 *
 * @param listenHost       the address the HTTP surface binds ({@code listen}, default {@code 0.0.0.0:8080})
 * @param listenPort       its port
 * @param publicUrl        the engine's base URL as workers reach it ({@code public_url}), their {@code REPORT_ADDR}
 * @param apiKeys          keys accepted on endpoints that have no {@code api_key} of their own ({@code api_keys})
 * @param engineSecret     the secret workers' mtokens derive from ({@code engine_secret} or {@code engine_secret_env})
 * @param owner            the first part of every instance label ({@code owner}, default {@code autoscaler})
 * @param tickInterval     the control loop's period ({@code tick_interval}, seconds, default 5)
 * @param syncInterval     the provider sync's period ({@code sync_interval}, seconds, default 60)
 * @param rsaKeyFile       where the vast-rsa private key lives (created when missing); empty: a new key per start
 * @param ed25519KeyFile   where the Ed25519 key ring lives (created when missing); empty: new keys per start
 * @param routingStrategy  the routing strategy's name ({@code routing_strategy}, default {@code least-wait})
 * @param providerName     the instance provider's factory name ({@code provider.name})
 * @param providerSettings its settings ({@code provider.settings}, nested keys flattened with dots)
 * @param httpThreads      handler threads ({@code http_threads}, default: two per core, at least 4)
 * @param maxBodyBytes     the request body limit ({@code max_body_bytes}, default 256 KiB)
 * @param endpoints        the endpoints with their groups
 * @param adminKey         the admin API's bearer key ({@code admin_key} or {@code admin_key_env}); empty: admin API off
 * @param defaultTicketFormat the {@code ticket_format} of endpoints that give none ({@code ticket_format}, default {@code vast-rsa})
 * @param dashboard        whether {@code GET /dashboard/} is served ({@code dashboard}, default true; it shows
 *                         no secret, see {@link dev.autoscaler.core.http.AutoscalerApi})
 * @param stateDir         where serve keeps what must outlive the process ({@code state_dir}, default
 *                         {@value #DEFAULT_STATE_DIR} in the working directory): the endpoint set as the
 *                         admin API left it, and the ticket keys when no key file is named
 * @param httpServer       which HTTP server serves the API ({@code http_server}: {@code netty}, {@code jdk};
 *                         default: the preferred one on the class path, Netty in {@code ./autoscaler})
 * @param httpOptions      how it holds against slow and greedy clients: {@code http_header_timeout},
 *                         {@code http_body_timeout}, {@code http_idle_timeout} (seconds),
 *                         {@code http_max_connections_per_address}, {@code http_max_header_bytes},
 *                         {@code http_io_threads}, and {@code http_threads} (the JDK server's)
 * @param ed25519Rotation  how often the Ed25519 ticket keys rotate ({@code ed25519_rotation_interval},
 *                         seconds); empty (the default): only on demand, through the admin API
 * @param workerUrlHosts   the NAT switch ({@code worker_url_hosts}): hosts ({@code host} or
 *                         {@code host:port}) workers may report as their {@code url} instead of the
 *                         address their provider gives; empty (the default): the provider's address only
 * @param metrics          whether {@code GET /metrics} is served ({@code metrics}, default true; like the
 *                         dashboard it needs no key and shows no secret: endpoint and group names and figures)
 * @param shutdown         what a SIGTERM does with the instances ({@code shutdown}, default {@code keep})
 * @param shutdownTimeout  how long the shutdown may take at most ({@code shutdown_timeout}, seconds, default 60)
 * @param orphans          what to do with instances labelled ours whose endpoint/group is not configured
 *                         ({@code orphans}, default {@code destroy})
 * @param orphanGrace      how long an orphan is only shown before the policy acts ({@code orphan_grace}, seconds, default 600)
 * @param spendCap         the engine's spend cap ({@code max_cost_per_hour}, {@code storage_price_fraction}; default none)
 * @param postgres         {@code store: {postgres: ...}}: the state on a shared PostgreSQL, several replicas, one
 *                         leader; empty (the default): in this process, the admin API's changes in {@code state_dir}
 */
public record ServerConfig(String listenHost, int listenPort, String publicUrl, List<String> apiKeys,
                           byte[] engineSecret, String owner, Duration tickInterval, Duration syncInterval,
                           Optional<Path> rsaKeyFile, Optional<Path> ed25519KeyFile, String routingStrategy,
                           String providerName, Settings providerSettings, int httpThreads, int maxBodyBytes,
                           List<EndpointConfig> endpoints, boolean dashboard, Optional<String> adminKey,
                           String defaultTicketFormat, Path stateDir, String httpServer, ApiServerOptions httpOptions,
                           Optional<Duration> ed25519Rotation, List<String> workerUrlHosts, boolean metrics,
                           ShutdownAction shutdown, Duration shutdownTimeout, OrphanPolicy orphans, Duration orphanGrace,
                           SpendCap spendCap, Optional<PostgresSettings> postgres) {
    /** The state directory when the config names none. */
    public static final String DEFAULT_STATE_DIR = "autoscaler-state";
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_ORPHAN_GRACE = Duration.ofMinutes(10);

    public ServerConfig {
        adminKey = Objects.requireNonNull(adminKey, "adminKey");
        Objects.requireNonNull(defaultTicketFormat, "defaultTicketFormat");
        Objects.requireNonNull(listenHost, "listenHost");
        Objects.requireNonNull(publicUrl, "publicUrl");
        apiKeys = List.copyOf(apiKeys);
        engineSecret = engineSecret.clone();
        endpoints = List.copyOf(endpoints);
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(httpServer, "httpServer");
        Objects.requireNonNull(httpOptions, "httpOptions");
        Objects.requireNonNull(ed25519Rotation, "ed25519Rotation");
        workerUrlHosts = List.copyOf(workerUrlHosts);
        Objects.requireNonNull(shutdown, "shutdown");
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        Objects.requireNonNull(orphans, "orphans");
        Objects.requireNonNull(orphanGrace, "orphanGrace");
        Objects.requireNonNull(spendCap, "spendCap");
        Objects.requireNonNull(postgres, "postgres");
    }


    @Override
    public byte[] engineSecret() {
        return engineSecret.clone();
    }

    @Override
    public String toString() {
        // never the secret or the keys
        return "ServerConfig[listen=" + listenHost + ":" + listenPort + ", public_url=" + publicUrl + ", api_keys="
                + apiKeys.size() + ", admin_api=" + (adminKey.isPresent() ? "on" : "off") + ", provider=" + providerName + ", shutdown=" + shutdown.wireName() + ", orphans=" + orphans.wireName()
                + ", store=" + (postgres.isPresent() ? "postgres" : "memory")
                + ", endpoints="
                + endpoints.stream().map(EndpointConfig::name).toList() + "]";
    }
}
