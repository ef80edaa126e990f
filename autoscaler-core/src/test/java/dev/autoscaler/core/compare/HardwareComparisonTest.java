package dev.autoscaler.core.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.autoscaler.AutoscalerEvent;
import dev.autoscaler.LoadReport;
import dev.autoscaler.ManualClock;
import dev.autoscaler.WorkerIntent;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("HardwareComparison on a hand-made sequence of events")
class HardwareComparisonTest {
    private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

    private final ManualClock clock = new ManualClock(EPOCH);
    private final Map<String, WorkerRecord> records = new HashMap<>();
    private final HardwareComparison comparison = new HardwareComparison(clock, id -> Optional.ofNullable(records.get(id)));

    private void at(double seconds) {
        clock.advanceTo(Math.round(seconds * 1e9));
    }

    private WorkerRecord record(String id, String group, String gpu, double price, double maxPerf) {
        WorkerRecord r = WorkerRecord.builder(id, "llm", group, "sim-llm-" + group + "-" + id, "mtoken")
                .state(WorkerState.LOADING).intent(WorkerIntent.ACTIVE).instanceId(id.substring(1)).gpuName(gpu).pricePerHour(price).maxPerf(maxPerf)
                .reliability(1).build();
        records.put(id, r);
        return r;
    }

    private void move(String id, String group, WorkerState from, WorkerState to) {
        comparison.onEvent(new AutoscalerEvent.WorkerStateChanged(clock.now(), "llm", group, id, id, from, to, "test"));
    }

    private void served(String id, double curPerf) {
        WorkerRecord r = records.get(id);
        comparison.onReport(LoadReport.builder(Long.parseLong(r.instanceId()), "mtoken").curPerf(curPerf)
                .maxPerf(r.maxPerf()).build(), r);
    }

    /**
     * Worker 1 (group a, GPU A, $0.40/h, max_perf 2000) and worker 2 (group b, GPU B, $0.90/h, max_perf
     * 3500) are created at 0, loading (billed) from 10 s, ready at 130 s and 250 s, and looked at at
     * 3610 s: each billed exactly one hour.
     */
    private ComparisonReport twoGroups() {
        move("w1", "a", null, WorkerState.CREATING);
        move("w2", "b", null, WorkerState.CREATING);
        at(10);
        record("w1", "a", "A", 0.40, 0);
        record("w2", "b", "B", 0.90, 0);
        move("w1", "a", WorkerState.CREATING, WorkerState.LOADING);
        move("w2", "b", WorkerState.CREATING, WorkerState.LOADING);
        at(130);
        record("w1", "a", "A", 0.40, 2000);
        move("w1", "a", WorkerState.LOADING, WorkerState.READY);
        at(250);
        record("w2", "b", "B", 0.90, 3500);
        move("w2", "b", WorkerState.LOADING, WorkerState.READY);
        at(3000);
        served("w1", 600_000);
        served("w2", 1_000_000);
        at(3610);
        served("w1", 96_000);
        served("w2", 176_000);
        return comparison.comparison("llm");
    }

    @Nested
    @DisplayName("per group")
    class PerGroup {
        @Test
        @DisplayName("cost is price x time billed at the full price (creating not billed)")
        void cost() {
            ComparisonReport r = twoGroups();
            assertThat(r.groups()).extracting(HardwareFigures::name).containsExactly("a", "b");
            assertThat(r.groups().get(0).costUsd()).isCloseTo(0.40, within(1e-12));
            assertThat(r.groups().get(1).costUsd()).isCloseTo(0.90, within(1e-12));
        }

        @Test
        @DisplayName("served work is the sum of cur_perf, and per dollar ranks the groups")
        void servedWorkPerDollar() {
            HardwareFigures a = twoGroups().groups().get(0);
            assertThat(a.servedWork()).isEqualTo(696_000);
            assertThat(a.servedWorkPerDollar()).isCloseTo(1_740_000, within(1e-6));
        }

        @Test
        @DisplayName("utilization is served work over perf x ready seconds")
        void utilization() {
            ComparisonReport r = twoGroups();
            // a: 696,000 / (2000 x 3480 s); b: 1,176,000 / (3500 x 3360 s)
            assertThat(r.groups().get(0).utilization()).isCloseTo(0.1, within(1e-12));
            assertThat(r.groups().get(1).utilization()).isCloseTo(0.1, within(1e-12));
            assertThat(r.groups().get(0).readyHours()).isCloseTo(3480 / 3600.0, within(1e-12));
            assertThat(r.groups().get(0).billedHours()).isCloseTo(1.0, within(1e-12));
        }

