package dev.autoscaler.core.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoscaler.GroupSnapshot;
import dev.autoscaler.GroupTarget;
import dev.autoscaler.ScalingDecision;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import dev.autoscaler.core.policy.VastScalingPolicy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The real engine, router and {@code vast} policy on a manual clock, with a primary group held at
 * one worker (as if capped) and an overflow group that only the policy sizes, from spill-over.
 */
@DisplayName("overflow group through engine and router: it scales on spill-over alone")
class OverflowSpillOverTest {
    private static final double PERF = 100;
    private static final VastScalingPolicy VAST = VastScalingPolicy.ofDefaults();

    private RouterHarness h;

    @BeforeEach
    void setUp() {
        // max_queue_time 1 s at perf 100: a worker takes 100 units of queued work, two requests of 50
        h = new RouterHarness(12, b -> b.maxQueueTime(1)
                .addGroup(WorkerGroupConfig.builder("spill").overflow(true).coldWorkers(1).expectedPerf(PERF).build()));
        h.policy = snapshot -> {
            ScalingDecision vast = VAST.decide(snapshot);
            Map<String, GroupTarget> targets = new LinkedHashMap<>(vast.targets());
            targets.put("main", new GroupTarget(1, 0));
            return ScalingDecision.of(targets, vast.reason());
        };
        h.engine.tick();
        reportAll(0);
    }

    @Test
    @DisplayName("while the primary group has room the overflow group gets no request and stays at its floor")
    void noSpillWhilePrimariesHaveRoom() {
        for (int i = 0; i < 20; i++) {
            RouteAnswer.Routed routed = (RouteAnswer.Routed) h.route(50);
            assertThat(h.worker(routed.workerId()).group()).isEqualTo("main");
            finish(routed); // the work is done before the next one comes
            h.advance(Duration.ofSeconds(1));
        }

        assertThat(spill().spillRateShort()).isZero();
        assertThat(h.engine.targets(RouterHarness.ENDPOINT).get("spill")).isEqualTo(new GroupTarget(0, 1));
        assertThat(active("spill")).isEmpty();
    }

    @Test
    @DisplayName("primaries full: requests wait, count as spill-over, and the overflow group scales up and takes them")
    void spillOverScalesTheOverflowGroupUp() {
        fillMain();
        for (int i = 0; i < 8; i++) {
            assertThat(h.route(50)).isInstanceOf(RouteAnswer.NotReady.class);
        }

        assertThat(spill().spillRateShort()).isEqualTo(400.0); // 8 x 50 in the first second seen
        h.engine.tick();
        // ceil(400 / 0.9 / 100) = 5
        assertThat(h.engine.targets(RouterHarness.ENDPOINT).get("spill").active()).isEqualTo(5);
        assertThat(active("spill")).hasSize(5);

        reportAll(0);
        RouteAnswer.Routed routed = (RouteAnswer.Routed) h.route(50);
        assertThat(h.worker(routed.workerId()).group()).isEqualTo("spill");
    }

    @Test
    @DisplayName("spike over: the overflow group steps back down to its floor once the windows empty")
    void backToTheFloorAfterTheSpike() {
        fillMain();
        for (int i = 0; i < 8; i++) {
            h.route(50);
        }
        h.engine.tick();
        reportAll(0);
        assertThat(active("spill")).hasSize(5);

        for (int second = 0; second < 400; second += 5) {
            h.advance(Duration.ofSeconds(5)); // the engine ticks every 5 s
            reportAll(0);
        }

        assertThat(spill().spillRateShort()).isZero();
        assertThat(spill().spillRateLong()).isZero();
        assertThat(h.engine.targets(RouterHarness.ENDPOINT).get("spill")).isEqualTo(new GroupTarget(0, 1));
        assertThat(active("spill")).isEmpty();
        assertThat(active("main")).hasSize(1);
    }

    /** Two requests of 50 fill the one main worker to max_queue_time. */
    private void fillMain() {
        for (int i = 0; i < 2; i++) {
            RouteAnswer.Routed routed = (RouteAnswer.Routed) h.route(50);
            assertThat(h.worker(routed.workerId()).group()).isEqualTo("main");
        }
    }

    private void finish(RouteAnswer.Routed routed) {
        WorkerRecord worker = h.worker(routed.workerId());
        h.engine.deleteRequests(Long.parseLong(worker.instanceId()), "tok-" + worker.instanceId(),
                List.of(routed.requestIdx()));
    }

    private GroupSnapshot spill() {
        return h.engine.snapshot(RouterHarness.ENDPOINT).groups().stream()
                .filter(g -> g.name().equals("spill")).findFirst().orElseThrow();
    }

    private List<WorkerRecord> active(String group) {
        return h.workers().stream().filter(w -> w.group().equals(group) && w.state().isActive()).toList();
    }

    /** Every active worker reports in, idle but for {@code load}, so that the figures stay fresh. */
    private void reportAll(double load) {
        for (WorkerRecord w : h.workers()) {
            if (w.state().isActive() || w.state() == WorkerState.READY) {
                h.report(w, PERF, load, List.of());
            }
        }
    }
}
