package dev.autoscaler.core.http.internal;

import dev.autoscaler.OrphanInstance;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.autoscaler.EndpointConfig;
import dev.autoscaler.GroupTarget;
import dev.autoscaler.NotFoundException;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import dev.autoscaler.core.Autoscaler;
import dev.autoscaler.core.compare.HardwareComparison;
import dev.autoscaler.core.history.DecisionHistory;
import dev.autoscaler.core.history.EndpointTimeline;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@code GET /dashboard/state.json} serves: every endpoint with a summary of its config, its
 * targets and last decision reason; every group with its targets and worker counts; every worker
 * with its state, load, perf, GPU, price and URL. Never a secret: no API key, no mtoken, no engine
 * secret is written (the records carry mtokens; this writer names each field it copies instead).
 * <p>
 * When the API has a {@link HardwareComparison}, {@code comparisons} holds each endpoint's report,
 * the same JSON as {@code GET /comparison/?endpoint=NAME} (see {@code ComparisonReport.toJson}).
 * That route asks for the endpoint's API key, as a client would call it; the dashboard shows it
 * without one, as it shows everything the comparison is made of (GPUs, prices, perf, states): the
 * figures are aggregates of what the page shows already, no secret. Turning the dashboard off hides
 * both. Without a comparison the field is absent and the page shows no comparison section.
 * <p>
 * With a {@link DecisionHistory}, each endpoint carries its last decisions with their reasons (holds
 * included), and with an {@link EndpointTimeline} its {@code history} for the charts: made of the
 * same figures the page shows live, no secret either.
 */
public final class DashboardState {
    private DashboardState() {
    }

    public static byte[] json(Autoscaler engine) {
        return json(engine, null);
    }

    /** With each endpoint's hardware comparison, when {@code comparison} is not null. */
    public static byte[] json(Autoscaler engine, HardwareComparison comparison) {
        return json(engine, comparison, null, null);
    }

