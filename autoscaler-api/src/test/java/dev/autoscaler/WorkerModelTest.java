package dev.autoscaler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Worker states, reports and the manual clock and scheduler")
class WorkerModelTest {

    @Test
    @DisplayName("destroyed is terminal; stopped cannot jump to stopping; ready can stop")
    void transitions() {
        assertThat(WorkerState.DESTROYED.successors()).isEmpty();
        assertThat(WorkerState.STOPPED.canMoveTo(WorkerState.STOPPING)).isFalse();
        assertThat(WorkerState.READY.canMoveTo(WorkerState.STOPPING)).isTrue();
        assertThat(WorkerState.DESTROYING.successors()).containsExactly(WorkerState.DESTROYED);
        for (WorkerState s : WorkerState.values()) {
            if (s != WorkerState.DESTROYED) {
                assertThat(s.canMoveTo(WorkerState.DESTROYED)).as(s + " -> destroyed").isTrue();
            }
        }
    }

    @Test
    @DisplayName("an illegal transition of a record throws")
    void illegalTransition() {
        WorkerRecord w = WorkerRecord.builder("w", "e", "g", "l", "t").state(WorkerState.DESTROYED).build();
        assertThatThrownBy(() -> w.withState(WorkerState.READY, 0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    @DisplayName("perf is max_perf x reliability; queue time is (in flight + reserved) / perf")
    void perf() {
        WorkerRecord w = WorkerRecord.builder("w", "e", "g", "l", "t").maxPerf(2000).reliability(0.5)
                .curLoad(500).reservedLoad(500).pricePerHour(0.5).build();
        assertThat(w.perf()).isEqualTo(1000);
        assertThat(w.expectedQueueSeconds()).isEqualTo(1.0);
        assertThat(w.perfPerDollar()).isEqualTo(2000);
    }

    @Test
    @DisplayName("a report with a NaN, infinite or negative load names the field")
    void badReport() {
        assertThatThrownBy(() -> LoadReport.builder(1, "t").curLoad(Double.NaN).build())
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("cur_load"));
        assertThatThrownBy(() -> LoadReport.builder(1, "t").maxPerf(Double.POSITIVE_INFINITY).build())
                .hasMessageStartingWith("max_perf: ");
        assertThatThrownBy(() -> LoadReport.builder(1, "t").newLoad(-1).build()).hasMessageStartingWith("new_load: ");
        assertThat(LoadReport.builder(1, "t").additionalDiskUsage(-3).build().additionalDiskUsage()).isEqualTo(-3);
    }

    @Test
    @DisplayName("ready means max_perf > 0 and no error")
    void ready() {
        assertThat(LoadReport.builder(1, "t").maxPerf(10).build().isReady()).isTrue();
        assertThat(LoadReport.builder(1, "t").maxPerf(0).build().isReady()).isFalse();
        assertThat(LoadReport.builder(1, "t").maxPerf(10).errorMsg("x").build().isReady()).isFalse();
    }

    @Test
    @DisplayName("the manual scheduler runs tasks in time order with the clock at their due time")
    void manualScheduler() {
        ManualClock clock = new ManualClock();
        ManualScheduler scheduler = new ManualScheduler(clock);
        List<String> ran = new ArrayList<>();
        scheduler.scheduleAtFixedRate(() -> ran.add("tick@" + clock.nanoTime() / 1_000_000_000L), Duration.ofSeconds(5), Duration.ofSeconds(5));
        TaskScheduler.Cancellable once = scheduler.schedule(() -> ran.add("once@" + clock.nanoTime() / 1_000_000_000L), Duration.ofSeconds(7));
        scheduler.schedule(() -> ran.add("never"), Duration.ofSeconds(8)).cancel();
        scheduler.advance(Duration.ofSeconds(12));
        assertThat(ran).containsExactly("tick@5", "once@7", "tick@10");
        assertThat(clock.nanoTime()).isEqualTo(12_000_000_000L);
        once.cancel();
        assertThatThrownBy(() -> clock.advanceNanos(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
