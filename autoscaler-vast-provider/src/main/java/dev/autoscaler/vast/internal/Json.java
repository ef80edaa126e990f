package dev.autoscaler.vast.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Lenient readers for Vast's JSON: numbers may arrive as integers, floats, numeric strings or null,
 * and unknown fields are ignored.
 */
public final class Json {
    private Json() {
    }

    public static ObjectMapper mapper() {
        return new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }

    public static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || value.isNull() || value.isContainerNode()) {
            return "";
        }
        return value.asText().trim();
    }

    /** A number, or {@code fallback} when absent, null, not a number or not finite. */
    public static double number(JsonNode node, String field, double fallback) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        double d;
        if (value.isNumber()) {
            d = value.doubleValue();
        } else if (value.isTextual()) {
            try {
                d = Double.parseDouble(value.asText().trim());
            } catch (NumberFormatException e) {
                return fallback;
            }
        } else {
            return fallback;
        }
        return Double.isFinite(d) ? d : fallback;
    }

    /** An id: an integer, or a string of digits; -1 when missing or malformed. */
    public static long id(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || value.isNull()) {
            return -1;
        }
        if (value.canConvertToLong() && value.isIntegralNumber()) {
            return value.longValue();
        }
        try {
            return Long.parseLong(value.asText().trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
