package dev.autoscaler.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoscaler.AutoscalerEvent;
import dev.autoscaler.GroupTarget;
import dev.autoscaler.ManualClock;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("DemoRecorder and DemoReport")
class DemoRecorderTest {
    private final ManualClock clock = new ManualClock();
    private final DemoRecorder recorder = new DemoRecorder(clock, 10);

    private static WorkerRecord worker(String id, WorkerState state, double maxPerf) {
        return WorkerRecord.builder(id, "demo", "g", "label-" + id, "tok").state(state).maxPerf(maxPerf)
                .reliability(1.0).build();
    }

    private static RequestOutcome served(double queueSeconds) {
        return new RequestOutcome(new TraceRequest(0, 10, 10), RequestOutcome.Kind.SERVED, queueSeconds,
                queueSeconds + 1, "http://w");
    }

    @Test
    @DisplayName("offered load is the cost sent per second; capacity sums the ready workers' perf")
    void loadAndCapacity() {
        recorder.sent(new TraceRequest(0, 150, 50));
        recorder.sent(new TraceRequest(0, 100, 100));
        clock.advance(Duration.ofSeconds(2));

        DemoRecorder.Sample s = recorder.sample(List.of(worker("1", WorkerState.READY, 1000),
                worker("2", WorkerState.LOADING, 0), worker("3", WorkerState.READY, 500)));

        assertThat(s.offeredLoad()).isEqualTo(200.0);
        assertThat(s.capacity()).isEqualTo(1500.0);
        assertThat(s.workers()).containsEntry(WorkerState.READY, 2).containsEntry(WorkerState.LOADING, 1);
    }

    @Test
    @DisplayName("figures count SLO violations against target_queue_time and give nearest-rank percentiles")
    void figures() {
        for (int i = 1; i <= 20; i++) {
            recorder.sent(new TraceRequest(0, 1, 1));
            recorder.outcome(served(i));
        }

        Map<String, Object> f = recorder.figures();

        assertThat(f).containsEntry("requests", 20).containsEntry("served", 20)
                .containsEntry("slo_violations", 10L).containsEntry("queue_time_p95_s", 19.0)
                .containsEntry("queue_time_p50_s", 10.0);
    }

    @Test
    @DisplayName("the report holds both charts, the histogram, the figures and the escaped decision log")
    void report() {
        recorder.sample(List.of(worker("1", WorkerState.READY, 1000)));
        recorder.outcome(served(0.5));
        recorder.onDecision(new AutoscalerEvent.DecisionMade(Instant.EPOCH, "demo", Map.of(),
                Map.of("g", new GroupTarget(2, 3)), "load <rising>"));

        String html = DemoReport.html("demo", Map.of("policy", "vast"), recorder);

        assertThat(html).contains("Offered load vs ready capacity", "Workers by state", "Queue time",
                "queue_time_p95_s", "g: 2 active + 3 cold", "load &lt;rising&gt;");
        assertThat(html.split("<svg", -1)).hasSize(4);
    }

    @Test
    @DisplayName("the report reads right: time from the trace's start, round axis steps, one unit per chart, "
            + "the queue time as a log-scale CDF with the SLO named, units beside the figures")
    void reportReadsRight() {
        recorder.sample(List.of(worker("1", WorkerState.LOADING, 0)));
        clock.advance(Duration.ofSeconds(7));
        recorder.markTraceStart();
        for (int i = 0; i < 83; i++) {
            clock.advance(Duration.ofSeconds(1));
            recorder.sent(new TraceRequest(0, 2000, 1700));
            recorder.sample(List.of(worker("1", WorkerState.READY, 4321)));
        }
        recorder.outcome(served(0.004));
        recorder.outcome(served(0.4));
        recorder.outcome(served(37));

        String html = DemoReport.html("demo", Map.of("time scale", "0.0333"), recorder);

        // x from -7 s (the warm-up before the trace) to 83 s: round steps of 20 s from -20 to 100
        assertThat(html).contains(">-20</text>", ">0</text>", ">100</text>", "seconds since the trace started",
                "negative times are the warm-up", "a second here is 30 seconds of the original trace");
        // y: 3,700 tokens/s offered, 4,321 capacity: 0 to 5,000 in steps of 1,000, with the unit of the title
        assertThat(html).contains("<h2>Offered load vs ready capacity (tokens/s)</h2>", ">tokens/s</text>",
                ">1,000</text>", ">5,000</text>").doesNotContain(">4,321</text>").doesNotContain("perf units/s");
        assertThat(html).contains("queue time (seconds, log scale)", ">0.001</text>", ">0.01</text>", ">100</text>",
                "SLO: 10 s", "target_queue_time</code> of 10 s: 2 of 3 served requests (66.7%) met it");
        assertThat(html).contains("<th>queue_time_p95_s</th><td class=\"num\">37.000</td><td>seconds</td>",
                "<th>cost_usd</th>");
    }

