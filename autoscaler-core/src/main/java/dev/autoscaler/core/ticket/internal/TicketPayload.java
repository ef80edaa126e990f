package dev.autoscaler.core.ticket.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.Objects;

/**
 * The signed part of an {@code ed25519} ticket, and its canonical form: compact JSON with sorted keys
 * and Python's escaping and number printing, i.e. what {@code json.dumps(p, separators=(",", ":"),
 * sort_keys=True)} prints, so a non-Java verifier can rebuild it. Times are Unix seconds.
 *
 * @param cost an integer type when the client sent an integer, a {@code Double} otherwise
 */
public record TicketPayload(String aud, Number cost, String endpoint, long exp, long iat, String jti, String kid,
                            long reqnum, long requestIdx, String url) {

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    public TicketPayload {
        Objects.requireNonNull(aud, "aud");
        Objects.requireNonNull(cost, "cost");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(jti, "jti");
        Objects.requireNonNull(kid, "kid");
        Objects.requireNonNull(url, "url");
    }

    /** The canonical JSON text (pure ASCII). Keys are written in sorted order by hand: it is the hot path. */
    public String toCanonicalJson() {
        StringBuilder out = new StringBuilder(160 + url.length() + endpoint.length() + aud.length());
        out.append("{\"aud\":");
        PythonJson.appendString(out, aud);
        out.append(",\"cost\":");
        PythonJson.appendNumber(out, cost);
        out.append(",\"endpoint\":");
        PythonJson.appendString(out, endpoint);
        out.append(",\"exp\":").append(exp);
        out.append(",\"iat\":").append(iat);
        out.append(",\"jti\":");
        PythonJson.appendString(out, jti);
        out.append(",\"kid\":");
        PythonJson.appendString(out, kid);
        out.append(",\"reqnum\":").append(reqnum);
        out.append(",\"request_idx\":").append(requestIdx);
        out.append(",\"url\":");
        PythonJson.appendString(out, url);
        return out.append('}').toString();
    }

    /**
     * Reads a payload; strict about shape (one JSON object, no duplicate keys, every field present
     * with its type) but not about key order or spacing: the signature, not the parser, decides
     * whether the bytes are the engine's.
     *
     * @throws IllegalArgumentException naming the field that is missing or of the wrong type
     */
    public static TicketPayload parse(byte[] json) {
        JsonNode root;
        try (JsonParser parser = STRICT.createParser(json)) {
            root = STRICT.readTree(parser);
        } catch (IOException e) {
            throw new IllegalArgumentException("payload is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("payload is not a JSON object");
        }
        return new TicketPayload(text(root, "aud"), number(root, "cost"), text(root, "endpoint"),
                integer(root, "exp"), integer(root, "iat"), text(root, "jti"), text(root, "kid"),
                integer(root, "reqnum"), integer(root, "request_idx"), text(root, "url"));
    }

    private static String text(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || !node.isTextual()) {
            throw new IllegalArgumentException(field + ": missing or not a string");
        }
        return node.textValue();
    }

    private static long integer(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || !node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new IllegalArgumentException(field + ": missing or not an integer");
        }
        return node.longValue();
    }

    private static Number number(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || !node.isNumber()) {
            throw new IllegalArgumentException(field + ": missing or not a number");
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? (Number) node.longValue() : node.bigIntegerValue();
        }
        return node.doubleValue();
    }
}
