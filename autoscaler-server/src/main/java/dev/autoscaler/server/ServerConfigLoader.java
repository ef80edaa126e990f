package dev.autoscaler.server;

import dev.autoscaler.OrphanPolicy;
import dev.autoscaler.ShutdownAction;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.autoscaler.EndpointConfig;
import dev.autoscaler.InvalidConfigException;
import dev.autoscaler.Settings;
import dev.autoscaler.core.http.AutoscalerHttpServer;
import dev.autoscaler.core.json.ConfigNode;
import dev.autoscaler.core.json.EndpointConfigJson;
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
import java.util.Set;
import java.util.function.Function;

/**
 * Reads a {@link ServerConfig} from JSON or YAML (YAML when the file name ends in {@code .yaml} or
 * {@code .yml} and jackson-dataformat-yaml is on the class path). Endpoint and group parameters use
 * the wire names of {@link EndpointConfigJson}; durations are in seconds. Every error is an {@link InvalidConfigException}
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

    /** Reads a file, JSON or YAML by its extension. */
    public ServerConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidConfigException("config", "cannot read " + file + ": " + e.getMessage());
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".yaml") || name.endsWith(".yml") ? parseYaml(text) : parseJson(text);
    }

    public ServerConfig parseJson(String text) {
        return parse(read(JsonMapper.builder().build(), text));
    }

    public ServerConfig parseYaml(String text) {
        ObjectMapper yaml;
        try {
            yaml = (ObjectMapper) Class.forName("com.fasterxml.jackson.dataformat.yaml.YAMLMapper")
                    .getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new InvalidConfigException("config",
                    "YAML needs com.fasterxml.jackson.dataformat:jackson-dataformat-yaml on the class path; use JSON otherwise");
        }
        return parse(read(yaml, text));
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
        ConfigNode root = new ConfigNode(tree, "");
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
        List<String> apiKeys = new ArrayList<>(root.strings("api_keys"));
        root.string("api_keys_env").ifPresent(var -> {
            for (String key : endpointJson.requireEnv("api_keys_env", var).split(",")) {
                if (!key.isBlank()) {
                    apiKeys.add(key.trim());
                }
            }
        });
        byte[] secret = secret(root);
        Optional<String> adminKey = adminKey(root);
        if (adminKey.isPresent() && apiKeys.contains(adminKey.get())) {
            throw new InvalidConfigException(root.has("admin_key") ? "admin_key" : "admin_key_env",
                    "must differ from every api_keys entry: a client key must not administer the server");
        }
        String owner = root.string("owner").orElse("autoscaler");
        if (!owner.matches("^[A-Za-z0-9_-]+$")) {
            throw new InvalidConfigException("owner", "must match ^[A-Za-z0-9_-]+$, got '" + owner + "'");
        }
        Duration tick = root.seconds("tick_interval", 5);
        Duration sync = root.seconds("sync_interval", 60);
        // Keys live in the state directory unless a file is named: a restart keeps /pubkey/ and the
        // Ed25519 key ring, so the workers it re-adopts (which fetched the keys once) still verify.
        Path stateDir = Path.of(root.string("state_dir").orElse(ServerConfig.DEFAULT_STATE_DIR));
        Optional<Path> rsaKeyFile = Optional.of(root.string("rsa_key_file").map(Path::of)
                .orElse(stateDir.resolve("rsa-key.pem")));
        Optional<Path> edKeyFile = Optional.of(root.string("ed25519_key_file").map(Path::of)
                .orElse(stateDir.resolve("ed25519-ring.json")));
        ShutdownAction shutdown = root.string("shutdown").map(ShutdownAction::fromWireName).orElse(ShutdownAction.KEEP);
        Duration shutdownTimeout = root.seconds("shutdown_timeout", ServerConfig.DEFAULT_SHUTDOWN_TIMEOUT.toSeconds());
        OrphanPolicy orphans = root.string("orphans").map(OrphanPolicy::fromWireName).orElse(OrphanPolicy.DESTROY);
        double grace = root.number("orphan_grace").orElse((double) ServerConfig.DEFAULT_ORPHAN_GRACE.toSeconds());
        if (!(grace >= 0) || Double.isInfinite(grace)) {
            throw new InvalidConfigException("orphan_grace", "must be >= 0 seconds, got " + grace);
        }
        String strategy = root.string("routing_strategy").orElse("least-wait");
        String defaultFormat = root.string("ticket_format").orElse(EndpointConfig.DEFAULT_TICKET_FORMAT);
        int threads = root.integer("http_threads").orElse(AutoscalerHttpServer.defaultThreads());
        if (threads < 1) {
            throw new InvalidConfigException("http_threads", "must be >= 1, got " + threads);
        }
        int maxBody = root.integer("max_body_bytes").orElse(256 * 1024);
        if (maxBody < 1024) {
            throw new InvalidConfigException("max_body_bytes", "must be >= 1024, got " + maxBody);
        }
        ConfigNode provider = root.object("provider")
                .orElseThrow(() -> new InvalidConfigException("provider", "is required (e.g. {\"name\": \"vast\"})"));
        String providerName = provider.requireString("name");
        Settings providerSettings = Settings.of("provider.settings", provider.flatMap("settings"));
        provider.rejectUnknown();

        List<ConfigNode> endpointNodes = root.objects("endpoints");
        if (endpointNodes.isEmpty()) {
            throw new InvalidConfigException("endpoints", "at least one endpoint is required");
        }
        List<EndpointConfig> endpoints = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (ConfigNode e : endpointNodes) {
            EndpointConfig endpoint = endpointJson.readEndpoint(e, defaultFormat);
            if (!names.add(endpoint.name())) {
                throw new InvalidConfigException(e.path("endpoint_name"), "duplicate endpoint '" + endpoint.name() + "'");
            }
            endpoints.add(endpoint);
        }
        boolean dashboard = root.bool("dashboard").orElse(true);
        root.rejectUnknown();
        return new ServerConfig(host, port, publicUrl, apiKeys, secret, owner, tick, sync, rsaKeyFile, edKeyFile,
                strategy, providerName, providerSettings, threads, maxBody, endpoints, dashboard, adminKey, defaultFormat,
                stateDir, shutdown, shutdownTimeout, orphans, Duration.ofNanos((long) (grace * 1e9)));
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
