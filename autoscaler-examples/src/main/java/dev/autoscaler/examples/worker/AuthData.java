package dev.autoscaler.examples.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autoscaler.spi.TicketClaims;
import java.time.Instant;
import java.util.List;

/**
 * The {@code auth_data} object a client forwards from the route answer. Vast's worker library
 * requires {@code cost, endpoint, reqnum, request_idx, signature, url} (422 naming the first one
 * missing); numbers may be integers or floats on the wire, and the cost keeps its wire form because
 * the legacy signature prints {@code 100} and {@code 100.0} differently.
 */
record AuthData(String endpoint, String url, Number cost, long reqnum, long requestIdx, String signature) {

    static final List<String> REQUIRED = List.of("cost", "endpoint", "reqnum", "request_idx", "signature", "url");

    /** Thrown for a missing or malformed field; the worker answers 422 with the message. */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message);
        }
    }

    static AuthData parse(JsonNode authData) throws Invalid {
        if (authData == null || !authData.isObject()) {
            throw new Invalid("auth_data is required and must be an object");
        }
        for (String field : REQUIRED) {
            if (!authData.hasNonNull(field)) {
                throw new Invalid("auth_data." + field + " is required");
            }
        }
        JsonNode cost = authData.get("cost");
        if (!cost.isNumber() || !Double.isFinite(cost.asDouble()) || cost.asDouble() < 0) {
            throw new Invalid("auth_data.cost must be a non-negative number");
        }
        return new AuthData(text(authData, "endpoint"), text(authData, "url"), cost.numberValue(),
                integer(authData, "reqnum"), integer(authData, "request_idx"), text(authData, "signature"));
    }

    TicketClaims claims(String audience, Instant now) {
        return new TicketClaims(endpoint, url, cost, reqnum, requestIdx, audience, now);
    }

    private static String text(JsonNode node, String field) throws Invalid {
        JsonNode v = node.get(field);
        if (!v.isTextual()) {
            throw new Invalid("auth_data." + field + " must be a string");
        }
        return v.asText();
    }

    private static long integer(JsonNode node, String field) throws Invalid {
        JsonNode v = node.get(field);
        if (!v.isNumber() || v.asDouble() != Math.rint(v.asDouble())) {
            throw new Invalid("auth_data." + field + " must be an integer");
        }
        return v.asLong();
    }
}
