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

    public String url() {
        return answer.path("url").asText();
    }

    public long requestIdx() {
        return answer.path("request_idx").asLong();
    }

    public long reqnum() {
        return answer.path("reqnum").asLong();
    }

    public String signature() {
        return answer.path("signature").asText();
    }
}
