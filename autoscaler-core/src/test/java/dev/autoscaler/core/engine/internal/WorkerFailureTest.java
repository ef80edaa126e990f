package dev.autoscaler.core.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoscaler.AutoscalerEvent;
import dev.autoscaler.EndpointConfig;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import dev.autoscaler.spi.InstanceStatus;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Broken workers are rebooted, timed out and replaced")
class WorkerFailureTest {

    @Test
    @DisplayName("an error is answered with a reboot; a second error destroys and replaces the worker")
    void errorRebootReplace() {
        EngineHarness h = new EngineHarness(EngineHarness.endpoint().build());
        h.target(1, 0);
        h.tick();
        h.allReady(1000);
        WorkerRecord first = h.workers().get(0);

        assertThat(h.report(first, 1000, "CUDA out of memory").state()).isEqualTo(WorkerState.ERROR);
        h.tick();
        assertThat(h.provider.calls).contains("reboot " + first.instanceId());
        assertThat(h.workers().get(0).state()).isEqualTo(WorkerState.REBOOTING);

        assertThat(h.report(h.workers().get(0), 1000, "").state()).isEqualTo(WorkerState.READY);
        h.report(h.workers().get(0), 1000, "CUDA out of memory again");
        h.tick();

        assertThat(h.provider.calls).contains("destroy " + first.instanceId());
        assertThat(h.provider.instances).doesNotContainKey(first.instanceId());
        assertThat(h.workers()).singleElement().satisfies(w -> {
            assertThat(w.workerId()).isNotEqualTo(first.workerId());
            assertThat(w.state()).isEqualTo(WorkerState.LOADING);
        });
    }

    @Test
    @DisplayName("a failing worker's minimal report (id, mtoken, version, error_msg, url) marks it broken")
    void minimalErrorReport() {
        EngineHarness h = new EngineHarness(EngineHarness.endpoint().build());
        h.target(1, 0);
        h.tick();
        WorkerRecord w = h.workers().get(0);
        WorkerRecord after = h.engine.report(dev.autoscaler.LoadReport.builder(Long.parseLong(w.instanceId()), w.mtoken())
                .version("0.4.1").errorMsg("bootstrap failed").url(w.url() + "/").build());
        assertThat(after.state()).isEqualTo(WorkerState.ERROR);
        assertThat(after.url()).isEqualTo(w.url());
    }

    @Test
    @DisplayName("a worker stuck loading past loading_timeout is destroyed and replaced; not a moment before")
    void stuckLoadingTimeout() {
        EndpointConfig cfg = EngineHarness.endpoint().loadingTimeout(Duration.ofSeconds(300)).build();
        EngineHarness h = new EngineHarness(cfg);
        h.target(1, 0);
        h.tick();
        WorkerRecord stuck = h.workers().get(0);
        h.scheduler.advance(Duration.ofSeconds(295));
        assertThat(h.provider.calls).doesNotContain("destroy " + stuck.instanceId());

        h.scheduler.advance(Duration.ofSeconds(10));
        assertThat(h.provider.calls).contains("destroy " + stuck.instanceId());
        h.tick();
        assertThat(h.workers()).singleElement().satisfies(w -> assertThat(w.workerId()).isNotEqualTo(stuck.workerId()));
        assertThat(h.events(AutoscalerEvent.WorkerStateChanged.class))
                .anySatisfy(e -> assertThat(e.reason()).contains("loading_timeout"));
    }

    @Test
    @DisplayName("a resume that stalls past resume_timeout is given up and replaced by a new instance")
    void stalledResume() {
        EngineHarness h = new EngineHarness(EngineHarness.endpoint().resumeTimeout(Duration.ofSeconds(60)).build());
        h.target(1, 0);
        h.tick();
        h.allReady(1000);
        h.target(0, 1);
        h.tick();
        WorkerRecord stopped = h.workers().get(0);
        assertThat(stopped.state()).isEqualTo(WorkerState.STOPPED);

        h.target(1, 0);
        h.tick();
        assertThat(h.workers().get(0).state()).isEqualTo(WorkerState.STARTING);
        h.scheduler.advance(Duration.ofSeconds(70));
        assertThat(h.provider.calls).contains("destroy " + stopped.instanceId());
        assertThat(h.workers()).singleElement().satisfies(w -> {
            assertThat(w.workerId()).isNotEqualTo(stopped.workerId());
            assertThat(w.state()).isEqualTo(WorkerState.LOADING);
        });
    }

    @Test
    @DisplayName("an instance the provider reports failed (exited) is destroyed and replaced")
    void failedInstanceReplaced() {
        EngineHarness h = new EngineHarness(EngineHarness.endpoint().build());
        h.target(1, 0);
        h.tick();
        h.allReady(1000);
        WorkerRecord w = h.workers().get(0);
        h.provider.instances.put(w.instanceId(), h.provider.instances.get(w.instanceId()).withStatus(InstanceStatus.FAILED));

        h.engine.syncWithProviders();
        assertThat(h.provider.calls).contains("destroy " + w.instanceId());
        h.tick();
        assertThat(h.workers()).singleElement().satisfies(n -> assertThat(n.workerId()).isNotEqualTo(w.workerId()));
    }

    @Test
    @DisplayName("an instance that vanished from the provider's list is dropped and replaced")
    void vanishedInstanceReplaced() {
        EngineHarness h = new EngineHarness(EngineHarness.endpoint().build());
        h.target(1, 0);
        h.tick();
        h.allReady(1000);
        WorkerRecord w = h.workers().get(0);
        h.provider.instances.remove(w.instanceId());

        h.engine.syncWithProviders();
        h.tick();
        assertThat(h.workers()).singleElement().satisfies(n -> assertThat(n.workerId()).isNotEqualTo(w.workerId()));
    }

    @Test
    @DisplayName("a destroy that fails is retried on the next tick until the instance is gone")
    void destroyRetried() {
        EngineHarness h = new EngineHarness(EngineHarness.endpoint().build());
        h.target(1, 1);
        h.tick();
        h.allReady(1000);
        h.tick();
        h.provider.failNext(FakeInstanceProvider.Call.DESTROY,
                new dev.autoscaler.ProviderException(dev.autoscaler.ProviderException.Kind.TIMEOUT, "timeout"));
        h.target(1, 0);
        h.tick();
        assertThat(h.count(WorkerState.DESTROYING)).isEqualTo(1);
        h.tick();
        assertThat(h.count(WorkerState.DESTROYING)).isZero();
        assertThat(h.provider.instances).hasSize(1);
    }
}
