package dev.autoscaler.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoscaler.GroupTarget;
import dev.autoscaler.ScalingDecision;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.core.history.DecisionHistory;
import dev.autoscaler.core.history.EndpointTimeline;
import dev.autoscaler.core.router.RouterHarness;
import java.time.Duration;
import java.util.Map;
import dev.autoscaler.WorkerState;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in a real browser: headless Chromium loads {@code /dashboard/} from the real HTTP
 * server, runs the page's script (which fetches {@code state.json}) and dumps the DOM it built. The
 * engine runs on a manual clock; the test moves a worker from loading to ready with a report and
 * sees the row change. Skipped only where Chromium is not installed ({@code .ci/run} installs it).
 */
@DisplayName("the dashboard in headless Chromium")
class DashboardBrowserTest {
    /** A worker row as the page renders it: {@code <tr data-worker="ID" data-state="STATE">...</tr>}. */
    private static final Pattern WORKER_ROW =
            Pattern.compile("<tr data-worker=\"([^\"]+)\" data-state=\"([^\"]+)\">(.*?)</tr>", Pattern.DOTALL);
    /** The comparison's table of llm's groups, as the page renders it; its body is group 1. */
    private static final Pattern COMPARISON_TABLE = Pattern.compile(
            "<table class=\"comparison\" data-endpoint=\"llm\" data-kind=\"groups\">(.*?)</table>", Pattern.DOTALL);
    /** A row of that table: {@code <tr data-name="NAME" data-rank="RANK" ...>}. */
    private static final Pattern COMPARISON_ROW = Pattern.compile("<tr data-name=\"([^\"]+)\" data-rank=\"([^\"]+)\"");
    /** Long enough for a cold browser on a busy 2-core machine; only a hung browser reaches it. */
    private static final long BROWSER_LIMIT_SECONDS = 90;

    @TempDir
    Path profile;
    private Path chromium;
    private HttpHarness http;

    @BeforeEach
    void setUp() {
        Optional<Path> found = onPath("chromium").or(() -> onPath("chromium-browser"));
        Assumptions.assumeTrue(found.isPresent(), "chromium is not installed");
        chromium = found.get();
        http = new HttpHarness(2);
    }

    @AfterEach
    void tearDown() {
        if (http != null) {
            http.close();
        }
    }

    @Test
    @DisplayName("a worker row shows loading, then ready with its load after the worker reports")
    void workerRowFollowsTheEngine() throws Exception {
        http.h.scaleTo(1);
        WorkerRecord worker = http.h.workers().get(0);
        assertThat(worker.state()).isEqualTo(WorkerState.LOADING);

        List<String[]> loading = workerRows(dumpDom());

        assertThat(loading).hasSize(1);
        assertThat(loading.get(0)[0]).isEqualTo(worker.instanceId());
        assertThat(loading.get(0)[1]).isEqualTo("loading");
        assertThat(loading.get(0)[2]).contains(">loading<", worker.url());

        http.h.report(worker, 750, 300, List.of());
        List<String[]> ready = workerRows(dumpDom());

        assertThat(ready).hasSize(1);
        assertThat(ready.get(0)[0]).isEqualTo(worker.instanceId());
        assertThat(ready.get(0)[1]).isEqualTo("ready");
        assertThat(ready.get(0)[2]).contains(">ready<", ">300<", ">main<");
    }

    @Test
    @DisplayName("the hardware comparison shows the groups ranked best first and names the best group")
    void comparisonTable() throws Exception {
        try (ComparedFleet fleet = new ComparedFleet().serveOneMinute()) {
            String dom = dumpDom(fleet.serve());

            Matcher table = COMPARISON_TABLE.matcher(dom);
            assertThat(table.find()).as("a groups table for llm in %s", dom).isTrue();
            List<String> ranked = new ArrayList<>();
            Matcher row = COMPARISON_ROW.matcher(table.group(1));
            while (row.find()) {
                ranked.add(row.group(2) + ":" + row.group(1));
            }
            assertThat(ranked).containsExactly("1:cheap", "2:fast");
            assertThat(table.group(1)).contains("perf units/$", ">150,000<", ">48,000<", ">0.0067<", ">0.0417<");
            assertThat(dom).contains("<strong data-best-group=\"cheap\">cheap</strong>",
                    "<strong data-best-gpu-type=\"RTX 4090\">RTX 4090</strong>");
        }
    }