        @Test
        @DisplayName("cold start is creating to ready")
        void coldStart() {
            ComparisonReport r = twoGroups();
            assertThat(r.groups().get(0).coldStartSeconds()).extracting(Distribution::count, Distribution::p50)
                    .containsExactly(1, 130.0);
            assertThat(r.groups().get(1).coldStartSeconds().p95()).isEqualTo(250.0);
            assertThat(r.groups().get(0).resumeSeconds().isEmpty()).isTrue();
        }

        @Test
        @DisplayName("the group with more served work per dollar is ranked first and named best")
        void ranking() {
            ComparisonReport r = twoGroups();
            assertThat(r.groups()).extracting(HardwareFigures::name).containsExactly("a", "b");
            assertThat(r.bestGroup()).contains("a");
            assertThat(r.groups().get(1).servedWorkPerDollar()).isCloseTo(1_176_000 / 0.9, within(1e-6));
        }
    }

    @Test
    @DisplayName("per GPU type, workers are pooled by their GPU name")
    void perGpuType() {
        ComparisonReport r = twoGroups();
        assertThat(r.gpuTypes()).extracting(HardwareFigures::name).containsExactly("A", "B");
        assertThat(r.bestGpuType()).contains("A");
        assertThat(r.gpuTypes().get(1).maxPerf().p50()).isEqualTo(3500);
    }

    @Test
    @DisplayName("resume is starting to ready; stopped time is not billed")
    void resume() {
        twoGroups();
        move("w1", "a", WorkerState.READY, WorkerState.STOPPING);
        at(3620);
        move("w1", "a", WorkerState.STOPPING, WorkerState.STOPPED);
        at(4000);
        move("w1", "a", WorkerState.STOPPED, WorkerState.STARTING);
        at(4020);
        move("w1", "a", WorkerState.STARTING, WorkerState.READY);

        HardwareFigures a = comparison.comparison("llm").groups().get(0);

        assertThat(a.resumeSeconds()).extracting(Distribution::count, Distribution::p50).containsExactly(1, 20.0);
        // billed: 3600 s + 10 s stopping + 20 s starting
        assertThat(a.billedHours()).isCloseTo(3630 / 3600.0, within(1e-12));
        assertThat(a.coldStartSeconds().count()).isEqualTo(1);
    }

    @Test
    @DisplayName("errors count per billed worker-hour, and a boot that errors gives no cold start")
    void errors() {
        move("w3", "a", null, WorkerState.CREATING);
        record("w3", "a", "A", 1.0, 0);
        move("w3", "a", WorkerState.CREATING, WorkerState.LOADING);
        at(1800);
        move("w3", "a", WorkerState.LOADING, WorkerState.ERROR);

        HardwareFigures a = comparison.comparison("llm").groups().get(0);

        assertThat(a.errors()).isEqualTo(1);
        assertThat(a.errorsPerWorkerHour()).isCloseTo(2.0, within(1e-12));
        assertThat(a.coldStartSeconds().isEmpty()).isTrue();
        assertThat(a.isRankable()).isFalse();
    }

    @Test
    @DisplayName("destroyed workers keep counting: their figures stay after the engine forgot them")
    void destroyedKept() {
        twoGroups();
        move("w2", "b", WorkerState.READY, WorkerState.DESTROYING);
        move("w2", "b", WorkerState.DESTROYING, WorkerState.DESTROYED);
        records.remove("w2");
        at(7210);

        ComparisonReport r = comparison.comparison("llm");
        HardwareFigures b = r.groups().stream().filter(f -> f.name().equals("b")).findFirst().orElseThrow();

        // a, still ready, paid a second hour for nothing: b is now the better value
        assertThat(r.bestGroup()).contains("b");
        assertThat(b.costUsd()).isCloseTo(0.90, within(1e-12));
        assertThat(b.servedWork()).isEqualTo(1_176_000);
    }

    @Test
    @DisplayName("an endpoint never seen has no groups and no best")
    void unknownEndpoint() {
        twoGroups();
        ComparisonReport r = comparison.comparison("other");
        assertThat(r.groups()).isEmpty();
        assertThat(r.bestGroup()).isEmpty();
    }

