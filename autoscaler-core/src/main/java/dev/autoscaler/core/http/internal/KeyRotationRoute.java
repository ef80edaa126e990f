package dev.autoscaler.core.http.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.autoscaler.core.ticket.Ed25519KeyRing;
import dev.autoscaler.core.ticket.Ed25519SigningKey;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST /admin/tickets/ed25519/rotate}: rotates the Ed25519 ticket keys now (next becomes current,
 * current becomes previous for the overlap, a fresh key is next) and answers the ring as it is then.
 * While the previous key of an earlier rotation is still within its overlap, a second rotation would
 * cut its last tickets short: 409, unless {@code ?force=true} (a key that leaked is worth that).
 */
public final class KeyRotationRoute {
    public static final String PATH = "/admin/tickets/ed25519/rotate/";

    /** The answer: status and body. */
    public record Result(int status, ObjectNode body) {
    }

    private final Ed25519KeyRing ring;

    public KeyRotationRoute(Ed25519KeyRing ring) {
        this.ring = ring;
    }

    /** Checks and rotates under the ring's lock, so that two calls at once cannot both pass the check. */
    public Result handle(String rawQuery) {
        synchronized (ring) {
            return checkAndRotate(rawQuery);
        }
    }

    private Result checkAndRotate(String rawQuery) {
        List<String> force = QueryString.values(rawQuery, "force");
        boolean forced = !force.isEmpty() && force.get(0).equalsIgnoreCase("true");
        Optional<java.time.Instant> overlapEnds = ring.previousValidUntil();
        if (overlapEnds.isPresent() && !forced) {
            ObjectNode body = JsonBodies.MAPPER.createObjectNode();
            body.put("error", "the previous key is valid until " + overlapEnds.get() + " (tickets it signed may still be"
                    + " in use); rotating again now would refuse them: add ?force=true to rotate anyway");
            return new Result(409, body);
        }
        ring.rotate();
        return new Result(200, describe());
    }

    /** {@code {"current": kid, "next": kid, "previous": kid, "previous_valid_until": ISO-8601}}. */
    private ObjectNode describe() {
        ObjectNode body = JsonBodies.MAPPER.createObjectNode();
        body.put("current", ring.current().kid());
        body.put("next", ring.next().kid());
        Optional<Ed25519SigningKey> previous = ring.previous();
        previous.ifPresent(k -> body.put("previous", k.kid()));
        ring.previousValidUntil().ifPresent(until -> body.put("previous_valid_until", until.toString()));
        return body;
    }
}
