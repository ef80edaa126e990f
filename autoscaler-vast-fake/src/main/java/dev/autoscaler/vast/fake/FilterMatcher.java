package dev.autoscaler.vast.fake;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates a Vast search filter ({@code {"gpu_ram": {"gte": 24000}, "gpu_name": {"in": [...]}}})
 * against one JSON object, the way the fake's search and list do. Numbers compare numerically, also
 * when one side is a numeric string (the Vast CLI sends numbers as strings). A field the object
 * lacks matches nothing but {@code neq} and {@code notin}.
 */
final class FilterMatcher {
    /** Keys of a search body that are not field filters. */
    static final Set<String> NOT_FILTERS = Set.of("order", "type", "limit", "allocated_storage", "disable_bundling",
            "extra_ids");

    private FilterMatcher() {
    }

    static boolean matches(JsonNode filter, JsonNode object) {
        if (filter == null || !filter.isObject()) {
            return true;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = filter.properties().iterator();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> entry = fields.next();
            if (NOT_FILTERS.contains(entry.getKey()) || !entry.getValue().isObject()) {
                continue;
            }
            JsonNode actual = object.get(entry.getKey());
            Iterator<Map.Entry<String, JsonNode>> ops = entry.getValue().properties().iterator();
            while (ops.hasNext()) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (!test(op.getKey(), actual, op.getValue())) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean test(String op, JsonNode actual, JsonNode wanted) {
        boolean missing = actual == null || actual.isMissingNode();
        switch (op) {
            case "eq":
                return !missing && same(actual, wanted);
            case "neq":
                return missing || !same(actual, wanted);
            case "gt", "gte", "lt", "lte": {
                if (missing) {
                    return false;
                }
                Double a = number(actual);
                Double w = number(wanted);
                if (a == null || w == null) {
                    return false;
                }
                int cmp = Double.compare(a, w);
                return switch (op) {
                    case "gt" -> cmp > 0;
                    case "gte" -> cmp >= 0;
                    case "lt" -> cmp < 0;
                    default -> cmp <= 0;
                };
            }
            case "in", "notin": {
                boolean found = false;
                if (!missing && wanted.isArray()) {
                    for (JsonNode item : wanted) {
                        if (same(actual, item)) {
                            found = true;
                            break;
                        }
                    }
                }
                return op.equals("in") == found;
            }
            default:
                throw new IllegalArgumentException("unknown operator '" + op + "'");
        }
    }

    static boolean same(JsonNode a, JsonNode b) {
        if (a.isNull() || b.isNull()) {
            return a.isNull() && b.isNull();
        }
        if (a.isBoolean() || b.isBoolean()) {
            return a.asText().equalsIgnoreCase(b.asText());
        }
        Double x = number(a);
        Double y = number(b);
        if (x != null && y != null) {
            return x.doubleValue() == y.doubleValue();
        }
        return a.asText().equals(b.asText());
    }

    static Double number(JsonNode node) {
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isTextual()) {
            try {
                return Double.parseDouble(node.asText().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
