package dev.autoscaler.core.ticket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autoscaler.spi.TicketClaims;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Objects;

/** Shared fixtures: the Vast signature vectors and claims built from them. */
final class TicketTestSupport {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static JsonNode vectors;

    private TicketTestSupport() {
    }

    static synchronized JsonNode vectors() {
        if (vectors == null) {
            try (InputStream in = Objects.requireNonNull(
                    TicketTestSupport.class.getResourceAsStream("/vast-signature/vectors.json"))) {
                vectors = JSON.readTree(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return vectors;
    }

    static RsaSigningKey vectorKey() {
        return RsaSigningKey.fromPrivateKeyPem(vectors().get("private_key_pem").textValue());
    }

    /** Claims from a vector's fields; absent fields get values the url-only message ignores. */
    static TicketClaims claimsOf(JsonNode fields) {
        JsonNode cost = fields.path("cost");
        Number costValue = cost.isMissingNode() ? 100 : cost.isIntegralNumber() ? (Number) cost.intValue() : cost.doubleValue();
        return new TicketClaims(fields.path("endpoint").asText("ep"), fields.get("url").textValue(), costValue,
                fields.path("reqnum").asLong(0), fields.path("request_idx").asLong(0), "", T0);
    }

    static TicketClaims claims(String url) {
        return new TicketClaims("llama3-prod", url, 242.0, 17, 9001, "worker-7", T0);
    }
}
