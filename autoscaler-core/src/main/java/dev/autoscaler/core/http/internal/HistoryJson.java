package dev.autoscaler.core.http.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.autoscaler.GroupTarget;
import dev.autoscaler.WorkerState;
import dev.autoscaler.core.history.DecisionHistory;
import dev.autoscaler.core.history.EndpointTimeline;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** Writes the decision history and the timeline as JSON, for {@code /decisions/} and the dashboard. */
public final class HistoryJson {
    private HistoryJson() {
    }

    /** {@code [{"at": ISO, "last_at": ISO, "changed", "count", "reason", "targets": {...}, "previous": {...}}, ...]}, oldest first. */
    public static void decisions(JsonGenerator g, List<DecisionHistory.Entry> entries) throws IOException {
        g.writeStartArray();
        for (DecisionHistory.Entry e : entries) {
            g.writeStartObject();
            g.writeStringField("at", e.at().toString());
            g.writeStringField("last_at", e.lastAt().toString());
            g.writeBooleanField("changed", e.changed());
            g.writeNumberField("count", e.count());
            g.writeStringField("reason", e.reason());
            targets(g, "targets", e.targets());
            targets(g, "previous", e.previous());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void targets(JsonGenerator g, String field, Map<String, GroupTarget> targets) throws IOException {
        g.writeObjectFieldStart(field);
        for (var t : new java.util.TreeMap<>(targets).entrySet()) {
            g.writeObjectFieldStart(t.getKey());
            g.writeNumberField("active", t.getValue().active());
            g.writeNumberField("cold", t.getValue().cold());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    /**
     * {@code {"resolution_s", "window_s", "samples": [{"t": epoch ms, "load", "ready_capacity", "waiting",
     * "cost_per_hour", "queue_p95_s" (null when nothing was routed), "routed", "workers": {state: n}}]}}.
     */
    public static void timeline(JsonGenerator g, EndpointTimeline timeline, String endpoint) throws IOException {
        g.writeStartObject();
        g.writeNumberField("resolution_s", timeline.resolution().toMillis() / 1000.0);
        g.writeNumberField("window_s", timeline.window().toSeconds());
        g.writeArrayFieldStart("samples");
        for (EndpointTimeline.Sample s : timeline.samples(endpoint)) {
            g.writeStartObject();
            g.writeNumberField("t", s.at().toEpochMilli());
            g.writeNumberField("load", s.load());
            g.writeNumberField("ready_capacity", s.readyCapacity());
            g.writeNumberField("waiting", s.waiting());
            g.writeNumberField("cost_per_hour", s.costPerHour());
            if (Double.isNaN(s.queueP95())) {
                g.writeNullField("queue_p95_s");
            } else {
                g.writeNumberField("queue_p95_s", s.queueP95());
            }
            g.writeNumberField("routed", s.routed());
            g.writeObjectFieldStart("workers");
            for (WorkerState state : WorkerState.values()) {
                Integer n = s.workers().get(state);
                if (n != null) {
                    g.writeNumberField(state.wireName(), n);
                }
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }
}
