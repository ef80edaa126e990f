package dev.autoscaler.vast;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autoscaler.vast.internal.Json;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One instance of the account, as the instance lists ({@code GET /api/v1/instances/} and the
 * legacy {@code GET /api/v0/instances/}) return it; the fields the provider uses.
 *
 * @param id             the instance (contract) id
 * @param label          its label, or empty
 * @param actualStatus   {@code actual_status}: empty (null on the wire: provisioning), loading,
 *                       running, stopped, frozen, exited, rebooting, unknown, offline
 * @param intendedStatus {@code intended_status}: running, stopped, frozen, or empty
 * @param curState       {@code cur_state}: running, stopped, unloaded, or empty
 * @param statusMsg      {@code status_msg}, a human-readable detail
 * @param publicIp       {@code public_ipaddr}, or empty
 * @param hostPorts      the first host port of each mapped container port, keyed like Vast's
 *                       {@code ports} ({@code "3000/tcp"}); empty unless running
 * @param gpuName        e.g. {@code RTX 4090}
 * @param numGpus        GPUs rented
 * @param dphTotal       price in $/h
 * @param startDate      {@code start_date} in epoch seconds, or 0
 * @param reliability    {@code reliability2} in [0, 1] (1 when absent)
 * @param env            the instance's environment ({@code extra_env}), when the API returns it
 */
public record VastInstance(long id, String label, String actualStatus, String intendedStatus, String curState,
                           String statusMsg, String publicIp, Map<String, String> hostPorts, String gpuName,
                           int numGpus, double dphTotal, double startDate, double reliability,
                           Map<String, String> env) {

    public VastInstance {
        hostPorts = Map.copyOf(hostPorts);
        env = Map.copyOf(env);
    }

    public static VastInstance fromJson(JsonNode node) {
        return new VastInstance(Json.id(node, "id"), Json.text(node, "label"),
                Json.text(node, "actual_status"), Json.text(node, "intended_status"), Json.text(node, "cur_state"),
                Json.text(node, "status_msg"), Json.text(node, "public_ipaddr"), hostPorts(node.get("ports")),
                Json.text(node, "gpu_name"), (int) Json.number(node, "num_gpus", 1),
                Json.number(node, "dph_total", 0), Json.number(node, "start_date", 0),
                Math.max(0, Math.min(1, Json.number(node, "reliability2", Json.number(node, "reliability", 1)))),
                env(node.get("extra_env")));
    }

    /** {@code {"3000/tcp": [{"HostIp": "0.0.0.0", "HostPort": "41234"}, ...]}} -> {"3000/tcp": "41234"}. */
    private static Map<String, String> hostPorts(JsonNode ports) {
        Map<String, String> result = new LinkedHashMap<>();
        if (ports == null || !ports.isObject()) {
            return result;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = ports.properties().iterator();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> entry = fields.next();
            JsonNode bindings = entry.getValue();
            JsonNode first = bindings != null && bindings.isArray() && !bindings.isEmpty() ? bindings.get(0) : null;
            String hostPort = Json.text(first, "HostPort");
            if (!hostPort.isEmpty()) {
                result.put(entry.getKey(), hostPort);
            }
        }
        return result;
    }

    /** {@code extra_env} comes as a list of [key, value] pairs, or (older answers) as an object. */
    private static Map<String, String> env(JsonNode extraEnv) {
        Map<String, String> result = new LinkedHashMap<>();
        if (extraEnv == null) {
            return result;
        }
        if (extraEnv.isArray()) {
            for (JsonNode pair : extraEnv) {
                if (pair.isArray() && pair.size() >= 2 && pair.get(0).isValueNode()) {
                    result.put(pair.get(0).asText(), pair.get(1).isNull() ? "" : pair.get(1).asText());
                }
            }
        } else if (extraEnv.isObject()) {
            extraEnv.properties().forEach(e -> result.put(e.getKey(), e.getValue().asText()));
        }
        return result;
    }
}
