package dev.autoscaler.core.http.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.autoscaler.InvalidRequestException;
import java.io.IOException;

/**
 * Reads request bodies. Python's {@code json.dumps} writes {@code NaN} and {@code Infinity} for such
 * floats, so a broken worker's report can hold them: they are parsed (instead of failing the whole
 * body) so that the answer can name the field that holds them.
 */
public final class JsonBodies {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();
    public static final JsonFactory FACTORY = MAPPER.getFactory();

    private JsonBodies() {
    }

    /** The body as a JSON object; a 400 naming {@code body} for anything else. */
    public static ObjectNode object(byte[] body) {
        if (body.length == 0) {
            throw new InvalidRequestException("body", "is empty; a JSON object is required");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("body", "is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException | RuntimeException e) {
            throw new InvalidRequestException("body", "is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw new InvalidRequestException("body", "must be a JSON object");
        }
        return (ObjectNode) node;
    }
}
