package dev.autoscaler.core.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoscaler.AutoscalerEvent;
import dev.autoscaler.InstanceAction;
import dev.autoscaler.WorkerIntent;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import dev.autoscaler.spi.Instance;
import dev.autoscaler.spi.InstanceStatus;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The reconciler turns targets into provider actions in DESIGN.md's order")
class ReconcilerTest {

    @Test
    @DisplayName("creates workers up to the active target, labelled with endpoint, group and a unique id ending in the template revision")
    void createsLabelledWorkers() {
        EngineHarness h = new EngineHarness(EngineHarness.endpoint().build());
        h.engine.start();
        h.target(3, 0);
        h.tick();

        assertThat(h.workers()).hasSize(3).allSatisfy(w -> {
            assertThat(w.state()).isEqualTo(WorkerState.LOADING);
            assertThat(w.label()).matches("autoscaler:llm:main:[0-9a-f]{16}-r[0-9a-f]{8}");
            assertThat(w.label()).endsWith("-r" + w.templateRevision());
            assertThat(h.provider.instances.get(w.instanceId()).label()).isEqualTo(w.label());
            assertThat(h.provider.envs.get(w.instanceId())).containsEntry("MASTER_TOKEN", w.mtoken())
                    .containsKey("REPORT_ADDR").containsEntry("WORKER_PORT", "3000");
        });
        assertThat(h.workers().stream().map(WorkerRecord::workerId).distinct()).hasSize(3);
    }

    @Test
    @DisplayName("a worker becomes READY on a report with max_perf > 0 and no error")
    void readyOnReport() {
        EngineHarness h = new EngineHarness(EngineHarness.endpoint().build());
        h.target(1, 0);
        h.tick();
        WorkerRecord w = h.workers().get(0);
        assertThat(h.report(w, 0, "").state()).isEqualTo(WorkerState.LOADING);
        assertThat(h.report(w, 1500, "").state()).isEqualTo(WorkerState.READY);
        assertThat(h.workers().get(0).perf()).isEqualTo(1500);
        assertThat(h.provider.measured).containsExactly("main/RTX 4090=1500.0");
    }

    @Test
    @DisplayName("resumes stopped workers before it creates new ones")
    void resumeBeforeCreate() {
        EngineHarness h = new EngineHarness(EngineHarness.endpoint().build());
        h.target(3, 0);
        h.tick();
        h.allReady(1000);
        h.target(0, 3);
        h.tick();
        assertThat(h.count(WorkerState.STOPPED)).isEqualTo(3);
        long createsBefore = h.provider.count("create");

        h.target(4, 0);
        h.tick();

        assertThat(h.provider.count("start")).isEqualTo(3);
        assertThat(h.provider.count("create") - createsBefore).isEqualTo(1);
        assertThat(h.count(WorkerState.STARTING)).isEqualTo(3);
        assertThat(h.count(WorkerState.LOADING)).isEqualTo(1);
        int startIndex = h.provider.calls.indexOf(h.provider.calls.stream().filter(c -> c.startsWith("start")).findFirst().orElseThrow());
        assertThat(h.provider.calls.lastIndexOf("create main")).isGreaterThan(startIndex);
    }

    @Test
    @DisplayName("scaling down stops active workers (they join the cold pool) before anything is destroyed")
    void stopBeforeDestroy() {
        EngineHarness h = new EngineHarness(EngineHarness.endpoint().build());
        h.target(4, 0);
        h.tick();
        h.allReady(1000);

        h.target(1, 3);
        h.tick();

        assertThat(h.provider.count("stop")).isEqualTo(3);
        assertThat(h.provider.count("destroy")).isZero();
        assertThat(h.count(WorkerState.STOPPED)).isEqualTo(3);
        assertThat(h.count(WorkerState.READY)).isEqualTo(1);

        h.target(1, 1);
        h.tick();
        assertThat(h.provider.count("destroy")).isEqualTo(2);
        assertThat(h.count(WorkerState.STOPPED)).isEqualTo(1);
    }

    @Test
    @DisplayName("stops idle workers first")
    void stopsIdleFirst() {
        EngineHarness h = new EngineHarness(EngineHarness.endpoint().build());
        h.target(3, 0);
        h.tick();
        List<WorkerRecord> ws = h.workers();
        for (int i = 0; i < ws.size(); i++) {
            WorkerRecord w = ws.get(i);
            h.engine.report(dev.autoscaler.LoadReport.builder(Long.parseLong(w.instanceId()), w.mtoken())
                    .maxPerf(1000).curLoad(i == 1 ? 0 : 500).build());
        }
        h.target(2, 1);
        h.tick();
        assertThat(h.engine.stateStore().worker(ws.get(1).workerId()).orElseThrow().state()).isEqualTo(WorkerState.STOPPED);
    }

