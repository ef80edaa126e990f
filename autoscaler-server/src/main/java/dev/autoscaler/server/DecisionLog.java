package dev.autoscaler.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.autoscaler.AutoscalerEvent;
import dev.autoscaler.GroupTarget;
import dev.autoscaler.core.history.DecisionHistory;
import dev.autoscaler.spi.AutoscalerListener;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * One log line per scaling decision, for people ({@code text}: key=value, through the logger
 * {@value #LOGGER} at INFO) or machines ({@code json}: one JSON object per line). A decision is a
 * tick that changes a target, or one that holds them for a reason of another kind than the last line
 * said (a hold for stale figures after a scale-down step, say): a hold repeated tick after tick with
 * only its numbers changing is written once, as the decision history folds it.
 *
 * <pre>
 * decision endpoint=llama changed=true targets=rtx4090:3+2 previous=rtx4090:2+2 reason="forecast 5130.2/s ..."
 * {"ts":"2026-12-04T17:00:05Z","level":"INFO","logger":"dev.autoscaler.decisions","event":"decision","endpoint":"llama",...}
 * </pre>
 * Targets read {@code group:active+cold}.
 */
public final class DecisionLog implements AutoscalerListener {
    public static final String LOGGER = "dev.autoscaler.decisions";
    private static final JsonFactory JSON = new JsonFactory();

    /** How the lines are written. */
    public enum Format {
        TEXT, JSON;

        /** {@code text} or {@code json}. */
        public static Format of(String name) {
            return switch (name) {
                case "text" -> TEXT;
                case "json" -> JSON;
                default -> throw new IllegalArgumentException("--log-format must be text or json, got '" + name + "'");
            };
        }
    }

    private final Format format;
    private final Consumer<String> sink;
    private final Map<String, String> lastReason = new ConcurrentHashMap<>();

    /**
     * @param sink where each line goes (text: usually the {@value #LOGGER} logger's INFO; json: standard output)
     */
    public DecisionLog(Format format, Consumer<String> sink) {
        this.format = format;
        this.sink = sink;
    }

    /** The default sinks: text through slf4j at INFO, JSON lines on standard output. */
    public static DecisionLog standard(Format format) {
        if (format == Format.TEXT) {
            org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(LOGGER);
            return new DecisionLog(format, log::info);
        }
        return new DecisionLog(format, line -> {
            synchronized (System.out) {
                System.out.println(line);
            }
        });
    }

    @Override
    public void onTick(AutoscalerEvent.TickCompleted event) {
        String previous = lastReason.put(event.endpoint(), event.reason());
        if (!event.changed() && previous != null && DecisionHistory.sameKind(previous, event.reason())) {
            return;
        }
        sink.accept(format == Format.TEXT ? text(event) : json(event));
    }

    /** The previous targets are those the history knows; the event carries only the new ones, so they are kept here. */
    private final Map<String, Map<String, GroupTarget>> lastTargets = new ConcurrentHashMap<>();

    String text(AutoscalerEvent.TickCompleted e) {
        Map<String, GroupTarget> before = lastTargets.put(e.endpoint(), e.targets());
        StringBuilder b = new StringBuilder("decision endpoint=").append(value(e.endpoint()))
                .append(" changed=").append(e.changed())
                .append(" targets=").append(targets(e.targets()));
        if (e.changed() && before != null) {
            b.append(" previous=").append(targets(before));
        }
        return b.append(" reason=").append(value(e.reason())).toString();
    }

    String json(AutoscalerEvent.TickCompleted e) {
        Map<String, GroupTarget> before = lastTargets.put(e.endpoint(), e.targets());
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("ts", e.at().toString());
            g.writeStringField("level", "INFO");
            g.writeStringField("logger", LOGGER);
            g.writeStringField("event", "decision");
            g.writeStringField("endpoint", e.endpoint());
            g.writeBooleanField("changed", e.changed());
            writeTargets(g, "targets", e.targets());
            if (e.changed() && before != null) {
                writeTargets(g, "previous", before);
            }
            g.writeStringField("reason", e.reason());
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toString();
    }

    private static void writeTargets(JsonGenerator g, String field, Map<String, GroupTarget> targets) throws IOException {
        g.writeObjectFieldStart(field);
        for (var t : new TreeMap<>(targets).entrySet()) {
            g.writeObjectFieldStart(t.getKey());
            g.writeNumberField("active", t.getValue().active());
            g.writeNumberField("cold", t.getValue().cold());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static String targets(Map<String, GroupTarget> targets) {
        StringBuilder b = new StringBuilder();
        for (var t : new TreeMap<>(targets).entrySet()) {
            b.append(b.isEmpty() ? "" : ",").append(t.getKey()).append(':').append(t.getValue().active()).append('+')
                    .append(t.getValue().cold());
        }
        return value(b.toString());
    }

    /** A logfmt value: bare when it has no space, quote, equals sign or backslash; quoted and escaped otherwise. */
    static String value(String s) {
        if (!s.isEmpty() && s.chars().noneMatch(c -> c <= ' ' || c == '"' || c == '=' || c == '\\')) {
            return s;
        }
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