    /**
     * With, per endpoint, its last {@value #DECISIONS_SHOWN} decisions ({@code decisions}, when
     * {@code decisions} is not null) and its timeline ({@code history}, when {@code timeline} is not null).
     */
    public static byte[] json(Autoscaler engine, HardwareComparison comparison, DecisionHistory decisions,
                              EndpointTimeline timeline) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try (JsonGenerator g = JsonBodies.FACTORY.createGenerator(out)) {
            write(g, engine, comparison, decisions, timeline);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Decisions per endpoint on the dashboard; {@code /decisions/} serves the whole history. */
    public static final int DECISIONS_SHOWN = 20;

    private static void write(JsonGenerator g, Autoscaler engine, HardwareComparison comparison,
                              DecisionHistory decisions, EndpointTimeline timeline) throws IOException {
        List<EndpointConfig> endpoints = new ArrayList<>();
        for (String name : engine.endpointNames()) {
            try {
                endpoints.add(engine.endpoint(name));
            } catch (NotFoundException removed) {
                // removed since endpointNames(): not shown
            }
        }
        g.writeStartObject();
        g.writeArrayFieldStart("endpoints");
        for (EndpointConfig e : endpoints) {
            g.writeStartObject();
            g.writeStringField("name", e.name());
            g.writeStringField("state", e.state().wireName());
            g.writeStringField("policy", e.policy());
            g.writeNumberField("min_load", e.minLoad());
            g.writeNumberField("target_util", e.targetUtil());
            g.writeNumberField("cold_mult", e.coldMult());
            g.writeNumberField("cold_workers", e.coldWorkers());
            g.writeNumberField("max_workers", e.maxWorkers());
            g.writeNumberField("max_queue_time", e.maxQueueTime());
            g.writeNumberField("target_queue_time", e.targetQueueTime());
            g.writeObjectFieldStart("targets");
            for (Map.Entry<String, GroupTarget> t : safeTargets(engine, e.name()).entrySet()) {
                g.writeObjectFieldStart(t.getKey());
                g.writeNumberField("active", t.getValue().active());
                g.writeNumberField("cold", t.getValue().cold());
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeStringField("last_decision_reason", safeReason(engine, e.name()));
            // the spend cap: what the endpoint's instances cost now (stopped ones at storage price), its
            // cap, and the last time the cap cut what the policy asked for
            g.writeNumberField("cost_per_hour", safeCost(engine, e.name()));
            if (e.maxCostPerHour().isPresent()) {
                g.writeNumberField("max_cost_per_hour", e.maxCostPerHour().getAsDouble());
            }
            g.writeStringField("spend_cap_cut", safeSpendCut(engine, e.name()));
            if (decisions != null) {
                g.writeFieldName("decisions");
                List<DecisionHistory.Entry> all = decisions.entries(e.name());
                HistoryJson.decisions(g, all.subList(Math.max(0, all.size() - DECISIONS_SHOWN), all.size()));
            }
            if (timeline != null) {
                g.writeFieldName("history");
                HistoryJson.timeline(g, timeline, e.name());
            }
            g.writeEndObject();
        }
        g.writeEndArray();

        List<WorkerRecord> workers = new ArrayList<>();
        g.writeArrayFieldStart("groups");
        for (EndpointConfig e : endpoints) {
            List<WorkerRecord> ofEndpoint = safeWorkers(engine, e.name());
            workers.addAll(ofEndpoint);
            Map<String, GroupTarget> targets = safeTargets(engine, e.name());
            for (WorkerGroupConfig group : e.groups()) {
                GroupTarget t = targets.get(group.name());
                List<WorkerRecord> members = ofEndpoint.stream().filter(w -> w.group().equals(group.name())).toList();
                g.writeStartObject();
                g.writeStringField("endpoint", e.name());
                g.writeStringField("name", group.name());
                g.writeNumberField("target_active", t == null ? 0 : t.active());
                g.writeNumberField("target_cold", t == null ? 0 : t.cold());
                g.writeNumberField("workers", members.stream().filter(w -> w.state() != WorkerState.DESTROYED).count());
                g.writeNumberField("ready", members.stream().filter(w -> w.state() == WorkerState.READY).count());
                g.writeNumberField("ready_perf", members.stream().filter(w -> w.state() == WorkerState.READY)
                        .mapToDouble(WorkerRecord::perf).sum());
                g.writeNumberField("cur_load", members.stream().mapToDouble(WorkerRecord::curLoad).sum());
                g.writeNumberField("price_per_hour", members.stream()
                        .filter(w -> w.state() != WorkerState.DESTROYED && w.state() != WorkerState.STOPPED)
                        .mapToDouble(WorkerRecord::pricePerHour).sum());
                g.writeEndObject();
            }
        }
        g.writeEndArray();

        g.writeArrayFieldStart("workers");
        for (WorkerRecord w : workers) {
            g.writeStartObject();
            g.writeStringField("endpoint", w.endpoint());
            g.writeStringField("id", w.instanceId() == null || w.instanceId().isEmpty() ? w.workerId() : w.instanceId());
            g.writeStringField("worker_id", w.workerId());
            g.writeStringField("group", w.group());
            g.writeStringField("state", w.state().wireName());
            g.writeNumberField("cur_load", w.curLoad());
            g.writeNumberField("perf", w.perf());
            g.writeNumberField("max_perf", w.maxPerf());
            g.writeNumberField("reqs_working", w.numRequestsWorking());
            g.writeStringField("gpu", w.gpuName());
            g.writeNumberField("price_per_hour", w.pricePerHour());
            g.writeStringField("url", w.url());
            g.writeEndObject();
        }
        g.writeEndArray();

        // why the engine holds back (no list yet, or too old), and instances labelled ours that no
        // configured endpoint owns: both shown until resolved
        g.writeStringField("waiting_reason", engine.waitingReason().orElse(""));
        g.writeNumberField("cost_per_hour", engine.costPerHour());
        if (engine.maxCostPerHour().isPresent()) {
            g.writeNumberField("max_cost_per_hour", engine.maxCostPerHour().getAsDouble());
        }
        g.writeArrayFieldStart("orphans");
        for (OrphanInstance o : engine.orphans()) {
            g.writeStartObject();
            g.writeStringField("provider", o.provider());
            g.writeStringField("instance_id", o.instanceId());
            g.writeStringField("label", o.label());
            g.writeStringField("status", o.status());
            g.writeNumberField("seconds_seen", Math.round(o.secondsSeen()));
            g.writeStringField("policy", o.policy().wireName());
            g.writeNumberField("seconds_until_action", Math.round(o.secondsUntilAction()));
            g.writeEndObject();
        }
        g.writeEndArray();

        if (comparison != null) {
            g.writeArrayFieldStart("comparisons");
            for (EndpointConfig e : endpoints) {
                g.writeRawValue(comparison.comparison(e.name()).toJson());
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    private static Map<String, GroupTarget> safeTargets(Autoscaler engine, String endpoint) {
        try {
            Map<String, GroupTarget> t = engine.targets(endpoint);
            return t == null ? Map.of() : t;
        } catch (NotFoundException removed) {
            return Map.of();
        }
    }

    private static double safeCost(Autoscaler engine, String endpoint) {
        try {
            return engine.costPerHour(endpoint);
        } catch (NotFoundException removed) {
            return 0;
        }
    }

    private static String safeSpendCut(Autoscaler engine, String endpoint) {
        try {
            return engine.lastSpendCut(endpoint).orElse("");
        } catch (NotFoundException removed) {
            return "";
        }
    }

    private static String safeReason(Autoscaler engine, String endpoint) {
        try {
            return engine.lastDecisionReason(endpoint);
        } catch (NotFoundException removed) {
            return null;
        }
    }

    private static List<WorkerRecord> safeWorkers(Autoscaler engine, String endpoint) {
        try {
            return engine.workers(endpoint);
        } catch (NotFoundException removed) {
            return List.of();
        }
    }
}
