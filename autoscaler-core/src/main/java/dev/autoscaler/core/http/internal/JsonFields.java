package dev.autoscaler.core.http.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.autoscaler.InvalidRequestException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Typed reads of one JSON object's fields, each failure an {@link InvalidRequestException} naming the
 * field. Numbers may be integers or floats on the wire (docs/PROTOCOL.md#conventions): an integer field accepts a
 * float with an integral value. A field that is absent or {@code null} counts as absent.
 */
public final class JsonFields {
    private final ObjectNode node;
    private final String prefix;

    public JsonFields(ObjectNode node) {
        this(node, "");
    }

    public JsonFields(ObjectNode node, String prefix) {
        this.node = node;
        this.prefix = prefix;
    }

    public boolean has(String field) {
        JsonNode v = node.get(field);
        return v != null && !v.isNull();
    }

    public String requireString(String field) {
        String v = optionalString(field);
        if (v == null) {
            throw missing(field);
        }
        return v;
    }

    /** A string, or null when absent. */
    public String optionalString(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw wrong(field, "must be a string, got " + kind(v));
        }
        return v.textValue();
    }

    /** A finite number, or empty when absent. */
    public OptionalDouble optionalNumber(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return OptionalDouble.empty();
        }
        if (!v.isNumber()) {
            throw wrong(field, "must be a number, got " + kind(v));
        }
        double d = v.doubleValue();
        if (!Double.isFinite(d)) {
            throw wrong(field, "must be a finite number, got " + v.asText());
        }
        return OptionalDouble.of(d);
    }

    /** A finite number that must not be negative (a load), or {@code 0} when absent. */
    public double load(String field) {
        double d = optionalNumber(field).orElse(0);
        if (d < 0) {
            throw wrong(field, "must be >= 0, got " + d);
        }
        return d;
    }

    /**
     * The number exactly as sent: a Long for an integer, a Double for a float (the legacy signature
     * prints them differently); null when absent.
     */
    public Number optionalWireNumber(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber()) {
            throw wrong(field, "must be a number, got " + kind(v));
        }
        if (v.isIntegralNumber()) {
            if (!v.canConvertToLong()) {
                throw wrong(field, "is out of range: " + v.asText());
            }
            return v.longValue();
        }
        double d = v.doubleValue();
        if (!Double.isFinite(d)) {
            throw wrong(field, "must be a finite number, got " + v.asText());
        }
        return d;
    }

    /** An integer (or a float with an integral value), or empty when absent. */
    public OptionalLong optionalLong(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(toLong(field, v));
    }

    /** Like {@link #optionalLong} but also accepts a string of digits, as ids sometimes are. */
    public OptionalLong optionalId(String field) {
        JsonNode v = node.get(field);
        if (v != null && v.isTextual()) {
            String s = v.textValue().trim();
            try {
                return OptionalLong.of(Long.parseLong(s));
            } catch (NumberFormatException e) {
                throw wrong(field, "must be an integer, got '" + abbreviate(s) + "'");
            }
        }
        return optionalLong(field);
    }

    public long requireId(String field) {
        OptionalLong v = optionalId(field);
        if (v.isEmpty()) {
            throw missing(field);
        }
        return v.getAsLong();
    }

    public boolean optionalBoolean(String field, boolean defaultValue) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return defaultValue;
        }
        if (!v.isBoolean()) {
            throw wrong(field, "must be true or false, got " + kind(v));
        }
        return v.booleanValue();
    }

    /** A list of integers, or null when absent. */
    public List<Long> optionalLongList(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray()) {
            throw wrong(field, "must be a list of integers, got " + kind(v));
        }
        List<Long> out = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            out.add(toLong(field + "[" + i + "]", v.get(i)));
        }
        return out;
    }

    /** A list of objects, or null when absent. */
    public List<JsonFields> optionalObjectList(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray()) {
            throw wrong(field, "must be a list of objects, got " + kind(v));
        }
        List<JsonFields> out = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            if (!item.isObject()) {
                throw wrong(field + "[" + i + "]", "must be an object, got " + kind(item));
            }
            out.add(new JsonFields((ObjectNode) item, prefix + field + "[" + i + "]."));
        }
        return out;
    }

    private long toLong(String field, JsonNode v) {
        if (v == null || !v.isNumber()) {
            throw wrong(field, "must be an integer, got " + kind(v));
        }
        if (v.isIntegralNumber()) {
            if (!v.canConvertToLong()) {
                throw wrong(field, "is out of range: " + abbreviate(v.asText()));
            }
            return v.longValue();
        }
        double d = v.doubleValue();
        if (!Double.isFinite(d) || d != Math.rint(d) || Math.abs(d) > 9.007199254740992E15) {
            throw wrong(field, "must be an integer, got " + abbreviate(v.asText()));
        }
        return (long) d;
    }

    private InvalidRequestException missing(String field) {
        return new InvalidRequestException(prefix + field, "is required");
    }

    private InvalidRequestException wrong(String field, String message) {
        return new InvalidRequestException(prefix + field, message);
    }

    static String kind(JsonNode v) {
        if (v == null || v.isNull()) {
            return "null";
        }
        if (v.isTextual()) {
            return "a string";
        }
        if (v.isBoolean()) {
            return "a boolean";
        }
        if (v.isArray()) {
            return "a list";
        }
        if (v.isObject()) {
            return "an object";
        }
        if (v.isNumber()) {
            return "a number (" + abbreviate(v.asText()) + ")";
        }
        return v.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    }

    static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
