package dev.autoscaler.core.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoscaler.AutoscalerEvent;
import dev.autoscaler.EndpointConfig;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Runaway boots: a group whose instances never become ready backs its creates off")
class BootBackoffTest {

    @Test
    @DisplayName("after 3 failed boots in a row: 5 min, then 10, 20, 30, 30; a ready worker ends it")
    void backsOffThenRecovers() {
        EndpointConfig config = EndpointConfig.builder("llm").coldWorkers(0).coldDestroyDelay(Duration.ZERO)
                .loadingTimeout(Duration.ofSeconds(60)).addGroup(WorkerGroupConfig.builder("main").build()).build();
        EngineHarness h = new EngineHarness(config);
        h.target(1, 0);
        List<Long> createdAt = new ArrayList<>();
        long creates = 0;
        for (int s = 0; s < 12 * 60 * 2; s++) { // two hours, one tick every 5 s; nothing ever reports
            h.tick();
            long now = h.provider.count("create");
            for (long n = creates; n < now; n++) {
                createdAt.add(h.clock.nanoTime() / 1_000_000_000L);
            }
            creates = now;
        }
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < createdAt.size(); i++) {
            gaps.add(createdAt.get(i) - createdAt.get(i - 1));
        }
        // each boot takes loading_timeout (60 s) plus a tick to be found stuck (65 s between creates); from
        // the third failure on, the next create waits the backoff after that failure too
        assertThat(gaps.subList(0, 2)).containsExactly(65L, 65L);
        assertThat(gaps.subList(2, 7)).containsExactly(65 + 300L, 65 + 600L, 65 + 1200L, 65 + 1800L, 65 + 1800L);
        var backoffs = h.events(AutoscalerEvent.CreatesBackedOff.class);
        assertThat(backoffs).extracting(AutoscalerEvent.CreatesBackedOff::backoffSeconds)
                .startsWith(300.0, 600.0, 1200.0, 1800.0, 1800.0);
        assertThat(backoffs.get(0).bootFailures()).isEqualTo(3);
        assertThat(backoffs.get(0).reason()).contains("stuck loading");

        // the next instance boots: the backoff ends, and a failure after it starts the count again
        while (h.count(WorkerState.LOADING) == 0) {
            h.tick();
        }
        h.allReady(100);
        WorkerRecord ready = h.workers().get(0);
        assertThat(ready.state()).isEqualTo(WorkerState.READY);
        h.target(3, 0);
        h.tick();
        assertThat(h.count(WorkerState.LOADING) + h.count(WorkerState.READY)).isEqualTo(3);
    }
}
