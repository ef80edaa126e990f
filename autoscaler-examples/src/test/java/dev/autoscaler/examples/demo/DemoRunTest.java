package dev.autoscaler.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autoscaler.examples.worker.WorkerMain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code autoscaler demo} for real, in a short mode (a few seconds of the trace, at most three
 * worker JVMs), once for the whole class, then checks what it left: the report and its figures, and
 * no worker process behind it.
 */
@DisplayName("autoscaler demo, short run")
class DemoRunTest {
    private static final List<String> FIGURE_KEYS = List.of("cost_usd", "gpu_hours", "requests", "served",
            "queue_time_p50_s", "queue_time_p95_s", "queue_time_p99_s", "slo_violations", "slo_violation_fraction",
            "dropped", "cold_starts", "resumes", "decisions", "flaps", "peak_workers", "max_workers_respected");

    @TempDir
    static Path reportDir;
    private static Instant started;
    private static int exitStatus;
    private static String output;

    @BeforeAll
    static void runDemo() {
        started = Instant.now();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        exitStatus = new DemoCommand().run(new String[] {"--duration", "8", "--max-workers", "3", "--port", "0",
                "--report-dir", reportDir.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        output = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("exits 0 and names the dashboard and the report")
    void exitsCleanly() {
        assertThat(exitStatus).as(output).isZero();
        assertThat(output).containsPattern("live dashboard at http://127\\.0\\.0\\.1:\\d+/dashboard/");
        assertThat(output).contains("report: " + reportDir.resolve("index.html").toAbsolutePath());
    }

    @Test
    @DisplayName("figures.json has every DESIGN.md key; requests were sent and served; the cap held")
    void figures() throws Exception {
        JsonNode figures = new ObjectMapper().readTree(reportDir.resolve("figures.json").toFile());

        assertThat(figures.fieldNames()).toIterable().containsAll(FIGURE_KEYS);
        assertThat(figures.get("requests").asLong()).as(output).isPositive();
        assertThat(figures.get("served").asLong()).as(output).isPositive();
        assertThat(figures.get("peak_workers").asInt()).isBetween(1, 3);
        assertThat(figures.get("max_workers_respected").isBoolean()).isTrue();
        assertThat(figures.get("max_workers_respected").asBoolean()).isTrue();
    }

    @Test
    @DisplayName("index.html is written")
    void page() throws Exception {
        Path page = reportDir.resolve("index.html");

        assertThat(page).isRegularFile();
        assertThat(Files.readString(page)).contains("<html").contains("cost_usd");
    }

    @Test
    @DisplayName("no process started by the demo outlives it")
    void noDescendantLeft() {
        List<ProcessHandle> alive = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList();

        assertThat(alive).as("descendants of the test JVM: %s", describe(alive)).isEmpty();
    }

    @Test
    @DisplayName("no worker JVM of this build, started since the demo began, is still running")
    void noWorkerProcessLeft() {
        // other builds on the machine may run workers of their own: only ours (same class path) count
        String ourClasses = Path.of(WorkerMain.class.getProtectionDomain().getCodeSource().getLocation()
                .getPath()).toString();
        List<ProcessHandle> workers = ProcessHandle.allProcesses()
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().map(c -> c.contains(WorkerMain.class.getName())
                        && c.contains(ourClasses)).orElse(false))
                .filter(p -> p.info().startInstant().map(s -> !s.isBefore(started.minusSeconds(1))).orElse(true))
                .toList();

        assertThat(workers).as("worker processes: %s", describe(workers)).isEmpty();
    }

    private static String describe(List<ProcessHandle> processes) {
        return processes.stream().map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
                .collect(Collectors.joining("; "));
    }
}