    @Test
    @DisplayName("destroys the worst price-performance stopped worker first")
    void worstPricePerformanceDestroyedFirst() {
        FakeInstanceProvider provider = new FakeInstanceProvider();
        provider.offers.add(new Instance("x", "", InstanceStatus.RUNNING, "", "cheap", 0.40, 1));
        provider.offers.add(new Instance("x", "", InstanceStatus.RUNNING, "", "pricey", 1.20, 1));
        provider.offers.add(new Instance("x", "", InstanceStatus.RUNNING, "", "mid", 0.80, 1));
        EngineHarness h = new EngineHarness(EngineHarness.endpoint().build(), provider);
        h.target(3, 0);
        h.tick();
        h.allReady(2000);
        h.target(0, 3);
        h.tick();
        assertThat(h.count(WorkerState.STOPPED)).isEqualTo(3);

        h.target(0, 2);
        h.tick();
        assertThat(h.workers()).extracting(WorkerRecord::gpuName).containsExactlyInAnyOrder("cheap", "mid");

        h.target(0, 1);
        h.tick();
        assertThat(h.workers()).extracting(WorkerRecord::gpuName).containsExactly("cheap");
    }

    @Test
    @DisplayName("resumes the best price-performance stopped worker first")
    void bestPricePerformanceResumedFirst() {
        FakeInstanceProvider provider = new FakeInstanceProvider();
        provider.offers.add(new Instance("x", "", InstanceStatus.RUNNING, "", "pricey", 1.20, 1));
        provider.offers.add(new Instance("x", "", InstanceStatus.RUNNING, "", "cheap", 0.40, 1));
        EngineHarness h = new EngineHarness(EngineHarness.endpoint().build(), provider);
        h.target(2, 0);
        h.tick();
        h.allReady(2000);
        h.target(0, 2);
        h.tick();
        h.target(1, 1);
        h.tick();
        assertThat(h.workers()).filteredOn(w -> w.state() == WorkerState.STARTING)
                .extracting(WorkerRecord::gpuName).containsExactly("cheap");
    }

    @Test
    @DisplayName("never stops a worker that is still loading: it is marked for the cold pool and stopped once ready")
    void loadingWorkersFinishBeforeStopping() {
        EngineHarness h = new EngineHarness(EngineHarness.endpoint().build());
        h.target(2, 0);
        h.tick();
        h.target(0, 2);
        h.tick();
        assertThat(h.provider.count("stop")).isZero();
        assertThat(h.workers()).allSatisfy(w -> {
            assertThat(w.state()).isEqualTo(WorkerState.LOADING);
            assertThat(w.intent()).isEqualTo(WorkerIntent.COLD);
        });

        h.allReady(1000);
        h.tick();
        assertThat(h.count(WorkerState.STOPPED)).isEqualTo(2);
    }

    @Test
    @DisplayName("scaling up resumes a stopped worker rather than take a cold-pool worker that is still loading")
    void resumeBeforeTakingALoadingPoolWorker() {
        EngineHarness h = new EngineHarness(EngineHarness.endpoint().build());
        h.target(0, 1);
        h.tick();
        h.allReady(1000);
        h.tick();
        assertThat(h.count(WorkerState.STOPPED)).isEqualTo(1);
        h.target(0, 2);
        h.tick(); // a second pool worker, still loading
        long createsBefore = h.provider.count("create");

        h.target(1, 1);
        h.tick();

        // the resume serves in seconds; the loading worker would take minutes, and the pool would
        // then be refilled with yet another new instance
        assertThat(h.provider.count("start")).isEqualTo(1);
        assertThat(h.count(WorkerState.STARTING)).isEqualTo(1);
        assertThat(h.workers()).filteredOn(w -> w.state() == WorkerState.LOADING)
                .extracting(WorkerRecord::intent).containsExactly(WorkerIntent.COLD);
        assertThat(h.provider.count("create")).isEqualTo(createsBefore);
    }

    @Test
    @DisplayName("a cold-pool target is filled by new workers that load, benchmark, then stop")
    void coldPoolFilledByLoadThenStop() {
        EngineHarness h = new EngineHarness(EngineHarness.endpoint().build());
        h.target(1, 2);
        h.tick();
        assertThat(h.workers()).hasSize(3);
        assertThat(h.workers()).filteredOn(w -> w.intent() == WorkerIntent.COLD).hasSize(2);
        h.allReady(1000);
        h.tick();
        assertThat(h.count(WorkerState.READY)).isEqualTo(1);
        assertThat(h.count(WorkerState.STOPPED)).isEqualTo(2);
    }

