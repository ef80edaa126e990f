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
 * Writes {@code index.html}: load vs capacity and workers by state over time, the queue-time
 * distribution (inline SVG, no scripts, no network), the figures and the decision log.
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
            t[i] = s.atSeconds();
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
        StringBuilder h = new StringBuilder();
        h.append("<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>").append(Html.escape(title))
                .append("</title>\n<style>body{font-family:sans-serif;max-width:960px;margin:2em auto;color:#222}"
                        + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;"
                        + "font-size:13px}h2{margin-top:1.6em}</style></head><body>\n");
        h.append("<h1>").append(Html.escape(title)).append("</h1>\n<p>");
        settings.forEach((k, v) -> h.append("<b>").append(Html.escape(k)).append("</b> ").append(Html.escape(v))
                .append(" &nbsp; "));
        h.append("</p>\n<h2>Offered load vs ready capacity (perf units/s)</h2>\n");
        h.append(SvgChart.lines(t, List.of(new SvgChart.Series("offered load", "#d9534f", load),
                new SvgChart.Series("ready capacity", "#2a7ab9", capacity)), "tokens/s"));
        h.append("\n<h2>Workers by state</h2>\n");
        h.append(SvgChart.lines(t, List.of(new SvgChart.Series("ready", "#2e8b57", ready),
                new SvgChart.Series("loading/starting", "#f0ad4e", loading),
                new SvgChart.Series("stopped (cold)", "#5bc0de", cold),
                new SvgChart.Series("other", "#999999", other)), "workers"));
        h.append("\n<h2>Queue time of served requests</h2>\n");
        h.append(SvgChart.histogram(recorder.queueTimes(), 40, "seconds from arrival to start of service"));
        h.append("\n<h2>Figures</h2>\n<table>\n");
        recorder.figures().forEach((k, v) -> h.append("<tr><th>").append(Html.escape(k)).append("</th><td>")
                .append(Html.escape(v instanceof Double d ? String.format(Locale.ROOT, "%.3f", d) : String.valueOf(v)))
                .append("</td></tr>\n"));
        h.append("</table>\n<h2>Decision log</h2>\n<table><tr><th>t (s)</th><th>targets</th><th>reason</th></tr>\n");
        for (DemoRecorder.Decision d : recorder.decisions()) {
            h.append("<tr><td>").append(String.format(Locale.ROOT, "%.1f", d.atSeconds())).append("</td><td>")
                    .append(Html.escape(d.targets())).append("</td><td>").append(Html.escape(d.reason()))
                    .append("</td></tr>\n");
        }
        h.append("</table>\n<p style=\"font-size:12px;color:#666\">Trace: Azure LLM inference trace 2023, "
                + "conversation (CC-BY 4.0; Patel et al., \"Splitwise\", ISCA 2024), unless another was given.</p>\n");
        return h.append("</body></html>\n").toString();
    }
}
