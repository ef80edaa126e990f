package dev.autoscaler.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.autoscaler.EndpointConfig;
import dev.autoscaler.InvalidConfigException;
import dev.autoscaler.OrphanPolicy;
import dev.autoscaler.Settings;
import dev.autoscaler.ShutdownAction;
import dev.autoscaler.core.http.ApiServerOptions;
import dev.autoscaler.core.http.ApiServers;
import dev.autoscaler.core.http.AutoscalerHttpServer;
import dev.autoscaler.core.json.ConfigNode;
import dev.autoscaler.core.json.ConfigProblems;
import dev.autoscaler.core.json.EndpointConfigJson;
import dev.autoscaler.core.ticket.Ed25519KeyRing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads a {@link ServerConfig} from JSON or YAML (YAML when the file name ends in {@code .yaml} or
 * {@code .yml} and jackson-dataformat-yaml is on the class path). Endpoint and group parameters use
 * the wire names of {@link EndpointConfigJson} (docs/PROTOCOL.md#endpoint-parameters); durations are in seconds. Every error is an {@link InvalidConfigException}
 * naming the field by its full path, e.g. {@code endpoints[0].groups[1].gpu_ram}, and unknown fields
 * are errors, so that a misspelt parameter does not silently keep its default.
 *
 * <pre>{@code
 * listen: 0.0.0.0:8080
 * public_url: https://autoscaler.example.com
 * api_keys: [my-client-key]
 * engine_secret_env: AUTOSCALER_SECRET        # or engine_secret: "at least 16 characters"
 * admin_key_env: AUTOSCALER_ADMIN_KEY         # optional: turns the admin API on (/admin/endpoints...)
 * state_dir: /var/lib/autoscaler              # keys and the admin API's endpoints, kept across restarts (default ./autoscaler-state)
 * rsa_key_file: /var/lib/autoscaler/rsa.pem   # optional: another place for the key workers fetch once
 * ed25519_key_file: /var/lib/autoscaler/ed25519.json
 * shutdown: keep                              # SIGTERM: keep | stop | destroy the instances
 * orphans: destroy                            # instances of endpoints no longer configured
 * provider: {name: vast, settings: {api_key_env: VAST_API_KEY}}
 * endpoints:
 *   - endpoint_name: llama
 *     target_util: 0.9
 *     cold_workers: 2
 *     max_workers: 10
 *     ticket_format: vast-rsa
 *     groups:
 *       - group_name: main
 *         template_hash: abc123
 *         search_params: gpu_ram>=24 num_gpus=1
 * }</pre>
 */
public final class ServerConfigLoader {
    static final int MIN_SECRET_BYTES = 16;

    private final EndpointConfigJson endpointJson;

    /** A loader that reads {@code *_env} indirections from the process environment. */
    public ServerConfigLoader() {
        this(System::getenv);
    }

    /** A loader with its own environment (for tests). */
    public ServerConfigLoader(Function<String, String> env) {
        this.endpointJson = new EndpointConfigJson(Objects.requireNonNull(env, "env"));
    }

    /**
     * What reading a config found: the config, or every error, each naming its field by path.
     *
     * @param config the config; null when an error was found
     * @param errors every error found, in the order of the file; empty when the config is good
     */
    public record Checked(ServerConfig config, List<InvalidConfigException> errors) {
        public Checked {
            errors = List.copyOf(errors);
        }

        public boolean ok() {
            return errors.isEmpty();
        }
    }

    /** Reads a file, JSON or YAML by its extension; throws the first error (see {@link #check} for all of them). */
    public ServerConfig load(Path file) {
        Checked checked = check(file);
        if (!checked.ok()) {
            throw checked.errors().get(0);
        }
        return checked.config();
    }

    /** Reads a file, JSON or YAML by its extension, going on past errors to report every one. */
    public Checked check(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return new Checked(null, List.of(new InvalidConfigException("config", "cannot read " + file + ": " + e.getMessage())));
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".yaml") || name.endsWith(".yml") ? checkYaml(text) : checkJson(text);
    }

    public ServerConfig parseJson(String text) {
        return orThrow(checkJson(text));
    }

    public ServerConfig parseYaml(String text) {
        return orThrow(checkYaml(text));
    }

    public Checked checkJson(String text) {
        return check(JsonMapper.builder().build(), text);
    }

    public Checked checkYaml(String text) {
        ObjectMapper yaml;
        try {
            yaml = (ObjectMapper) Class.forName("com.fasterxml.jackson.dataformat.yaml.YAMLMapper")
                    .getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            return new Checked(null, List.of(new InvalidConfigException("config",
                    "YAML needs com.fasterxml.jackson.dataformat:jackson-dataformat-yaml on the class path; use JSON otherwise")));
        }
        return check(yaml, text);
    }

    private static ServerConfig orThrow(Checked checked) {
        if (!checked.ok()) {
            throw checked.errors().get(0);
        }
        return checked.config();
    }

    private Checked check(ObjectMapper mapper, String text) {
        ConfigProblems problems = new ConfigProblems();
        JsonNode tree = problems.attempt(() -> read(mapper, text), null);
        ServerConfig config = tree == null ? null : parse(tree, problems);
        return new Checked(problems.isEmpty() ? config : null, problems.all());
    }

    private static JsonNode read(ObjectMapper mapper, String text) {
        try {
            JsonNode node = mapper.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw new InvalidConfigException("config", "is empty");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new InvalidConfigException("config", "is not valid: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()));
        }
    }

    ServerConfig parse(JsonNode tree) {
        ConfigProblems problems = new ConfigProblems();
        ServerConfig config = parse(tree, problems);
        problems.throwFirst();
        return config;
    }

    /** Reads every field, recording each error in {@code p}; null when one was found. */
    private ServerConfig parse(JsonNode tree, ConfigProblems p) {
        ConfigNode root = p.attempt(() -> new ConfigNode(tree, ""), null);
        if (root == null) {
            return null;
        }
        String[] hostPort = p.attempt(() -> listen(root), new String[] {"0.0.0.0", "8080"});
        String publicUrl = p.attempt(() -> publicUrl(root), "http://invalid");
        List<String> apiKeys = new ArrayList<>(p.attempt(() -> root.strings("api_keys"), List.of()));
        p.attempt(() -> root.string("api_keys_env").ifPresent(var -> {
            for (String key : endpointJson.requireEnv("api_keys_env", var).split(",")) {
                if (!key.isBlank()) {
                    apiKeys.add(key.trim());
                }
            }
        }));
        byte[] secret = p.attempt(() -> secret(root), new byte[MIN_SECRET_BYTES]);
        Optional<String> adminKey = p.attempt(() -> adminKey(root), Optional.empty());
        if (adminKey.isPresent() && apiKeys.contains(adminKey.get())) {
            p.add(new InvalidConfigException(root.has("admin_key") ? "admin_key" : "admin_key_env",
                    "must differ from every api_keys entry: a client key must not administer the server"));
        }
        String owner = p.attempt(() -> {
            String o = root.string("owner").orElse("autoscaler");
            if (!o.matches("^[A-Za-z0-9_-]+$")) {
                throw new InvalidConfigException("owner", "must match ^[A-Za-z0-9_-]+$, got '" + o + "'");
            }
            return o;
        }, "autoscaler");
        Duration tick = p.attempt(() -> root.seconds("tick_interval", 5), Duration.ofSeconds(5));
        Duration sync = p.attempt(() -> root.seconds("sync_interval", 60), Duration.ofSeconds(60));
        // Keys live in the state directory unless a file is named: a restart keeps /pubkey/ and the
        // Ed25519 key ring, so the workers it re-adopts (which fetched the keys once) still verify.
        Path stateDir = p.attempt(() -> Path.of(root.string("state_dir").orElse(ServerConfig.DEFAULT_STATE_DIR)),
                Path.of(ServerConfig.DEFAULT_STATE_DIR));
        Optional<Path> rsaKeyFile = p.attempt(() -> Optional.of(root.string("rsa_key_file").map(Path::of)
                .orElse(stateDir.resolve("rsa-key.pem"))), Optional.empty());
        Optional<Path> edKeyFile = p.attempt(() -> Optional.of(root.string("ed25519_key_file").map(Path::of)
                .orElse(stateDir.resolve("ed25519-ring.json"))), Optional.empty());
        ShutdownAction shutdown = p.attempt(() -> root.string("shutdown").map(ShutdownAction::fromWireName)
                .orElse(ShutdownAction.KEEP), ShutdownAction.KEEP);
        Duration shutdownTimeout = p.attempt(() -> root.seconds("shutdown_timeout",
                ServerConfig.DEFAULT_SHUTDOWN_TIMEOUT.toSeconds()), ServerConfig.DEFAULT_SHUTDOWN_TIMEOUT);
        OrphanPolicy orphans = p.attempt(() -> root.string("orphans").map(OrphanPolicy::fromWireName)
                .orElse(OrphanPolicy.DESTROY), OrphanPolicy.DESTROY);
        Duration orphanGrace = p.attempt(() -> {
            double grace = root.number("orphan_grace").orElse((double) ServerConfig.DEFAULT_ORPHAN_GRACE.toSeconds());
            if (!(grace >= 0) || Double.isInfinite(grace)) {
                throw new InvalidConfigException("orphan_grace", "must be >= 0 seconds, got " + grace);
            }
            return Duration.ofNanos((long) (grace * 1e9));
        }, ServerConfig.DEFAULT_ORPHAN_GRACE);
        String strategy = p.attempt(() -> root.string("routing_strategy").orElse("least-wait"), "least-wait");
        String defaultFormat = p.attempt(() -> root.string("ticket_format").orElse(EndpointConfig.DEFAULT_TICKET_FORMAT),
                EndpointConfig.DEFAULT_TICKET_FORMAT);
        int threads = p.attempt(() -> {
            int t = root.integer("http_threads").orElse(AutoscalerHttpServer.defaultThreads());
            if (t < 1) {
                throw new InvalidConfigException("http_threads", "must be >= 1, got " + t);
            }
            return t;
        }, 1);
        int maxBody = p.attempt(() -> {
            int m = root.integer("max_body_bytes").orElse(256 * 1024);
            if (m < 1024) {
                throw new InvalidConfigException("max_body_bytes", "must be >= 1024, got " + m);
            }
            return m;
        }, 256 * 1024);
        String[] providerName = {""};
        Settings providerSettings = p.attempt(() -> {
            ConfigNode provider = root.object("provider")
                    .orElseThrow(() -> new InvalidConfigException("provider", "is required (e.g. {\"name\": \"vast\"})"));
            p.attempt(() -> providerName[0] = provider.requireString("name"));
            Settings settings = p.attempt(() -> Settings.of("provider.settings", provider.flatMap("settings")), null);
            provider.rejectUnknown(p);
            return settings;
        }, null);

        List<ConfigNode> endpointNodes = p.attempt(() -> root.objects("endpoints"), null);
        if (endpointNodes != null && endpointNodes.isEmpty()) {
            p.add(new InvalidConfigException("endpoints", "at least one endpoint is required"));
        }
        List<EndpointConfig> endpoints = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (ConfigNode e : endpointNodes == null ? List.<ConfigNode>of() : endpointNodes) {
            EndpointConfig endpoint = endpointJson.readEndpoint(e, defaultFormat, p);
            if (endpoint == null) {
                continue;
            }
            if (!names.add(endpoint.name())) {
                p.add(new InvalidConfigException(e.path("endpoint_name"), "duplicate endpoint '" + endpoint.name() + "'"));
            }
            endpoints.add(endpoint);
        }
        boolean dashboard = p.attempt(() -> root.bool("dashboard").orElse(true), true);
        boolean metrics = p.attempt(() -> root.bool("metrics").orElse(true), true);
        String httpServer = p.attempt(() -> root.string("http_server").orElse(ApiServers.DEFAULT), ApiServers.DEFAULT);
        ApiServerOptions defaults = ApiServerOptions.defaults();
        ApiServerOptions httpOptions = p.attempt(() -> new ApiServerOptions(threads,
                root.integer("http_io_threads").orElse(defaults.ioThreads()),
                root.seconds("http_header_timeout", defaults.headerTimeout().toMillis() / 1000.0),
                root.seconds("http_body_timeout", defaults.bodyTimeout().toMillis() / 1000.0),
                root.seconds("http_idle_timeout", defaults.idleTimeout().toMillis() / 1000.0),
                root.integer("http_max_connections_per_address").orElse(defaults.maxConnectionsPerAddress()),
                root.integer("http_max_header_bytes").orElse(defaults.maxHeaderBytes())), defaults);
        Optional<Duration> rotation = p.attempt(() -> {
            Optional<Duration> r = root.has("ed25519_rotation_interval")
                    ? Optional.of(root.seconds("ed25519_rotation_interval", 0)) : Optional.empty();
            // a rotation every overlap or faster would drop the previous key while its tickets are still valid
            Duration overlap = Ed25519KeyRing.DEFAULT_OVERLAP;
            if (r.isPresent() && r.get().compareTo(overlap) <= 0) {
                throw new InvalidConfigException("ed25519_rotation_interval", "must be more than the ticket lifetime"
                        + " plus leeway (" + overlap.toSeconds() + " s), got " + r.get().toSeconds() + " s");
            }
            return r;
        }, Optional.empty());
        List<String> workerUrlHosts = p.attempt(() -> root.strings("worker_url_hosts"), List.of());
        SpendCap spendCap = p.attempt(() -> spendCap(root), SpendCap.NONE);
        Optional<PostgresSettings> postgres = p.attempt(() -> store(root, p), Optional.empty());
        root.rejectUnknown(p);
        if (!p.isEmpty()) {
            return null;
        }
        return new ServerConfig(hostPort[0], Integer.parseInt(hostPort[1]), publicUrl, apiKeys, secret, owner, tick, sync,
                rsaKeyFile, edKeyFile, strategy, providerName[0], providerSettings, threads, maxBody, endpoints, dashboard,
                adminKey, defaultFormat, stateDir, httpServer, httpOptions, rotation, workerUrlHosts, metrics, shutdown,
                shutdownTimeout, orphans, orphanGrace, spendCap, postgres);
    }

    /** The engine's {@code max_cost_per_hour} and {@code storage_price_fraction}. */
    private static SpendCap spendCap(ConfigNode root) {
        OptionalDouble cap = OptionalDouble.empty();
        if (root.has("max_cost_per_hour")) {
            double c = root.number("max_cost_per_hour").orElse(Double.NaN);
            if (!(c > 0) || Double.isInfinite(c)) {
                throw new InvalidConfigException("max_cost_per_hour", "must be a positive $/h, got " + c);
            }
            cap = OptionalDouble.of(c);
        }
        double fraction = root.number("storage_price_fraction").orElse(SpendCap.NONE.storagePriceFraction());
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new InvalidConfigException("storage_price_fraction", "must be in [0, 1], got " + fraction);
        }
        return new SpendCap(cap, fraction);
    }

    /** {@code store: {postgres: {url_env, ...}}}; empty when there is no {@code store}. */
    private Optional<PostgresSettings> store(ConfigNode root, ConfigProblems p) {
        Optional<ConfigNode> store = root.object("store");
        if (store.isEmpty()) {
            return Optional.empty();
        }
        ConfigNode pg = store.get().object("postgres").orElseThrow(() -> new InvalidConfigException("store.postgres",
                "is required in store (the only shared store): {postgres: {url_env: VARIABLE}}"));
        store.get().rejectUnknown(p);
        // the URL only from the environment: it often carries the password, which a config file must not
        String url = p.attempt(() -> {
            if (pg.has("url")) {
                throw new InvalidConfigException(pg.path("url"), "give url_env (the variable holding the JDBC URL), "
                        + "not the URL itself: it may carry a password");
            }
            String var = pg.string("url_env").orElseThrow(() -> new InvalidConfigException(pg.path("url_env"),
                    "is required: the environment variable holding the JDBC URL, e.g. jdbc:postgresql://db:5432/autoscaler"));
            String u = endpointJson.requireEnv(pg.path("url_env"), var);
            if (!u.startsWith("jdbc:postgresql:")) {
                throw new InvalidConfigException(pg.path("url_env"), "the variable " + var
                        + " must hold a JDBC URL starting with jdbc:postgresql:");
            }
            return u;
        }, null);
        Optional<String> user = p.attempt(() -> {
            if (pg.has("user") && pg.has("user_env")) {
                throw new InvalidConfigException(pg.path("user"), "give user or user_env, not both");
            }
            return pg.string("user").or(() -> pg.string("user_env")
                    .map(var -> endpointJson.requireEnv(pg.path("user_env"), var)));
        }, Optional.empty());
        Optional<String> password = p.attempt(() -> {
            if (pg.has("password")) {
                throw new InvalidConfigException(pg.path("password"), "give password_env, not the password itself");
            }
            return pg.string("password_env").map(var -> endpointJson.requireEnv(pg.path("password_env"), var));
        }, Optional.empty());
        String schema = p.attempt(() -> {
            String s = pg.string("schema").orElse("autoscaler");
            if (!s.matches("[a-z_][a-z0-9_]{0,62}")) {
                throw new InvalidConfigException(pg.path("schema"), "must match [a-z_][a-z0-9_]{0,62}, got '" + s + "'");
            }
            return s;
        }, "autoscaler");
        int poolSize = p.attempt(() -> {
            int n = pg.integer("pool_size").orElse(8);
            if (n < 2) {
                // one connection holds the admin lock while the change's statements use another
                throw new InvalidConfigException(pg.path("pool_size"), "must be >= 2, got " + n);
            }
            return n;
        }, 8);
        Duration lease = p.attempt(() -> positiveSeconds(pg, "lease_ttl", PostgresSettings.DEFAULT_LEASE_TTL),
                PostgresSettings.DEFAULT_LEASE_TTL);
        Duration refresh = p.attempt(() -> positiveSeconds(pg, "refresh_interval",
                PostgresSettings.DEFAULT_REFRESH_INTERVAL), PostgresSettings.DEFAULT_REFRESH_INTERVAL);
        Duration flush = p.attempt(() -> positiveSeconds(pg, "flush_interval", PostgresSettings.DEFAULT_FLUSH_INTERVAL),
                PostgresSettings.DEFAULT_FLUSH_INTERVAL);
        Duration staleness = p.attempt(() -> {
            Duration d = positiveSeconds(pg, "max_staleness", PostgresSettings.DEFAULT_MAX_STALENESS);
            if (d.compareTo(flush) <= 0) {
                // a view is always up to one flush old: a bound within that fails routes between flushes
                throw new InvalidConfigException(pg.path("max_staleness"), "must be more than flush_interval ("
                        + flush.toMillis() / 1000.0 + " s), got " + d.toMillis() / 1000.0);
            }
            return d;
        }, PostgresSettings.DEFAULT_MAX_STALENESS);
        String replicaId = p.attempt(() -> pg.string("replica_id").orElseGet(PostgresSettings::defaultReplicaId),
                "replica");
        pg.rejectUnknown(p);
        return url == null ? Optional.empty()
                : Optional.of(new PostgresSettings(url, user, password, schema, poolSize, lease, refresh, flush,
                        staleness, replicaId));
    }

    private static Duration positiveSeconds(ConfigNode node, String field, Duration otherwise) {
        Duration d = node.seconds(field, otherwise.toMillis() / 1000.0);
        if (d.isZero() || d.isNegative()) {
            throw new InvalidConfigException(node.path(field), "must be > 0 seconds, got " + d.toMillis() / 1000.0);
        }
        return d;
    }

    private static String[] listen(ConfigNode root) {
        String listen = root.string("listen").orElse("0.0.0.0:8080");
        int colon = listen.lastIndexOf(':');
        if (colon <= 0) {
            throw new InvalidConfigException("listen", "must be host:port, got '" + listen + "'");
        }
        String host = listen.substring(0, colon).replace("[", "").replace("]", "");
        int port;
        try {
            port = Integer.parseInt(listen.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new InvalidConfigException("listen", "must be host:port, got '" + listen + "'");
        }
        if (port < 0 || port > 65535) {
            throw new InvalidConfigException("listen", "port must be in 0..65535, got " + port);
        }
        return new String[] {host, Integer.toString(port)};
    }

    private static String publicUrl(ConfigNode root) {
        String publicUrl = root.requireString("public_url");
        if (!publicUrl.startsWith("http://") && !publicUrl.startsWith("https://")) {
            throw new InvalidConfigException("public_url", "must start with http:// or https://, got '" + publicUrl + "'");
        }
        if (publicUrl.contains(",")) {
            throw new InvalidConfigException("public_url",
                    "must be a single URL (workers fetch /pubkey/ from the whole REPORT_ADDR string)");
        }
        while (publicUrl.endsWith("/")) {
            publicUrl = publicUrl.substring(0, publicUrl.length() - 1);
        }
        return publicUrl;
    }

    /** The admin API's key, when it is on; at least 16 bytes, as it can remove every endpoint. */
    private Optional<String> adminKey(ConfigNode root) {
        Optional<String> literal = root.string("admin_key");
        Optional<String> fromEnv = root.string("admin_key_env");
        if (literal.isPresent() && fromEnv.isPresent()) {
            throw new InvalidConfigException("admin_key", "give admin_key or admin_key_env, not both");
        }
        String field = literal.isPresent() ? "admin_key" : "admin_key_env";
        Optional<String> key = literal.or(() -> fromEnv.map(var -> endpointJson.requireEnv("admin_key_env", var)));
        if (key.isPresent() && key.get().trim().getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            throw new InvalidConfigException(field, "must have at least " + MIN_SECRET_BYTES + " bytes");
        }
        return key.map(String::trim);
    }

    private byte[] secret(ConfigNode root) {
        Optional<String> literal = root.string("engine_secret");
        Optional<String> fromEnv = root.string("engine_secret_env");
        if (literal.isPresent() && fromEnv.isPresent()) {
            throw new InvalidConfigException("engine_secret", "give engine_secret or engine_secret_env, not both");
        }
        String field = literal.isPresent() ? "engine_secret" : "engine_secret_env";
        String value = literal.orElseGet(() -> fromEnv.map(var -> endpointJson.requireEnv("engine_secret_env", var))
                .orElseThrow(() -> new InvalidConfigException("engine_secret",
                        "is required (engine_secret or engine_secret_env): workers' tokens derive from it, and a "
                                + "restarted engine needs the same secret to recognise its workers")));
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_SECRET_BYTES) {
            throw new InvalidConfigException(field, "must have at least " + MIN_SECRET_BYTES + " bytes");
        }
        return bytes;
    }

}
