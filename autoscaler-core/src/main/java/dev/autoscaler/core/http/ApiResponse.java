package dev.autoscaler.core.http;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * One HTTP response from {@link AutoscalerApi}: write the status, the content type, the extra
 * headers and the body as they are.
 *
 * @param status      the HTTP status
 * @param contentType e.g. {@code application/json}
 * @param headers     extra headers (e.g. {@code Allow} on a 405)
 * @param body        the body
 */
public record ApiResponse(int status, String contentType, Map<String, String> headers, byte[] body) {
    /** The content type of JSON answers. */
    public static final String JSON = "application/json";

    public ApiResponse {
        Objects.requireNonNull(contentType, "contentType");
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    /**
     * A JSON answer.
     *
     * @param status the HTTP status
     * @param body the JSON bytes
     * @return the response
     */
    public static ApiResponse json(int status, byte[] body) {
        return new ApiResponse(status, JSON, Map.of(), body);
    }

    /**
     * A text answer.
     *
     * @param status the HTTP status
     * @param contentType its content type
     * @param body the text, sent as UTF-8
     * @return the response
     */
    public static ApiResponse text(int status, String contentType, String body) {
        return new ApiResponse(status, contentType, Map.of(), body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The body as UTF-8 text.
     *
     * @return the body
     */
    public String bodyAsString() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
