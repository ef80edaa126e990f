package dev.autoscaler.vast.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * What an error answer of the Vast API says. Vast uses several shapes:
 * {@code {"success":false,"error":"no_such_ask","msg":"..."}}, {@code {"msg":"..."}} alone,
 * {@code {"message":"..."}} alone, {@code {"error":"..."}} alone, {@code {"detail":"..."}}, and
 * plain text (429s in particular). This reads them all.
 *
 * @param code    Vast's machine-readable error code, or empty
 * @param message the human-readable text, or empty
 */
public record ErrorBody(String code, String message) {
    private static final int MAX_TEXT = 300;

    public static ErrorBody parse(ObjectMapper json, String body) {
        if (body == null || body.isBlank()) {
            return new ErrorBody("", "");
        }
        String trimmed = body.trim();
        if (trimmed.startsWith("{")) {
            try {
                JsonNode node = json.readTree(trimmed);
                if (node != null && node.isObject()) {
                    return fromJson(node);
                }
            } catch (IOException notJson) {
                // some proxies answer text that merely starts with a brace: keep it as text
            }
        }
        return new ErrorBody("", shorten(trimmed));
    }

    /** Reads the error fields of a JSON answer (also used for 200 answers with "success": false). */
    public static ErrorBody fromJson(JsonNode node) {
        String msg = text(node, "msg");
        if (msg.isEmpty()) {
            msg = text(node, "message");
        }
        if (msg.isEmpty()) {
            msg = text(node, "detail");
        }
        String error = text(node, "error");
        if (msg.isEmpty() && !error.isEmpty() && error.contains(" ")) {
            // {"error": "Some sentence"}: the error field holds a message, not a code
            return new ErrorBody("", shorten(error));
        }
        return new ErrorBody(error, shorten(msg));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return "";
        }
        return value.isValueNode() ? value.asText().trim() : value.toString();
    }

    private static String shorten(String text) {
        String oneLine = text.replaceAll("\\s+", " ").trim();
        return oneLine.length() <= MAX_TEXT ? oneLine : oneLine.substring(0, MAX_TEXT) + "...";
    }

    /** "code: message", "code", "message" or "(no details)". */
    public String describe() {
        if (code.isEmpty() && message.isEmpty()) {
            return "(no details)";
        }
        if (code.isEmpty()) {
            return message;
        }
        return message.isEmpty() ? code : code + ": " + message;
    }
}
