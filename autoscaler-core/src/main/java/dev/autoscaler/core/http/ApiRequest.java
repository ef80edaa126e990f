package dev.autoscaler.core.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One HTTP request as {@link AutoscalerApi} sees it, independent of any server library, so that a
 * host application can mount the API in its own server (Netty, Jetty, Spring...) by converting its
 * request into this and {@link ApiResponse} back.
 *
 * @param method  the HTTP method, e.g. {@code POST}
 * @param path    the decoded path, e.g. {@code /route/}; relative to where the API is mounted
 * @param query   the raw query string without {@code ?}, or empty
 * @param headers the request headers; names are matched case-insensitively
 * @param body    the body (already bounded by the host; {@link AutoscalerApi} answers 413 above its limit)
 */
public record ApiRequest(String method, String path, String query, Map<String, List<String>> headers, byte[] body) {
    public ApiRequest {
        method = Objects.requireNonNullElse(method, "").toUpperCase(Locale.ROOT);
        path = Objects.requireNonNullElse(path, "/");
        query = Objects.requireNonNullElse(query, "");
        // Copied once per request on the hot path: plain loops, no streams.
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            for (Map.Entry<String, List<String>> header : headers.entrySet()) {
                String name = header.getKey();
                List<String> values = header.getValue();
                if (name == null || values == null) {
                    continue;
                }
                List<String> merged = new ArrayList<>(copy.getOrDefault(name, List.of()));
                for (String value : values) {
                    if (value != null) {
                        merged.add(value);
                    }
                }
                copy.put(name, List.copyOf(merged));
            }
        }
        headers = java.util.Collections.unmodifiableMap(copy);
        body = body == null ? new byte[0] : body;
    }

    /** {@return a request with no headers, for tests and simple hosts} */
    public static ApiRequest of(String method, String path, String query, byte[] body) {
        return new ApiRequest(method, path, query, Map.of(), body);
    }

    /** {@return the first value of a header, or null} */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
