package dev.autoscaler.examples.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autoscaler.WorkerState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes {@code index.html}: load vs capacity and workers by state over time from the trace's start,
 * the queue-time distribution as a cumulative curve on a log axis with the SLO marked (inline SVG, no
 * scripts, no network), the figures with their units and the decision log; each figure says what it
 * shows and in which unit.
 */
public final class DemoReport {
    private static final Set<WorkerState> LOADING = EnumSet.of(WorkerState.CREATING, WorkerState.LOADING,
            WorkerState.STARTING, WorkerState.REBOOTING);
    private static final Set<WorkerState> COLD = EnumSet.of(WorkerState.STOPPED, WorkerState.STOPPING);

    private DemoReport() {
    }

    /**
     * Writes the report into {@code dir} (created if needed): {@code index.html}, and the figures as
     * {@code figures.json} for scripts. Returns the page's path.
     */
    public static Path write(Path dir, String title, Map<String, String> settings, DemoRecorder recorder)
            throws IOException {
        Files.createDirectories(dir);
        Path page = dir.resolve("index.html");
        Files.writeString(page, html(title, settings, recorder), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("figures.json"), new ObjectMapper().writerWithDefaultPrettyPrinter()
                .writeValueAsString(recorder.figures()) + "\n", StandardCharsets.UTF_8);
        return page;
    }

