package dev.autoscaler.core.client;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What a worker answered.
 *
 * @param status the HTTP status
 * @param body   the body as received
 * @param ticket the route answer the call was made with
 */
public record WorkerResponse(int status, byte[] body, RouteTicket ticket) {
    public WorkerResponse {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(ticket, "ticket");
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
