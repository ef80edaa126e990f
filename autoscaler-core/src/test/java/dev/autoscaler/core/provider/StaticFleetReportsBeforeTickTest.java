package dev.autoscaler.core.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autoscaler.AuthenticationException;
import dev.autoscaler.LoadReport;
import dev.autoscaler.WorkerState;
import dev.autoscaler.core.router.RouterHarness;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A static fleet's declared workers report from the moment they run, before any tick hands them out. */
class StaticFleetReportsBeforeTickTest {

    @Test
    @DisplayName("a declared worker's report is accepted before the first tick; a wrong token is still refused")
    void acceptedBeforeFirstTick() {
        RouterHarness h = new RouterHarness(3); // started: the first sync ran, no tick yet
        assertThat(h.workers()).isEmpty();

        var worker = h.engine.report(LoadReport.builder(102, "tok-102").maxPerf(0).build());
        assertThat(worker.instanceId()).isEqualTo("102");
        assertThat(h.workers()).as("a report hands nothing out").isEmpty();

        assertThatThrownBy(() -> h.engine.report(LoadReport.builder(102, "tok-999").build()))
                .isInstanceOf(AuthenticationException.class);
        assertThatThrownBy(() -> h.engine.report(LoadReport.builder(999, "tok-999").build()))
                .isInstanceOf(AuthenticationException.class);

        // once a tick hands it out, its reports move it as usual
        h.scaleTo(3);
        var handedOut = h.workers().stream().filter(w -> w.instanceId().equals("102")).findFirst().orElseThrow();
        assertThat(h.report(handedOut, 500, 0, java.util.List.of()).state()).isEqualTo(WorkerState.READY);
    }
}