    @Test
    @DisplayName("a round axis: 1, 2 or 5 times a power of ten, covering the data")
    void roundAxes() {
        assertThat(SvgChart.Axis.around(0, 4321, 5)).isEqualTo(new SvgChart.Axis(0, 5000, 1000));
        assertThat(SvgChart.Axis.around(-7, 83, 8)).isEqualTo(new SvgChart.Axis(-20, 100, 20));
        assertThat(SvgChart.Axis.around(0, 0.37, 5)).isEqualTo(new SvgChart.Axis(0, 0.4, 0.1));
        assertThat(SvgChart.label(0.30000000000000004, 0.1)).isEqualTo("0.3");
        assertThat(SvgChart.label(250000, 50000)).isEqualTo("250,000");
    }

    @Test
    @DisplayName("the report directory gets index.html and figures.json")
    void files(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        recorder.outcome(served(0.5));

        java.nio.file.Path page = DemoReport.write(dir, "demo", Map.of(), recorder);

        assertThat(page).isEqualTo(dir.resolve("index.html")).exists();
        assertThat(java.nio.file.Files.readString(dir.resolve("figures.json"))).contains("\"queue_time_p95_s\" : 0.5");
    }

    @Test
    @DisplayName("max_workers_respected turns false when the engine holds more workers than the cap")
    void capBroken() {
        DemoRecorder capped = new DemoRecorder(clock, 10, 1);
        capped.onWorkerStateChanged(new AutoscalerEvent.WorkerStateChanged(Instant.EPOCH, "demo", "g", "1", "i1",
                WorkerState.CREATING, WorkerState.LOADING, ""));
        assertThat(capped.figures()).containsEntry("max_workers_respected", true);

        capped.onWorkerStateChanged(new AutoscalerEvent.WorkerStateChanged(Instant.EPOCH, "demo", "g", "2", "i2",
                WorkerState.CREATING, WorkerState.LOADING, ""));

        assertThat(capped.figures()).containsEntry("max_workers_respected", false);
    }

    @Test
    @DisplayName("a reversal of the active target within 5 minutes is a flap; one after is not")
    void flaps() {
        Map<String, GroupTarget> one = Map.of("g", new GroupTarget(1, 0));
        Map<String, GroupTarget> two = Map.of("g", new GroupTarget(2, 0));
        recorder.onDecision(new AutoscalerEvent.DecisionMade(Instant.EPOCH, "demo", one, two, "up"));
        recorder.onDecision(new AutoscalerEvent.DecisionMade(Instant.EPOCH.plusSeconds(60), "demo", two, one, "down"));
        recorder.onDecision(new AutoscalerEvent.DecisionMade(Instant.EPOCH.plusSeconds(1000), "demo", one, two, "up"));

        assertThat(recorder.figures()).containsEntry("flaps", 1);
    }

    @Test
    @DisplayName("GPU hours and cost count running workers between samples, not stopped ones")
    void gpuHours() {
        recorder.sample(List.of());
        clock.advance(Duration.ofSeconds(36));
        WorkerRecord priced = WorkerRecord.builder("1", "demo", "g", "l", "tok").state(WorkerState.READY)
                .pricePerHour(2.0).build();

        recorder.sample(List.of(priced, worker("2", WorkerState.STOPPED, 0)));

        assertThat((double) recorder.figures().get("gpu_hours")).isCloseTo(0.01, org.assertj.core.data.Offset.offset(1e-9));
        assertThat((double) recorder.figures().get("cost_usd")).isCloseTo(0.02, org.assertj.core.data.Offset.offset(1e-9));
    }
}