    @Test
    @DisplayName("JSON: ranked entries with their figures, undefined ones null")
    void json() {
        clock.advance(Duration.ZERO);
        String json = twoGroups().toJson();
        assertThat(json).startsWith("{\"endpoint\":\"llm\",\"at\":\"2026-01-01T01:00:10Z\","
                + "\"ranked_by\":\"served_work_per_dollar\",\"best_group\":\"a\",\"best_gpu_type\":\"A\",\"groups\":[")
                .contains("{\"rank\":1,\"name\":\"a\",\"rankable\":true,\"workers\":1,\"served_work\":696000.0,"
                        + "\"cost_usd\":0.400000,\"served_work_per_dollar\":1740000.0,"
                        + "\"max_perf\":{\"count\":1,\"min\":2000.0,\"p10\":2000.0,\"median\":2000.0,\"p90\":2000.0,\"max\":2000.0},"
                        + "\"cold_start_s\":{\"count\":1,\"p50\":130.000,\"p95\":130.000},"
                        + "\"resume_s\":{\"count\":0,\"p50\":null,\"p95\":null},\"errors\":0,"
                        + "\"errors_per_worker_hour\":0.0000,\"ready_hours\":0.9667,\"billed_hours\":1.0000,"
                        + "\"utilization\":0.1000}")
                .contains("\"gpu_types\":[{\"rank\":1,\"name\":\"A\"");
    }

    @Nested
    @DisplayName("memory: destroyed workers are folded per group and GPU type")
    class Folding {
        private void destroy(String id, String group) {
            move(id, group, WorkerState.READY, WorkerState.DESTROYING);
            move(id, group, WorkerState.DESTROYING, WorkerState.DESTROYED);
            records.remove(id);
        }

        @Test
        @DisplayName("destroying both workers leaves the same figures, and later time adds nothing")
        void sameFigures() {
            ComparisonReport live = twoGroups();
            destroy("w1", "a");
            destroy("w2", "b");
            at(7210);

            ComparisonReport folded = comparison.comparison("llm");

            assertThat(folded.groups()).isEqualTo(live.groups());
            assertThat(folded.gpuTypes()).isEqualTo(live.gpuTypes());
            assertThat(comparison.retainedRecords()).isEqualTo(2);
        }

        /**
         * Worker i is created at t = 3610 i s, loads from t + 10 s ($1/h, max_perf 1000, GPU C), is
         * ready at t + 100 s (even i) or t + 200 s (odd i), serves 500 and is destroyed at t + 3610 s:
         * one hour billed, $1, each.
         */
        private void churn(int workers) {
            for (long i = 0; i < workers; i++) {
                String id = "x" + i;
                long t0 = i * 3610;
                long cold = i % 2 == 0 ? 100 : 200;
                atSecond(t0);
                move(id, "c", null, WorkerState.CREATING);
                atSecond(t0 + 10);
                record(id, "c", "C", 1.0, 1000);
                move(id, "c", WorkerState.CREATING, WorkerState.LOADING);
                atSecond(t0 + cold);
                move(id, "c", WorkerState.LOADING, WorkerState.READY);
                served(id, 500);
                atSecond(t0 + 3610);
                destroy(id, "c");
            }
        }

        private void atSecond(long s) {
            clock.advanceTo(s * 1_000_000_000L);
        }

        @Test
        @DisplayName("100,000 created and destroyed workers leave one record")
        void bounded() {
            churn(100_000);

            assertThat(comparison.retainedRecords()).isEqualTo(1);
        }

        @Test
        @DisplayName("100,000 created and destroyed workers: exact sums, percentiles of the last 1,000 samples")
        void figuresAfterChurn() {
            churn(100_000);

            HardwareFigures c = comparison.comparison("llm").groups().get(0);

            assertThat(c.workers()).isEqualTo(100_000);
            assertThat(c.servedWork()).isEqualTo(50_000_000.0);
            assertThat(c.costUsd()).isCloseTo(100_000.0, within(1e-6));
            assertThat(c.servedWorkPerDollar()).isCloseTo(500.0, within(1e-9));
            assertThat(c.billedHours()).isCloseTo(100_000.0, within(1e-6));
            // ready 3510 s (even) and 3410 s (odd)
            assertThat(c.readyHours()).isCloseTo(50_000 * 6920 / 3600.0, within(1e-6));
            // the last 1,000 cold starts are 500 of 100 s and 500 of 200 s
            assertThat(c.coldStartSeconds()).extracting(Distribution::count, Distribution::min, Distribution::p50,
                    Distribution::p95, Distribution::max).containsExactly(100_000, 100.0, 150.0, 200.0, 200.0);
            assertThat(c.maxPerf()).extracting(Distribution::count, Distribution::p50).containsExactly(100_000, 1000.0);
        }
    }
}
