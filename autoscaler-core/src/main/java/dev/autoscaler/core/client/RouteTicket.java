package dev.autoscaler.core.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A {@code /route/} answer that names a worker. The worker wants the whole answer back as
 * {@code auth_data}, exactly as the engine wrote it (the legacy signature covers {@code cost} as an
 * integer or a float), so the client keeps the JSON object itself.
 */
public record RouteTicket(ObjectNode answer) {
    public RouteTicket {
        Objects.requireNonNull(answer, "answer");
        answer = answer.deepCopy();
    }

    /**
     * The worker's base URL.
     *
     * @return the {@code url} of the route answer
     */
    public String url() {
        return answer.path("url").asText();
    }

    /**
     * The request's index.
     *
     * @return the {@code request_idx} of the route answer
     */
    public long requestIdx() {
        return answer.path("request_idx").asLong();
    }

    /**
     * The endpoint's request number.
     *
     * @return the {@code reqnum} of the route answer
     */
    public long reqnum() {
        return answer.path("reqnum").asLong();
    }

    /**
     * The ticket.
     *
     * @return the {@code signature} of the route answer
     */
    public String signature() {
        return answer.path("signature").asText();
    }
}
