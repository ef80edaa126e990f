package dev.autoscaler.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.autoscaler.EndpointConfig;
import dev.autoscaler.InvalidConfigException;
import dev.autoscaler.core.json.EndpointConfigJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code --param KEY=VALUE} overrides of {@code simulate} and {@code bench}, applied to an endpoint
 * through its wire form ({@link EndpointConfigJson}), so that every name, default and check is the one
 * {@code serve} and the admin API use:
 * <ul>
 *   <li>{@code KEY=VALUE}: an endpoint parameter under its wire name ({@code cold_workers=1},
 *       {@code max_workers=10}, {@code target_queue_time=5}, {@code cold_destroy_delay=0});</li>
 *   <li>{@code groups.NAME.KEY=VALUE}: a parameter of group {@code NAME} ({@code groups.gpus.expected_perf=1800});</li>
 *   <li>{@code policy_params.KEY=VALUE}: a parameter of every policy played;</li>
 *   <li>{@code POLICY:policy_params.KEY=VALUE}: a parameter of policy {@code POLICY} only, for
 *       {@code --policies} lists whose policies take different parameters.</li>
 * </ul>
 * A value that reads as a number or {@code true}/{@code false} is given as one. A bad key or value is
 * a usage error naming {@code --param} and the field.
 */
final class EndpointParams {
    /** One {@code --param}: for every policy when {@code policy} is null. */
    record Param(String policy, String key, String value) {
        @Override
        public String toString() {
            return (policy == null ? "" : policy + ":") + key + "=" + value;
        }
    }

    private final List<Param> params;

    EndpointParams(List<Param> params) {
        this.params = List.copyOf(params);
    }

    static EndpointParams none() {
        return new EndpointParams(List.of());
    }

    boolean isEmpty() {
        return params.isEmpty();
    }

    /** Parses one {@code --param} value; the syntax only (the keys are checked by {@link #apply}). */
    static Param parse(String raw) {
        int eq = raw.indexOf('=');
        if (eq <= 0) {
            throw new UsageException("--param must be KEY=VALUE (e.g. cold_workers=1, policy_params.active=2), got '"
                    + raw + "'");
        }
        String key = raw.substring(0, eq).trim();
        String value = raw.substring(eq + 1).trim();
        String policy = null;
        int colon = key.indexOf(':');
        if (colon >= 0) {
            policy = key.substring(0, colon);
            key = key.substring(colon + 1);
            if (policy.isEmpty() || !key.startsWith("policy_params.")) {
                throw new UsageException("--param " + raw + ": only policy_params take a policy prefix"
                        + " (POLICY:policy_params.KEY=VALUE)");
            }
        }
        if (key.isEmpty() || key.endsWith(".")) {
            throw new UsageException("--param must be KEY=VALUE, got '" + raw + "'");
        }
        switch (key) {
            case "policy" -> throw new UsageException("--param policy: choose the policy with --policy or --policies");
            case "endpoint_name", "groups", "policy_params" -> throw new UsageException("--param " + key
                    + ": cannot be set with --param");
            default -> {
            }
        }
        return new Param(policy, key, value);
    }

    /**
     * The endpoint {@code base} with policy {@code policy} and these overrides. The policy_params of
     * {@code base} are kept only when {@code policy} is {@code base}'s own policy (they belong to it).
     */
    EndpointConfig apply(EndpointConfig base, String policy) {
        EndpointConfig start = base.policy().equals(policy) ? base
                : base.toBuilder().policy(policy).policyParams(Map.of()).build();
        List<Param> mine = new ArrayList<>();
        for (Param p : params) {
            if (p.policy() == null || p.policy().equals(policy)) {
                mine.add(p);
            }
        }
        if (mine.isEmpty()) {
            return start;
        }
        ObjectNode o = EndpointConfigJson.withoutReadOnlyFields(EndpointConfigJson.toJson(start));
        for (Param p : mine) {
            set(o, p);
        }
        EndpointConfig read;
        try {
            read = new EndpointConfigJson(name -> null).readEndpoint(o, start.ticketFormat());
        } catch (InvalidConfigException e) {
            throw new UsageException("--param " + e.getMessage());
        }
        return start.apiKey().isPresent() ? read.toBuilder().apiKey(start.apiKey().get()).build() : read;
    }

    private static void set(ObjectNode endpoint, Param p) {
        String key = p.key();
        if (key.startsWith("policy_params.")) {
            ((ObjectNode) endpoint.get("policy_params")).put(key.substring("policy_params.".length()), p.value());
            return;
        }
        if (key.startsWith("groups.")) {
            String rest = key.substring("groups.".length());
            int dot = rest.lastIndexOf('.');
            if (dot <= 0) {
                throw new UsageException("--param " + p + ": a group parameter is groups.NAME.KEY=VALUE");
            }
            String group = rest.substring(0, dot);
            List<String> names = new ArrayList<>();
            for (JsonNode g : endpoint.get("groups")) {
                names.add(g.get("group_name").asText());
                if (g.get("group_name").asText().equals(group)) {
                    ((ObjectNode) g).set(rest.substring(dot + 1), typed(p.value()));
                    return;
                }
            }
            throw new UsageException("--param " + p + ": no group '" + group + "' (groups: " + String.join(", ", names)
                    + ")");
        }
        endpoint.set(key, typed(p.value()));
    }

    /** A number or a boolean when the text reads as one, else a string: the reader checks the type per field. */
    static JsonNode typed(String value) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (value.equals("true") || value.equals("false")) {
            return nodes.booleanNode(Boolean.parseBoolean(value));
        }
        try {
            return nodes.numberNode(Long.parseLong(value));
        } catch (NumberFormatException notLong) {
            try {
                double d = Double.parseDouble(value);
                if (Double.isFinite(d) && !value.endsWith("d") && !value.endsWith("f") && !value.endsWith("D")
                        && !value.endsWith("F")) {
                    return nodes.numberNode(d);
                }
            } catch (NumberFormatException notNumber) {
                // a string
            }
        }
        return nodes.textNode(value);
    }
}