    static String html(String title, Map<String, String> settings, DemoRecorder recorder) {
        List<DemoRecorder.Sample> samples = recorder.samples();
        double t0 = recorder.traceStartSeconds();
        int n = samples.size();
        double[] t = new double[n];
        double[] load = new double[n];
        double[] capacity = new double[n];
        double[] ready = new double[n];
        double[] loading = new double[n];
        double[] cold = new double[n];
        double[] other = new double[n];
        for (int i = 0; i < n; i++) {
            DemoRecorder.Sample s = samples.get(i);
            t[i] = s.atSeconds() - t0;
            load[i] = s.offeredLoad();
            capacity[i] = s.capacity();
            for (Map.Entry<WorkerState, Integer> e : s.workers().entrySet()) {
                WorkerState st = e.getKey();
                double[] into = st == WorkerState.READY ? ready : LOADING.contains(st) ? loading
                        : COLD.contains(st) ? cold : st == WorkerState.DESTROYED ? null : other;
                if (into != null) {
                    into[i] += e.getValue();
                }
            }
        }
        double slo = recorder.targetQueueTime();
        String sloName = "SLO: " + seconds(slo);
        String timeAxis = "seconds since the trace started";
        String scale = settings.get("time scale");
        String scaleNote = "";
        try {
            double factor = 1 / Double.parseDouble(scale);
            scaleNote = String.format(Locale.ROOT, " The trace is replayed at time scale %s: a second here is %.0f "
                    + "seconds of the original trace.", Html.escape(scale), factor);
        } catch (NullPointerException | NumberFormatException unknown) {
            // no time scale given: nothing to say about it
        }
        boolean warmUpShown = n > 0 && t[0] < 0;
        StringBuilder h = new StringBuilder();
        h.append("<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>").append(Html.escape(title))
                .append("</title>\n<style>body{font-family:sans-serif;max-width:960px;margin:2em auto;color:#222}"
                        + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;"
                        + "font-size:13px}td.num{text-align:right}h2{margin-top:1.6em}p.explain{font-size:14px;"
                        + "max-width:760px;color:#333}</style></head><body>\n");
        h.append("<h1>").append(Html.escape(title)).append("</h1>\n<p>");
        settings.forEach((k, v) -> h.append("<b>").append(Html.escape(k)).append("</b> ").append(Html.escape(v))
                .append(" &nbsp; "));
        h.append("</p>\n<p class=\"explain\">Time on every chart and in the decision log is counted from the start of "
                + "the trace's replay" + (warmUpShown ? "; negative times are the warm-up, while the first worker boots "
                + "and nothing is sent yet." : ", which begins once the first worker is ready.")
                + scaleNote + " Loads are in tokens per second: a request's cost is its tokens (context + generated), "
                + "the perf unit the workers report and the engine scales on.</p>\n");

        h.append("<h2>Offered load vs ready capacity (tokens/s)</h2>\n");
        h.append("<p class=\"explain\">Offered load: the tokens of the requests the replayer sent, per second. Ready "
                + "capacity: the summed throughput (perf) of the workers that were ready, tokens/s. Capacity under the "
                + "load means requests wait; far above it means idle GPUs.</p>\n");
        h.append(SvgChart.lines(t, List.of(new SvgChart.Series("offered load", "#d9534f", load),
                new SvgChart.Series("ready capacity", "#2a7ab9", capacity)), timeAxis, "tokens/s"));

        h.append("\n<h2>Workers by state (workers)</h2>\n");
        h.append("<p class=\"explain\">How many workers were in each state, sampled every second: ready (serving), "
                + "loading (created, starting or rebooting: booting the model), stopped (the cold pool: resumed faster "
                + "than a new one boots), other (draining, stopping, in error).</p>\n");
        h.append(SvgChart.lines(t, List.of(new SvgChart.Series("ready", "#2e8b57", ready),
                new SvgChart.Series("loading/starting", "#f0ad4e", loading),
                new SvgChart.Series("stopped (cold)", "#5bc0de", cold),
                new SvgChart.Series("other", "#999999", other)), timeAxis, "workers"));

        double[] queue = recorder.queueTimes();
        long within = java.util.Arrays.stream(queue).filter(q -> q <= slo).count();
        h.append("\n<h2>Queue time of served requests (seconds, cumulative)</h2>\n");
        h.append(String.format(Locale.ROOT, "<p class=\"explain\">The queue time of a request is the seconds from its "
                + "first call to <code>/route/</code> until a worker took it. The curve gives, for each queue time on "
                + "the logarithmic x axis, the percentage of served requests that waited that long or less, so the tail "
                + "(the few that waited for a worker to boot) shows; requests served at once (under a millisecond) sit at "
                + "the left edge. The dashed line is the SLO, the endpoint's <code>target_queue_time</code> of %s: "
                + "%s of %s served requests (%.1f%%) met it.</p>%n", seconds(slo), String.format(Locale.ROOT, "%,d", within),
                String.format(Locale.ROOT, "%,d", queue.length), queue.length == 0 ? 100.0 : 100.0 * within / queue.length));
        h.append(SvgChart.cdf(queue, slo, sloName, "queue time (seconds, log scale)"));

        h.append("\n<h2>Figures</h2>\n<p class=\"explain\">The run's figures, with their units; "
                + "<code>figures.json</code> holds the same for scripts. The SLO counts are against "
                + "<code>target_queue_time</code> (" + seconds(slo) + ").</p>\n<table>\n");
        recorder.figures().forEach((k, v) -> h.append("<tr><th>").append(Html.escape(k)).append("</th><td class=\"num\">")
                .append(Html.escape(v instanceof Double d ? String.format(Locale.ROOT, "%.3f", d) : String.valueOf(v)))
                .append("</td><td>").append(Html.escape(unitOf(k))).append("</td></tr>\n"));
        h.append("</table>\n<h2>Decision log</h2>\n<p class=\"explain\">Every change of the engine's targets, with "
                + "the policy's reason; t in seconds since the trace started.</p>\n"
                + "<table><tr><th>t (s)</th><th>targets (workers)</th><th>reason</th></tr>\n");
        for (DemoRecorder.Decision d : recorder.decisions()) {
            h.append("<tr><td class=\"num\">").append(String.format(Locale.ROOT, "%.1f", d.atSeconds() - t0))
                    .append("</td><td>").append(Html.escape(d.targets())).append("</td><td>").append(Html.escape(d.reason()))
                    .append("</td></tr>\n");
        }
        h.append("</table>\n<p style=\"font-size:12px;color:#666\">Trace: Azure LLM inference trace 2023, "
                + "conversation (CC-BY 4.0; Patel et al., \"Splitwise\", ISCA 2024), unless another was given.</p>\n");
        return h.append("</body></html>\n").toString();
    }

    private static String seconds(double s) {
        return (s == Math.rint(s) ? Long.toString((long) s) : String.format(Locale.ROOT, "%.2f", s)) + " s";
    }

    /** The unit of a figure of {@link DemoRecorder#figures()}, by its key. */
    static String unitOf(String key) {
        if (key.endsWith("_usd")) {
            return "$";
        }
        if (key.endsWith("_hours")) {
            return "GPU-hours";
        }
        if (key.endsWith("_s")) {
            return "seconds";
        }
        if (key.endsWith("_fraction")) {
            return "fraction of served requests";
        }
        return switch (key) {
            case "requests", "served", "dropped", "rejected", "failed", "slo_violations" -> "requests";
            case "cold_starts", "resumes" -> "instances";
            case "peak_workers" -> "workers";
            case "decisions", "flaps" -> "decisions";
            default -> "";
        };
    }
}
