package dev.autoscaler.core.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoscaler.LoadReport;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Report observers")
class ReportObserverTest {

    @Test
    @DisplayName("see each accepted report with the worker as stored after it")
    void seesReportWithWorkerAfter() {
        EngineHarness h = new EngineHarness(EngineHarness.endpoint().build());
        h.target(1, 0);
        h.tick();
        List<LoadReport> seen = new ArrayList<>();
        List<WorkerState> states = new ArrayList<>();
        h.engine.addReportObserver((report, worker) -> {
            seen.add(report);
            states.add(worker.state());
        });
        WorkerRecord w = h.workers().get(0);
        LoadReport report = LoadReport.builder(Long.parseLong(w.instanceId()), w.mtoken()).maxPerf(100).curPerf(42)
                .url(w.url()).build();

        h.engine.report(report);

        assertThat(seen).containsExactly(report);
        assertThat(states).containsExactly(WorkerState.READY);
    }

    @Test
    @DisplayName("an observer that throws is skipped and the report still applies")
    void throwingObserverSkipped() {
        EngineHarness h = new EngineHarness(EngineHarness.endpoint().build());
        h.target(1, 0);
        h.tick();
        h.engine.addReportObserver((report, worker) -> {
            throw new IllegalStateException("boom");
        });
        WorkerRecord w = h.workers().get(0);

        WorkerRecord after = h.report(w, 100, "");

        assertThat(after.state()).isEqualTo(WorkerState.READY);
    }
}
