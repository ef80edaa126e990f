package dev.autoscaler.core.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoscaler.AutoscalerEvent;
import dev.autoscaler.EndpointConfig;
import dev.autoscaler.GroupTarget;
import dev.autoscaler.LoadReport;
import dev.autoscaler.ScalingDecision;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import dev.autoscaler.core.router.RouteAnswer;
import dev.autoscaler.core.router.Router;
import dev.autoscaler.core.router.RouterHarness;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A metric outage: workers stop reporting")
class MetricOutageTest {
    static final int FLEET = 4;

    /**
     * A naive policy that sizes the endpoint from the work the reports say was served: when the reports
     * stop, it sees no work and asks for one worker. The engine must not follow it down.
     */
    static ScalingDecision naive(dev.autoscaler.EndpointSnapshot s) {
        int active = s.load().servedRateShort() > 0 ? FLEET : 1;
        return ScalingDecision.of(Map.of("main", new GroupTarget(active, 0)), "served " + s.load().servedRateShort());
    }

    @Test
    @DisplayName("10 minutes without reports under load: no scale-down, no route to a silent worker, recovery after")
    void tenMinutesOfSilence() {
        EndpointConfig config = EndpointConfig.builder("llm").coldWorkers(0).coldDestroyDelay(Duration.ZERO)
                .addGroup(WorkerGroupConfig.builder("main").build()).build();
        EngineHarness h = new EngineHarness(config);
        Router router = Router.builder(h.engine).tickets(RouterHarness.TICKETS)
                .random((RandomGenerator) new SplittableRandom(11)).build();
        h.policy = MetricOutageTest::naive;
        h.target(FLEET, 0);
        h.tick();
        h.allReady(100);
        h.policy = MetricOutageTest::naive;

        // two minutes of load with reports every 5 s
        for (int s = 0; s < 24; s++) {
            route(router);
            reportAll(h);
            h.tick();
        }
        assertThat(h.count(WorkerState.READY)).isEqualTo(FLEET);
        assertThat(h.engine.targets("llm").get("main").active()).isEqualTo(FLEET);

        // ten minutes of silence, the clients still sending
        h.events.clear();
        int routedAfterSilentLimit = 0;
        for (int s = 0; s < 120; s++) {
            long now = h.clock.nanoTime();
            RouteAnswer answer = router.route("llm", 10, 0);
            if (answer instanceof RouteAnswer.Routed routed) {
                WorkerRecord w = h.engine.workers("llm").stream()
                        .filter(x -> x.workerId().equals(routed.workerId())).findFirst().orElseThrow();
                assertThat(w.secondsSinceReport(now)).as("routed to a worker silent past silent_after")
                        .isLessThanOrEqualTo(config.silentAfter().toSeconds());
                if (s * 5 > config.silentAfter().toSeconds()) {
                    routedAfterSilentLimit++;
                }
            }
            h.tick();
            assertThat(h.engine.targets("llm").get("main").active()).as("active target at %d s", s * 5)
                    .isEqualTo(FLEET);
        }
        assertThat(routedAfterSilentLimit).isZero();
        assertThat(h.events(AutoscalerEvent.WorkerStateChanged.class))
                .noneMatch(e -> e.to() == WorkerState.STOPPING || e.to() == WorkerState.DESTROYING
                        || e.to() == WorkerState.DRAINING);
        assertThat(h.events(AutoscalerEvent.TickCompleted.class))
                .anySatisfy(t -> assertThat(t.reason()).contains("held for stale data"));
        assertThat(h.events(AutoscalerEvent.TickCompleted.class))
                .anySatisfy(t -> assertThat(t.snapshot().staleWorkers()).hasSize(FLEET));
        // the whole fleet fell silent together: a shared cause (the path to the engine), not four
        // failures; nobody is rebooted within 10 x silent_after (15 minutes)
        assertThat(h.events(AutoscalerEvent.WorkerStateChanged.class)).noneMatch(e -> e.to() == WorkerState.ERROR);
        assertThat(h.provider.count("reboot")).isZero();

        // the reports come back: every worker serves again at once, nothing was rebooted or replaced
        reportAll(h);
        h.tick();
        assertThat(h.count(WorkerState.READY)).isEqualTo(FLEET);
        assertThat(router.route("llm", 10, 0)).isInstanceOf(RouteAnswer.Routed.class);
        for (int s = 0; s < 5; s++) {
            reportAll(h);
            h.tick();
        }
        assertThat(h.provider.count("create")).isEqualTo(FLEET);
        assertThat(h.provider.count("reboot")).isZero();
        assertThat(router.route("llm", 10, 0)).isInstanceOf(RouteAnswer.Routed.class);
        assertThat(h.engine.targets("llm").get("main").active()).isEqualTo(FLEET);
        assertThat(h.engine.lastDecisionReason("llm")).doesNotContain("stale");
    }

