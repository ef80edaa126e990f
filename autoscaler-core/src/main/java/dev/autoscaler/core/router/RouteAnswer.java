package dev.autoscaler.core.router;

import java.util.Objects;

/**
 * The router's answer to one {@code /route/} call (docs/PROTOCOL.md#post-route): either a worker was chosen and a
 * ticket signed, or no worker can take the request now and the client should re-poll with
 * {@link #requestIdx()}.
 */
public sealed interface RouteAnswer permits RouteAnswer.Routed, RouteAnswer.NotReady {

    /** {@return the endpoint's name} */
    String endpoint();

    /** {@return the request's index: the client re-polls with it while not ready} */
    long requestIdx();

    /** {@return a uuid for this answer ({@code __request_id}), for logs on both sides} */
    String requestId();

    /**
     * A worker was chosen.
     *
     * @param url       the worker's base URL, no trailing slash
     * @param cost      the cost as the caller gave it (a Long or a Double: the legacy signature format
     *                  prints {@code 100} and {@code 100.0} differently)
     * @param reqnum    the endpoint's request counter
     * @param signature the ticket, in the endpoint's ticket format
     * @param workerId  the engine's id of the chosen worker (not on the wire)
     */
    record Routed(String endpoint, String url, Number cost, long reqnum, long requestIdx, String signature,
                  String requestId, String workerId) implements RouteAnswer {
        public Routed {
            Objects.requireNonNull(endpoint, "endpoint");
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(cost, "cost");
            Objects.requireNonNull(signature, "signature");
            Objects.requireNonNull(requestId, "requestId");
            Objects.requireNonNull(workerId, "workerId");
        }
    }

    /**
     * No worker can take the request now.
     *
     * @param status a human-readable breakdown of the endpoint's workers by state
     */
    record NotReady(String endpoint, String status, long requestIdx, String requestId) implements RouteAnswer {
        public NotReady {
            Objects.requireNonNull(endpoint, "endpoint");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(requestId, "requestId");
        }
    }
}
