package dev.autoscaler.core.config;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.autoscaler.EndpointConfig;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.WorkerTemplate;

/**
 * Writes endpoint and group configurations as JSON with the wire names {@link ServerConfigLoader}
 * reads, so that what the admin API shows can be edited and sent back. The endpoint's
 * {@code api_key} is never written: it is a secret, and callers only learn whether one is set
 * ({@code has_api_key}, which {@link #withoutReadOnlyFields} drops again before reading).
 */
public final class EndpointConfigJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private EndpointConfigJson() {
    }

    public static ObjectNode endpoint(EndpointConfig e) {
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
        o.put("has_api_key", e.apiKey().isPresent());
        ArrayNode groups = o.putArray("groups");
        e.groups().forEach(g -> groups.add(group(g)));
        return o;
    }

    public static ObjectNode group(WorkerGroupConfig g) {
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

    /** A copy without what {@link #endpoint} adds for reading only, so that it can be sent back as is. */
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