    @Test
    @DisplayName("a fleet silent together past 10 x silent_after is failed and rebooted: a fleet that died together still heals")
    void fleetSilentForLong() {
        EndpointConfig config = EndpointConfig.builder("llm").coldWorkers(0).coldDestroyDelay(Duration.ZERO)
                .staleAfter(Duration.ofSeconds(20)).silentAfter(Duration.ofSeconds(40))
                .addGroup(WorkerGroupConfig.builder("main").build()).build();
        EngineHarness h = new EngineHarness(config);
        h.target(3, 0);
        h.tick();
        h.allReady(100);
        reportAll(h);
        for (int s = 0; s < 79; s++) { // 395 s: within 10 x 40 s
            h.tick();
        }
        assertThat(h.count(WorkerState.READY)).isEqualTo(3);
        for (int s = 0; s < 3; s++) { // 410 s: failed at the first pass past 400 s, rebooted at the next
            h.tick();
        }
        assertThat(h.events(AutoscalerEvent.WorkerStateChanged.class))
                .filteredOn(e -> e.to() == WorkerState.ERROR).hasSize(3)
                .allSatisfy(e -> assertThat(e.reason()).contains("silent for").contains("the whole fleet silent together"));
        assertThat(h.count(WorkerState.REBOOTING)).isEqualTo(3);
    }

    @Test
    @DisplayName("two workers that fell silent minutes apart are two failures: each failed past twice silent_after")
    void silentApartAreSeparateFailures() {
        EndpointConfig config = EndpointConfig.builder("llm").coldWorkers(0).coldDestroyDelay(Duration.ZERO)
                .staleAfter(Duration.ofSeconds(20)).silentAfter(Duration.ofSeconds(40))
                .addGroup(WorkerGroupConfig.builder("main").build()).build();
        EngineHarness h = new EngineHarness(config);
        h.target(2, 0);
        h.tick();
        h.allReady(100);
        WorkerRecord first = h.workers().get(0);
        WorkerRecord second = h.workers().get(1);
        h.report(first, 100, "");
        for (int s = 0; s < 12; s++) { // the second goes on reporting for 60 s, then falls silent too
            h.report(second, 100, "");
            h.tick();
        }
        for (int s = 0; s < 6; s++) { // 90 s after the first's last report: past twice silent_after
            h.tick();
        }
        assertThat(h.engine.workers("llm")).filteredOn(w -> w.workerId().equals(first.workerId()))
                .extracting(WorkerRecord::state).containsExactly(WorkerState.REBOOTING);
    }

    @Test
    @DisplayName("one hung worker among reporting ones: routed nothing past silent_after, rebooted past twice that")
    void oneHungWorker() {
        EndpointConfig config = EndpointConfig.builder("llm").coldWorkers(0).coldDestroyDelay(Duration.ZERO)
                .staleAfter(Duration.ofSeconds(20)).silentAfter(Duration.ofSeconds(40))
                .addGroup(WorkerGroupConfig.builder("main").build()).build();
        EngineHarness h = new EngineHarness(config);
        Router router = Router.builder(h.engine).tickets(RouterHarness.TICKETS)
                .random((RandomGenerator) new SplittableRandom(3)).build();
        h.target(2, 0);
        h.tick();
        h.allReady(100);
        WorkerRecord hung = h.workers().get(0);
        WorkerRecord alive = h.workers().get(1);
        for (int s = 0; s < 20; s++) { // 100 s
            h.report(alive, 100, "");
            if (s * 5 > 45) {
                RouteAnswer answer = router.route("llm", 1, 0);
                assertThat(answer).isInstanceOfSatisfying(RouteAnswer.Routed.class,
                        r -> assertThat(r.workerId()).isEqualTo(alive.workerId()));
            }
            h.tick();
        }
        assertThat(h.engine.workers("llm")).filteredOn(w -> w.workerId().equals(hung.workerId()))
                .extracting(WorkerRecord::state).containsExactly(WorkerState.REBOOTING);
    }

    private static void route(Router router) {
        router.route("llm", 10, 0);
    }

    private static void reportAll(EngineHarness h) {
        for (WorkerRecord w : h.workers()) {
            if (w.instanceId().isEmpty() || w.state() == WorkerState.STOPPED || w.state() == WorkerState.ERROR) {
                continue;
            }
            h.engine.report(LoadReport.builder(Long.parseLong(w.instanceId()), w.mtoken()).url(w.url())
                    .maxPerf(100).curPerf(100).curLoad(10).numRequestsWorking(1).build());
        }
    }
}