    @Test
    @DisplayName("the last hour is charted (load vs capacity, workers by state, queue-time p95) on round axes, "
            + "decisions listed with their reasons, holds too, and workers sorted")
    void historyCharts() throws Exception {
        http.close();
        RouterHarness h = new RouterHarness(3);
        http = new HttpHarness(h, api -> api.decisions(DecisionHistory.attach(h.engine))
                .timeline(EndpointTimeline.attach(h.engine)));
        h.ready(3, 1000);
        h.policy = s -> ScalingDecision.of(Map.of("main", new GroupTarget(3, 0)), "metrics stale -> hold 3 active");
        for (int i = 0; i < 12; i++) { // a minute of ticks, with routes between them
            h.route(250);
            h.advance(Duration.ofSeconds(5));
        }
        h.report(h.workers().get(1), 1000, 0, List.of()); // keeps the sort honest: ids 101..103, all ready

        String dom = dumpDom();

        for (String chart : List.of("load", "workers", "queue_p95")) {
            assertThat(dom).as("chart %s", chart).contains("data-chart=\"" + chart + "\"");
        }
        Matcher ready = Pattern.compile("<path d=\"(M[^\"]+)\"[^>]*data-series=\"ready\"").matcher(dom);
        assertThat(ready.find()).as("the ready line in %s", dom).isTrue();
        assertThat(ready.group(1).split(" L|L").length).as("one point per sample").isGreaterThanOrEqualTo(12);
        assertThat(dom).contains("Load vs ready capacity (perf units/s)", "Workers by state (workers)",
                "Queue time p95 (s)", "minutes before now", "data-series=\"ready capacity\"",
                "data-series=\"target_queue_time\"");
        // 3 ready workers of 1,000: the capacity axis ends at 3,000 in steps of 1,000; workers in steps of 1
        assertThat(yTicks(dom, "load")).containsExactly("0", "1,000", "2,000", "3,000");
        assertThat(yTicks(dom, "workers")).containsExactly("0", "1", "2", "3");
        assertThat(dom).contains("<tr class=\"hold\" data-kind=\"hold\">").contains("metrics stale -&gt; hold 3 active");
        assertThat(workerRows(dom)).extracting(r -> r[0]).containsExactly("101", "102", "103");
    }

    /** The y-axis labels of one chart, in order. */
    private static List<String> yTicks(String dom, String chart) {
        int start = dom.indexOf("data-chart=\"" + chart + "\"");
        String svg = dom.substring(start, dom.indexOf("</svg>", start));
        List<String> ticks = new ArrayList<>();
        Matcher m = Pattern.compile("data-y-tick=\"([^\"]+)\"").matcher(svg);
        while (m.find()) {
            ticks.add(m.group(1));
        }
        return ticks;
    }

    private String dumpDom() throws IOException, InterruptedException {
        return dumpDom(http.server.baseUrl());
    }

    /** Runs Chromium headless on the page and returns the DOM after its script ran. */
    private String dumpDom(String baseUrl) throws IOException, InterruptedException {
        List<String> command = List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
                "--virtual-time-budget=3000", "--dump-dom", baseUrl + "/dashboard/");
        Process browser = new ProcessBuilder(command)
                .redirectError(profile.resolve("chromium-stderr.log").toFile())
                .start();
        try {
            CompletableFuture<String> dom = CompletableFuture.supplyAsync(() -> readAll(browser.getInputStream()));
            boolean exited = browser.waitFor(BROWSER_LIMIT_SECONDS, TimeUnit.SECONDS);
            assertThat(exited).as("chromium finished; stderr: %s", stderr()).isTrue();
            String text = dom.join();
            assertThat(text).as("chromium dumped the dashboard; exit %s, stderr: %s", browser.exitValue(), stderr())
                    .contains("<table id=\"workers\"");
            return text;
        } finally {
            browser.descendants().forEach(ProcessHandle::destroyForcibly);
            browser.destroyForcibly();
            browser.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static List<String[]> workerRows(String dom) {
        List<String[]> rows = new ArrayList<>();
        Matcher m = WORKER_ROW.matcher(dom);
        while (m.find()) {
            rows.add(new String[] {m.group(1), m.group(2), m.group(3)});
        }
        return rows;
    }

    private String stderr() {
        try {
            String log = Files.readString(profile.resolve("chromium-stderr.log"));
            return log.length() > 2000 ? log.substring(log.length() - 2000) : log;
        } catch (IOException e) {
            return "(none)";
        }
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
