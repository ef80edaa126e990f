package dev.autoscaler.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.autoscaler.EndpointConfig;
import dev.autoscaler.EndpointState;
import dev.autoscaler.InvalidConfigException;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.WorkerTemplate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The endpoint and group objects on the wire: read (the admin API's bodies, the entries of the serve
 * config's {@code endpoints} list) and written (what the admin API shows), with the same names, so
 * that what is shown can be edited and sent back. Every read error is an {@link InvalidConfigException}
 * naming the field by its path ({@code endpoints[0].groups[1].gpu_ram}); unknown fields are errors,
 * so that a misspelt parameter does not silently keep its default. Durations are in seconds.
 *
 * <p>The endpoint's {@code api_key} is never written: it is a secret, and callers only learn whether
 * one is set ({@code has_api_key}, which {@link #withoutReadOnlyFields} drops again before reading).
 */
public final class EndpointConfigJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Function<String, String> env;

    /** A reader that resolves {@code api_key_env} from the process environment. */
    public EndpointConfigJson() {
        this(System::getenv);
    }

    /** A reader with its own environment (for tests, or a host application's secrets). */
    public EndpointConfigJson(Function<String, String> env) {
        this.env = Objects.requireNonNull(env, "env");
    }

    /**
     * Reads one endpoint object. Errors name fields from the object's root: {@code target_util},
     * {@code groups[1].gpu_ram}.
     *
     * @param defaultTicketFormat the {@code ticket_format} when the object gives none
     */
    public EndpointConfig readEndpoint(JsonNode node, String defaultTicketFormat) {
        return readEndpoint(new ConfigNode(node, ""), defaultTicketFormat);
    }

    /** Reads one group object, as an entry of an endpoint's {@code groups} list. */
    public WorkerGroupConfig readGroup(JsonNode node) {
        return readGroup(new ConfigNode(node, ""));
    }

    /** Reads one endpoint object found at the node's path (errors name the full path); throws the first error. */
    public EndpointConfig readEndpoint(ConfigNode e, String defaultTicketFormat) {
        ConfigProblems problems = new ConfigProblems();
        EndpointConfig config = readEndpoint(e, defaultTicketFormat, problems);
        problems.throwFirst();
        return config;
    }

    /**
     * Reads one endpoint object found at the node's path, recording every error (each named by its
     * full path) in {@code problems} rather than stopping at the first.
     *
     * @return the endpoint, or null when an error was found
     */
    public EndpointConfig readEndpoint(ConfigNode e, String defaultTicketFormat, ConfigProblems all) {
        ConfigProblems p = all.qualifiedBy(ex -> qualified(e, ex));
        int before = all.all().size();
        String name = p.attempt(() -> e.requireString("endpoint_name"), "endpoint");
        EndpointConfig.Builder b = p.attempt(() -> EndpointConfig.builder(name), EndpointConfig.builder("endpoint"));
        p.attempt(() -> e.number("min_load").ifPresent(b::minLoad));
        p.attempt(() -> e.number("min_cold_load").ifPresent(b::minColdLoad));
        p.attempt(() -> e.number("target_util").ifPresent(b::targetUtil));
        p.attempt(() -> e.number("cold_mult").ifPresent(b::coldMult));
        p.attempt(() -> e.integer("cold_workers").ifPresent(b::coldWorkers));
        p.attempt(() -> e.integer("max_workers").ifPresent(b::maxWorkers));
        p.attempt(() -> e.number("max_queue_time").ifPresent(b::maxQueueTime));
        p.attempt(() -> e.number("max_cost").ifPresent(b::maxCost));
        p.attempt(() -> e.number("max_cost_per_hour").ifPresent(b::maxCostPerHour));
        p.attempt(() -> e.number("target_queue_time").ifPresent(b::targetQueueTime));
        p.attempt(() -> e.number("inactivity_timeout").ifPresent(b::inactivityTimeout));
        p.attempt(() -> e.string("endpoint_state").ifPresent(s -> b.state(EndpointState.fromWireName(s))));
        p.attempt(() -> e.string("policy").ifPresent(b::policy));
        p.attempt(() -> b.policyParams(e.flatMap("policy_params")));
        p.attempt(() -> b.ticketFormat(e.string("ticket_format").orElse(defaultTicketFormat)));
        p.attempt(() -> {
            Optional<String> key = e.string("api_key");
            Optional<String> keyEnv = e.string("api_key_env");
            if (key.isPresent() && keyEnv.isPresent()) {
                throw new InvalidConfigException("api_key", "give api_key or api_key_env, not both");
            }
            key.ifPresent(b::apiKey);
            keyEnv.ifPresent(var -> b.apiKey(requireEnv("api_key_env", var)));
        });
        p.attempt(() -> {
            if (e.has("loading_timeout")) {
                b.loadingTimeout(e.seconds("loading_timeout", 1));
            }
        });
        p.attempt(() -> {
            if (e.has("resume_timeout")) {
                b.resumeTimeout(e.seconds("resume_timeout", 1));
            }
        });
        p.attempt(() -> {
            if (e.has("drain_timeout")) {
                b.drainTimeout(e.seconds("drain_timeout", 1));
            }
        });
        p.attempt(() -> {
            if (e.has("stale_after")) {
                b.staleAfter(e.seconds("stale_after", 1));
            }
        });
        p.attempt(() -> {
            if (e.has("silent_after")) {
                b.silentAfter(e.seconds("silent_after", 1));
            }
        });
        p.attempt(() -> {
            if (e.has("cold_destroy_delay")) {
                double delay = e.number("cold_destroy_delay").orElse(0.0);
                if (delay < 0) {
                    throw new InvalidConfigException(e.path("cold_destroy_delay"), "must be >= 0 seconds, got " + delay);
                }
                b.coldDestroyDelay(Duration.ofNanos((long) (delay * 1e9)));
            }
        });
        List<ConfigNode> groups = p.attempt(() -> e.objects("groups"), null);
        if (groups == null) {
            groups = List.of(); // its error is recorded
        } else if (groups.isEmpty()) {
            p.add(new InvalidConfigException("groups", "at least one worker group is required"));
        }
        for (ConfigNode g : groups) {
            WorkerGroupConfig group = readGroup(g, all);
            if (group != null) {
                p.attempt(() -> b.addGroup(group));
            }
        }
        e.rejectUnknown(p);
        // built even after an error, so that the builder's own checks (a value's range) report too
        var built = p.attempt(b::build, null);
        return all.all().size() > before ? null : built;
    }

    /** Reads one group object found at the node's path (errors name the full path); throws the first error. */
    public WorkerGroupConfig readGroup(ConfigNode g) {
        ConfigProblems problems = new ConfigProblems();
        WorkerGroupConfig group = readGroup(g, problems);
        problems.throwFirst();
        return group;
    }

    /** Reads one group object, recording every error in {@code problems}; null when one was found. */
    public WorkerGroupConfig readGroup(ConfigNode g, ConfigProblems all) {
        ConfigProblems p = all.qualifiedBy(ex -> qualified(g, ex));
        int before = all.all().size();
        String name = p.attempt(() -> g.requireString("group_name"), "group");
        WorkerGroupConfig.Builder b = p.attempt(() -> WorkerGroupConfig.builder(name), WorkerGroupConfig.builder("group"));
        p.attempt(() -> {
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
                    throw new InvalidConfigException(t.path(ex.field().replace("template.", "")), ex.reason());
                }
                t.rejectUnknown();
                b.template(wt);
            } else if (!hash.isEmpty() || image.isPresent()) {
                b.template(new WorkerTemplate(image.orElse(""), hash, Map.of(), "", WorkerTemplate.DEFAULT_DISK_GB, List.of()));
            }
        });
        p.attempt(() -> g.string("search_params").ifPresent(b::searchParams));
        p.attempt(() -> g.string("launch_args").ifPresent(b::launchArgs));
        p.attempt(() -> g.number("gpu_ram").ifPresent(b::gpuRamGb));
        p.attempt(() -> g.integer("cold_workers").ifPresent(b::coldWorkers));
        p.attempt(() -> g.number("weight").ifPresent(b::weight));
        p.attempt(() -> g.bool("overflow").ifPresent(b::overflow));
        p.attempt(() -> g.number("max_price_per_hour").ifPresent(b::maxPricePerHour));
        p.attempt(() -> g.number("expected_perf").ifPresent(b::expectedPerf));
        p.attempt(() -> g.string("provider").ifPresent(b::provider));
        p.attempt(() -> g.integer("worker_port").ifPresent(b::workerPort));
        p.attempt(() -> g.integer("max_workers").ifPresent(b::maxWorkers));
        g.rejectUnknown(p);
        // built even after an error, so that the builder's own checks (a value's range) report too
        var built = p.attempt(b::build, null);
        return all.all().size() > before ? null : built;
    }

    /** {@return the value of an environment variable a {@code *_env} field names; an error naming the field when unset} */
    public String requireEnv(String field, String variable) {
        String value = env.apply(variable);
        if (value == null || value.isEmpty()) {
            throw new InvalidConfigException(field, "environment variable " + variable + " is not set");
        }
        return value;
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
        return new InvalidConfigException(node.path(ex.field()), ex.reason());
    }

    /** {@return an endpoint as the admin API shows it (no secret)} */
    public static ObjectNode toJson(EndpointConfig e) {
        ObjectNode o = NODES.objectNode();
        o.put("endpoint_name", e.name());
        o.put("min_load", e.minLoad());
        o.put("min_cold_load", e.minColdLoad());
        o.put("target_util", e.targetUtil());
        o.put("cold_mult", e.coldMult());
        o.put("cold_workers", e.coldWorkers());
        o.put("max_workers", e.maxWorkers());
        o.put("max_queue_time", e.maxQueueTime());
        o.put("target_queue_time", e.targetQueueTime());
        e.inactivityTimeout().ifPresent(t -> o.put("inactivity_timeout", t));
        o.put("endpoint_state", e.state().wireName());
        o.put("policy", e.policy());
        ObjectNode params = o.putObject("policy_params");
        e.policyParams().asMap().forEach(params::put);
        o.put("ticket_format", e.ticketFormat());
        o.put("loading_timeout", e.loadingTimeout().toNanos() / 1e9);
        o.put("resume_timeout", e.resumeTimeout().toNanos() / 1e9);
        o.put("cold_destroy_delay", e.coldDestroyDelay().toNanos() / 1e9);
        o.put("drain_timeout", e.drainTimeout().toNanos() / 1e9);
        o.put("max_cost", e.maxCost());
        e.maxCostPerHour().ifPresent(c -> o.put("max_cost_per_hour", c));
        o.put("stale_after", e.staleAfter().toNanos() / 1e9);
        o.put("silent_after", e.silentAfter().toNanos() / 1e9);
        o.put("has_api_key", e.apiKey().isPresent());
        ArrayNode groups = o.putArray("groups");
        e.groups().forEach(g -> groups.add(toJson(g)));
        return o;
    }

    /** {@return a group as the admin API shows it} */
    public static ObjectNode toJson(WorkerGroupConfig g) {
        ObjectNode o = NODES.objectNode();
        o.put("group_name", g.name());
        WorkerTemplate t = g.template();
        ObjectNode template = o.putObject("template");
        template.put("image", t.image());
        template.put("template_hash", t.templateHash());
        ObjectNode env = template.putObject("env");
        t.env().forEach(env::put);
        template.put("onstart", t.onstart());
        template.put("disk", t.diskGb());
        ArrayNode ports = template.putArray("ports");
        t.ports().forEach(ports::add);
        o.put("search_params", g.searchParams());
        o.put("launch_args", g.launchArgs());
        o.put("gpu_ram", g.gpuRamGb());
        g.coldWorkers().ifPresent(n -> o.put("cold_workers", n));
        o.put("weight", g.weight());
        o.put("overflow", g.overflow());
        g.maxPricePerHour().ifPresent(p -> o.put("max_price_per_hour", p));
        g.expectedPerf().ifPresent(p -> o.put("expected_perf", p));
        g.provider().ifPresent(p -> o.put("provider", p));
        o.put("worker_port", g.workerPort());
        g.maxWorkers().ifPresent(n -> o.put("max_workers", n));
        return o;
    }

    /**
     * An endpoint as a store keeps it: what {@link #toJson(EndpointConfig)} shows, with the
     * {@code api_key} itself instead of {@code has_api_key}, so that {@link #readEndpoint} gives it back
     * whole. It holds a secret: whoever writes it must keep it as private as the key.
     *
     * @param e the endpoint
     * @return its JSON, secret included
     */
    public static ObjectNode toStoredJson(EndpointConfig e) {
        ObjectNode o = withoutReadOnlyFields(toJson(e));
        e.apiKey().ifPresent(key -> o.put("api_key", key));
        return o;
    }

    /** {@return a copy without what {@link #toJson(EndpointConfig)} adds for reading only, so that it can be sent back as is} */
    public static ObjectNode withoutReadOnlyFields(ObjectNode endpoint) {
        ObjectNode copy = endpoint.deepCopy();
        copy.remove("has_api_key");
        if (copy.get("groups") instanceof com.fasterxml.jackson.databind.node.ArrayNode groups) {
            for (var group : groups) {
                if (group instanceof ObjectNode g) {
                    g.remove("rollout"); // the admin API's read-only progress of a group's rolling update
                }
            }
        }
        return copy;
    }
}
