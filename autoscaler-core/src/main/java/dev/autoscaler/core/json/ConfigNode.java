package dev.autoscaler.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autoscaler.InvalidConfigException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One object of a configuration file, read with its path ({@code endpoints[0].groups[1]}) so that
 * every error names the field in full. Fields not read are reported by {@link #rejectUnknown()}: a
 * misspelt parameter fails loudly instead of silently keeping its default.
 */
public final class ConfigNode {
    private final JsonNode node;
    private final String path;
    private final Set<String> read = new java.util.HashSet<>();

    public ConfigNode(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw new InvalidConfigException(path.isEmpty() ? "(root)" : path, "must be an object");
        }
        this.node = node;
        this.path = path;
    }

    public String path(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    public boolean has(String field) {
        read.add(field);
        JsonNode v = node.get(field);
        return v != null && !v.isNull();
    }

    private JsonNode get(String field) {
        read.add(field);
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v;
    }

    public Optional<String> string(String field) {
        JsonNode v = get(field);
        if (v == null) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            throw new InvalidConfigException(path(field), "must be a string, got " + v.getNodeType().toString().toLowerCase());
        }
        return Optional.of(v.textValue());
    }

    public String requireString(String field) {
        return string(field).filter(s -> !s.isBlank())
                .orElseThrow(() -> new InvalidConfigException(path(field), "is required"));
    }

    public Optional<Double> number(String field) {
        JsonNode v = get(field);
        if (v == null) {
            return Optional.empty();
        }
        if (!v.isNumber() || !Double.isFinite(v.doubleValue())) {
            throw new InvalidConfigException(path(field), "must be a finite number, got " + v);
        }
        return Optional.of(v.doubleValue());
    }

    public Optional<Integer> integer(String field) {
        JsonNode v = get(field);
        if (v == null) {
            return Optional.empty();
        }
        if (!v.isNumber() || v.doubleValue() != Math.rint(v.doubleValue()) || Math.abs(v.doubleValue()) > Integer.MAX_VALUE) {
            throw new InvalidConfigException(path(field), "must be an integer, got " + v);
        }
        return Optional.of(v.intValue());
    }

    public Optional<Boolean> bool(String field) {
        JsonNode v = get(field);
        if (v == null) {
            return Optional.empty();
        }
        if (!v.isBoolean()) {
            throw new InvalidConfigException(path(field), "must be true or false, got " + v);
        }
        return Optional.of(v.booleanValue());
    }

    public Optional<ConfigNode> object(String field) {
        JsonNode v = get(field);
        return v == null ? Optional.empty() : Optional.of(new ConfigNode(v, path(field)));
    }

    /** A list of objects (empty when absent). */
    public List<ConfigNode> objects(String field) {
        JsonNode v = get(field);
        List<ConfigNode> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (!v.isArray()) {
            throw new InvalidConfigException(path(field), "must be a list");
        }
        for (int i = 0; i < v.size(); i++) {
            out.add(new ConfigNode(v.get(i), path(field) + "[" + i + "]"));
        }
        return out;
    }

    /** A list of strings (empty when absent). */
    public List<String> strings(String field) {
        JsonNode v = get(field);
        List<String> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (!v.isArray()) {
            throw new InvalidConfigException(path(field), "must be a list of strings");
        }
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isTextual()) {
                throw new InvalidConfigException(path(field) + "[" + i + "]", "must be a string");
            }
            out.add(v.get(i).textValue());
        }
        return out;
    }

    /** A list of integers (empty when absent). */
    public List<Integer> integers(String field) {
        JsonNode v = get(field);
        List<Integer> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (!v.isArray()) {
            throw new InvalidConfigException(path(field), "must be a list of integers");
        }
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).canConvertToInt() || !v.get(i).isIntegralNumber()) {
                throw new InvalidConfigException(path(field) + "[" + i + "]", "must be an integer");
            }
            out.add(v.get(i).intValue());
        }
        return out;
    }

    /** A map of scalars as strings (env, policy params); nested objects and lists are flattened with dotted keys. */
    public Map<String, String> flatMap(String field) {
        JsonNode v = get(field);
        Map<String, String> out = new LinkedHashMap<>();
        if (v == null) {
            return out;
        }
        if (!v.isObject()) {
            throw new InvalidConfigException(path(field), "must be an object");
        }
        flatten("", v, out);
        return out;
    }

    private static void flatten(String prefix, JsonNode v, Map<String, String> out) {
        if (v.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = v.properties().iterator();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else if (v.isArray()) {
            for (int i = 0; i < v.size(); i++) {
                flatten(prefix + "." + i, v.get(i), out);
            }
        } else if (!v.isNull()) {
            out.put(prefix, v.asText());
        }
    }

    /** A positive duration given in seconds, or {@code defaultSeconds} when absent. */
    public Duration seconds(String field, double defaultSeconds) {
        double s = number(field).orElse(defaultSeconds);
        if (s <= 0) {
            throw new InvalidConfigException(path(field), "must be > 0 seconds, got " + s);
        }
        return Duration.ofNanos((long) (s * 1e9));
    }

    /** Fails on the first field that no reader asked for. */
    public void rejectUnknown() {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!read.contains(name)) {
                throw new InvalidConfigException(path(name), "unknown field");
            }
        }
    }
}
