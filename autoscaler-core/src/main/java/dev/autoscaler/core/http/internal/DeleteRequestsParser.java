package dev.autoscaler.core.http.internal;

import dev.autoscaler.InvalidRequestException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a {@code /delete_requests/} body in either of its forms (docs/PROTOCOL.md#post-delete_requests): a flat
 * {@code request_idxs} list with one {@code success}, or a {@code requests} list of objects each with
 * its {@code request_idx}, {@code success}, {@code status} and timestamps. Both lists may be present;
 * their indices are joined.
 */
public final class DeleteRequestsParser {
    private DeleteRequestsParser() {
    }

    /** What a delete_requests body says. */
    public record DeleteRequests(long workerId, String mtoken, List<Long> requestIdxs) {
    }

    public static DeleteRequests parse(byte[] body) {
        JsonFields f = new JsonFields(JsonBodies.object(body));
        long workerId = f.has("worker_id") || !f.has("id") ? f.requireId("worker_id") : f.requireId("id");
        String mtoken = f.requireString("mtoken");
        List<Long> idxs = new ArrayList<>();
        List<Long> flat = f.optionalLongList("request_idxs");
        if (flat != null) {
            idxs.addAll(flat);
            f.optionalBoolean("success", true);
        }
        List<JsonFields> entries = f.optionalObjectList("requests");
        if (entries != null) {
            for (JsonFields entry : entries) {
                idxs.add(entry.requireId("request_idx"));
                entry.optionalBoolean("success", true);
                entry.optionalString("status");
                entry.optionalNumber("entered_queue_at");
                entry.optionalNumber("work_started_at");
                entry.optionalNumber("work_completed_at");
            }
        }
        if (flat == null && entries == null) {
            throw new InvalidRequestException("request_idxs", "is required (or a requests list)");
        }
        return new DeleteRequests(workerId, mtoken, idxs);
    }
}