    @Test
    @DisplayName("never destroys below the cold_workers floor, whatever the target")
    void coldWorkersFloor() {
        EngineHarness h = new EngineHarness(EngineHarness.endpoint().coldWorkers(2).build());
        h.target(4, 0);
        h.tick();
        h.allReady(1000);
        h.target(0, 0);
        h.tick();
        h.tick();
        assertThat(h.count(WorkerState.STOPPED)).isEqualTo(2);
        assertThat(h.workers()).hasSize(2);
    }

    @Test
    @DisplayName("max_workers holds at every instant, whatever the policy asks")
    void maxWorkersCap() {
        EngineHarness h = new EngineHarness(EngineHarness.endpoint().maxWorkers(3).build());
        int[] peak = {0};
        h.engine.addListener(new dev.autoscaler.spi.AutoscalerListener() {
            @Override
            public void onWorkerStateChanged(AutoscalerEvent.WorkerStateChanged e) {
                peak[0] = Math.max(peak[0], h.engine.workers("llm").size());
            }
        });
        h.target(5, 5);
        h.tick();
        h.allReady(1000);
        h.tick();
        h.tick();
        assertThat(h.workers()).hasSize(3);
        assertThat(peak[0]).isLessThanOrEqualTo(3);
        assertThat(h.engine.targets("llm").get("main").total()).isLessThanOrEqualTo(3);
        assertThat(h.events(AutoscalerEvent.DecisionMade.class).get(0).reason()).contains("clamped to max_workers 3");
    }

    @Test
    @DisplayName("a lowered max_workers is enforced by destroying stopped workers first")
    void loweredCap() {
        EngineHarness h = new EngineHarness(EngineHarness.endpoint().build());
        h.target(2, 2);
        h.tick();
        h.allReady(1000);
        h.tick();
        assertThat(h.count(WorkerState.STOPPED)).isEqualTo(2);
        h.engine.putEndpoint(EngineHarness.endpoint().maxWorkers(2).build());
        h.tick();
        assertThat(h.workers()).hasSize(2).allSatisfy(w -> assertThat(w.state()).isEqualTo(WorkerState.READY));
    }

    @Test
    @DisplayName("a failed create backs off instead of retrying every tick, then recovers")
    void createBackoff() {
        EngineHarness h = new EngineHarness(EngineHarness.endpoint().build());
        h.provider.failNext(FakeInstanceProvider.Call.CREATE,
                new dev.autoscaler.ProviderException(dev.autoscaler.ProviderException.Kind.UNAVAILABLE, "503"));
        h.target(1, 0);
        h.tick();
        assertThat(h.workers()).isEmpty();
        assertThat(h.events(AutoscalerEvent.ProviderFailed.class)).hasSize(1);
        for (int i = 0; i < 10; i++) {
            h.tick();
        }
        assertThat(h.workers()).hasSize(1);
        assertThat(h.provider.count("create")).isEqualTo(2);
    }

    @Test
    @DisplayName("workers are listed in creation order and events carry the manual clock's time")
    void eventsUseTheEngineClock() {
        EngineHarness h = new EngineHarness(EngineHarness.endpoint().build());
        h.target(1, 0);
        h.tick();
        assertThat(h.events(AutoscalerEvent.InstanceActionTaken.class)).singleElement().satisfies(e -> {
            assertThat(e.action()).isEqualTo(InstanceAction.CREATE);
            assertThat(e.at()).isEqualTo(h.clock.now());
        });
        assertThat(h.workers()).isSortedAccordingTo(Comparator.comparingLong(WorkerRecord::createdAtNanos));
    }

    @Test
    @DisplayName("a surplus stopped worker is destroyed only once it has been stopped for cold_destroy_delay")
    void coldDestroyDelay() {
        EngineHarness h = new EngineHarness(EngineHarness.endpoint().coldDestroyDelay(java.time.Duration.ofMinutes(10)).build());
        h.target(2, 0);
        h.tick();
        h.allReady(1000);
        h.target(0, 0);
        h.tick();
        assertThat(h.count(WorkerState.STOPPED)).isEqualTo(2);
        h.scheduler.advance(java.time.Duration.ofMinutes(9));
        assertThat(h.provider.count("destroy")).isZero();
        h.scheduler.advance(java.time.Duration.ofMinutes(2));
        assertThat(h.provider.count("destroy")).isEqualTo(2);
        assertThat(h.workers()).isEmpty();
    }
}
