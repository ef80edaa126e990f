package dev.autoscaler.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.autoscaler.EndpointConfig;
import dev.autoscaler.EndpointState;
import dev.autoscaler.InvalidConfigException;
import dev.autoscaler.Settings;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.WorkerTemplate;
import dev.autoscaler.core.config.internal.ConfigNode;
import dev.autoscaler.core.http.AutoscalerHttpServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads a {@link ServerConfig} from JSON or YAML (YAML when the file name ends in {@code .yaml} or
 * {@code .yml} and jackson-dataformat-yaml is on the class path). Endpoint and group parameters use
 * the wire names of docs/PROTOCOL.md#endpoint-parameters; durations are in seconds. Every error is an {@link InvalidConfigException}
 * naming the field by its full path, e.g. {@code endpoints[0].groups[1].gpu_ram}, and unknown fields
 * are errors, so that a misspelt parameter does not silently keep its default.
 *
 * <pre>{@code
 * listen: 0.0.0.0:8080
 * public_url: https://autoscaler.example.com
 * api_keys: [my-client-key]
 * engine_secret_env: AUTOSCALER_SECRET        # or engine_secret: "at least 16 characters"
 * admin_key_env: AUTOSCALER_ADMIN_KEY         # optional: turns the admin API on (/admin/endpoints...)
 * rsa_key_file: /var/lib/autoscaler/rsa.pem   # kept across restarts: workers fetch /pubkey/ once
 * ed25519_key_file: /var/lib/autoscaler/ed25519.json
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

    private final Function<String, String> env;

    /** A loader that reads {@code *_env} indirections from the process environment. */
    public ServerConfigLoader() {
        this(System::getenv);
    }

    /** A loader with its own environment (for tests). */
    public ServerConfigLoader(Function<String, String> env) {
        this.env = Objects.requireNonNull(env, "env");
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
            for (String key : requireEnv("api_keys_env", var).split(",")) {
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
        Duration tick = seconds(root, "tick_interval", 5);
        Duration sync = seconds(root, "sync_interval", 60);
        Optional<Path> rsaKeyFile = root.string("rsa_key_file").map(Path::of);
        Optional<Path> edKeyFile = root.string("ed25519_key_file").map(Path::of);
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
            EndpointConfig endpoint = endpoint(e, defaultFormat);
            if (!names.add(endpoint.name())) {
                throw new InvalidConfigException(e.path("endpoint_name"), "duplicate endpoint '" + endpoint.name() + "'");
            }
            endpoints.add(endpoint);
        }
        boolean dashboard = root.bool("dashboard").orElse(true);
        root.rejectUnknown();
        return new ServerConfig(host, port, publicUrl, apiKeys, secret, owner, tick, sync, rsaKeyFile, edKeyFile,
                strategy, providerName, providerSettings, threads, maxBody, endpoints, dashboard, adminKey, defaultFormat);
    }

    /**
     * Reads one endpoint object, with the same wire names and checks as an entry of the serve
     * config's {@code endpoints} list (the admin API takes these). Errors name fields from the
     * object's root: {@code target_util}, {@code groups[1].gpu_ram}.
     *
     * @param defaultTicketFormat the {@code ticket_format} when the object gives none
     */
    public EndpointConfig readEndpoint(JsonNode node, String defaultTicketFormat) {
        return endpoint(new ConfigNode(node, ""), defaultTicketFormat);
    }

    /** Reads one group object, as an entry of an endpoint's {@code groups} list. */
    public WorkerGroupConfig readGroup(JsonNode node) {
        return group(new ConfigNode(node, ""));
    }

    /** The admin API's key, when it is on; at least 16 bytes, as it can remove every endpoint. */
    private Optional<String> adminKey(ConfigNode root) {
        Optional<String> literal = root.string("admin_key");
        Optional<String> fromEnv = root.string("admin_key_env");
        if (literal.isPresent() && fromEnv.isPresent()) {
            throw new InvalidConfigException("admin_key", "give admin_key or admin_key_env, not both");
        }
        String field = literal.isPresent() ? "admin_key" : "admin_key_env";
        Optional<String> key = literal.or(() -> fromEnv.map(var -> requireEnv("admin_key_env", var)));
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
        String value = literal.orElseGet(() -> fromEnv.map(var -> requireEnv("engine_secret_env", var))
                .orElseThrow(() -> new InvalidConfigException("engine_secret",
                        "is required (engine_secret or engine_secret_env): workers' tokens derive from it, and a "
                                + "restarted engine needs the same secret to recognise its workers")));
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_SECRET_BYTES) {
            throw new InvalidConfigException(field, "must have at least " + MIN_SECRET_BYTES + " bytes");
        }
        return bytes;
    }

    private String requireEnv(String field, String variable) {
        String value = env.apply(variable);
        if (value == null || value.isEmpty()) {
            throw new InvalidConfigException(field, "environment variable " + variable + " is not set");
        }
        return value;
    }

    private static Duration seconds(ConfigNode node, String field, double defaultSeconds) {
        double s = node.number(field).orElse(defaultSeconds);
        if (s <= 0) {
            throw new InvalidConfigException(node.path(field), "must be > 0 seconds, got " + s);
        }
        return Duration.ofNanos((long) (s * 1e9));
    }

    private EndpointConfig endpoint(ConfigNode e, String defaultFormat) {
        EndpointConfig.Builder b = EndpointConfig.builder(e.requireString("endpoint_name"));
        try {
            e.number("min_load").ifPresent(b::minLoad);
            e.number("min_cold_load").ifPresent(b::minColdLoad);
            e.number("target_util").ifPresent(b::targetUtil);
            e.number("cold_mult").ifPresent(b::coldMult);
            e.integer("cold_workers").ifPresent(b::coldWorkers);
            e.integer("max_workers").ifPresent(b::maxWorkers);
            e.number("max_queue_time").ifPresent(b::maxQueueTime);
            e.number("target_queue_time").ifPresent(b::targetQueueTime);
            e.number("inactivity_timeout").ifPresent(b::inactivityTimeout);
            e.string("endpoint_state").ifPresent(s -> b.state(EndpointState.fromWireName(s)));
            e.string("policy").ifPresent(b::policy);
            Map<String, String> params = e.flatMap("policy_params");
            b.policyParams(params);
            b.ticketFormat(e.string("ticket_format").orElse(defaultFormat));
            Optional<String> key = e.string("api_key");
            Optional<String> keyEnv = e.string("api_key_env");
            if (key.isPresent() && keyEnv.isPresent()) {
                throw new InvalidConfigException("api_key", "give api_key or api_key_env, not both");
            }
            key.ifPresent(b::apiKey);
            keyEnv.ifPresent(var -> b.apiKey(requireEnv("api_key_env", var)));
            if (e.has("loading_timeout")) {
                b.loadingTimeout(seconds(e, "loading_timeout", 1));
            }
            if (e.has("resume_timeout")) {
                b.resumeTimeout(seconds(e, "resume_timeout", 1));
            }
            if (e.has("drain_timeout")) {
                b.drainTimeout(seconds(e, "drain_timeout", 1));
            }
            if (e.has("cold_destroy_delay")) {
                double delay = e.number("cold_destroy_delay").orElse(0.0);
                if (delay < 0) {
                    throw new InvalidConfigException(e.path("cold_destroy_delay"), "must be >= 0 seconds, got " + delay);
                }
                b.coldDestroyDelay(Duration.ofNanos((long) (delay * 1e9)));
            }
            List<ConfigNode> groups = e.objects("groups");
            if (groups.isEmpty()) {
                throw new InvalidConfigException("groups", "at least one worker group is required");
            }
            for (ConfigNode g : groups) {
                b.addGroup(group(g));
            }
            e.rejectUnknown();
            return b.build();
        } catch (InvalidConfigException ex) {
            throw qualified(e, ex);
        }
    }

    private static WorkerGroupConfig group(ConfigNode g) {
        try {
            WorkerGroupConfig.Builder b = WorkerGroupConfig.builder(g.requireString("group_name"));
            Optional<ConfigNode> template = g.object("template");
            String hash = g.string("template_hash").or(() -> g.string("template_id")).orElse("");
            Optional<String> image = g.string("image");
            if (template.isPresent()) {
                ConfigNode t = template.get();
                WorkerTemplate wt;
                try {
                    wt = new WorkerTemplate(t.string("image").orElse(image.orElse("")),
                            t.string("template_hash").orElse(hash), t.flatMap("env"), t.string("onstart").orElse(""),
                            t.number("disk").orElse(WorkerTemplate.DEFAULT_DISK_GB), t.integers("ports"));
                } catch (InvalidConfigException ex) {
                    throw new InvalidConfigException(t.path(ex.field().replace("template.", "")), message(ex));
                }
                t.rejectUnknown();
                b.template(wt);
            } else if (!hash.isEmpty() || image.isPresent()) {
                b.template(new WorkerTemplate(image.orElse(""), hash, Map.of(), "", WorkerTemplate.DEFAULT_DISK_GB, List.of()));
            }
            g.string("search_params").ifPresent(b::searchParams);
            g.string("launch_args").ifPresent(b::launchArgs);
            g.number("gpu_ram").ifPresent(b::gpuRamGb);
            g.integer("cold_workers").ifPresent(b::coldWorkers);
            g.number("weight").ifPresent(b::weight);
            g.bool("overflow").ifPresent(b::overflow);
            g.number("max_price_per_hour").ifPresent(b::maxPricePerHour);
            g.number("expected_perf").ifPresent(b::expectedPerf);
            g.string("provider").ifPresent(b::provider);
            g.integer("worker_port").ifPresent(b::workerPort);
            g.integer("max_workers").ifPresent(b::maxWorkers);
            g.rejectUnknown();
            return b.build();
        } catch (InvalidConfigException ex) {
            throw qualified(g, ex);
        }
    }

    /** Prefixes a builder's field name ({@code gpu_ram}) with the node's path, unless it already has one. */
    private static InvalidConfigException qualified(ConfigNode node, InvalidConfigException ex) {
        String probe = node.path("");
        if (probe.isEmpty()) {
            return ex; // a root object: the field is already the full path
        }
        String prefix = probe.substring(0, probe.length() - 1);
        if (ex.field().startsWith(prefix)) {
            return ex;
        }
        return new InvalidConfigException(node.path(ex.field()), message(ex));
    }

    private static String message(InvalidConfigException ex) {
        String m = ex.getMessage();
        String head = ex.field() + ": ";
        return m.startsWith(head) ? m.substring(head.length()) : m;
    }
}
