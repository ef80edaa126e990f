package dev.autoscaler.core.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoscaler.AutoscalerEvent;
import dev.autoscaler.EndpointConfig;
import dev.autoscaler.LoadReport;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import dev.autoscaler.core.router.RouteAnswer;
import dev.autoscaler.core.router.Router;
import dev.autoscaler.core.router.RouterHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Every timeout of the engine and the router runs on monotonic time: the same run with the wall clock
 * stepped an hour forward, then two hours back, does exactly what it does without the steps (the
 * same state changes, provider calls, expiries and route answers, in the same order).
 */
@DisplayName("Clock jumps: a wall-clock step of +1 h or -1 h destroys, stops and expires nothing")
class ClockJumpTest {

    @Test
    @DisplayName("the run with wall steps of +1 h and -2 h is the run without them")
    void wallStepsChangeNothing() {
        List<String> steady = run(false);
        List<String> stepped = run(true);
        assertThat(stepped).isEqualTo(steady);
        // the run exercises the timers a step could fire: loading, drains, the cold pool's delay, expiries
        assertThat(steady).anyMatch(e -> e.contains("loading_timeout"));
        assertThat(steady).anyMatch(e -> e.contains("-> STOPPED") || e.contains("-> STOPPING"));
        assertThat(steady).anyMatch(e -> e.startsWith("expired"));
    }

    private static List<String> run(boolean stepWall) {
        EndpointConfig config = EndpointConfig.builder("llm").coldWorkers(1).coldDestroyDelay(Duration.ofMinutes(10))
                .loadingTimeout(Duration.ofMinutes(3)).drainTimeout(Duration.ofMinutes(2))
                .addGroup(WorkerGroupConfig.builder("main").build()).build();
        EngineHarness h = new EngineHarness(config);
        Router router = Router.builder(h.engine).tickets(RouterHarness.TICKETS)
                .random((RandomGenerator) new SplittableRandom(5)).build();
        SplittableRandom random = new SplittableRandom(99);
        List<String> log = new ArrayList<>();
        h.target(3, 1);
        for (int s = 0; s < 400; s++) { // 400 ticks of 5 s
            if (stepWall && s == 100) {
                h.clock.stepWall(Duration.ofHours(1));
            }
            if (stepWall && s == 250) {
                h.clock.stepWall(Duration.ofHours(-2));
            }
            if (s % 80 == 40) {
                h.target(random.nextInt(0, 4), random.nextInt(0, 3));
            }
            for (WorkerRecord w : h.workers()) {
                // the first worker never finishes loading; the others report, some of them busy
                boolean stuck = w.instanceId().equals("1000");
                if (w.instanceId().isEmpty() || stuck || w.state() == WorkerState.STOPPED
                        || w.state() == WorkerState.DESTROYING || random.nextInt(3) == 0) {
                    continue;
                }
                h.engine.report(LoadReport.builder(Long.parseLong(w.instanceId()), w.mtoken()).url(w.url()).maxPerf(100)
                        .curPerf(50).curLoad(random.nextBoolean() ? 0 : 20).numRequestsWorking(0).build());
            }
            RouteAnswer answer = router.route("llm", 10, 0);
            log.add("route " + (answer instanceof RouteAnswer.Routed r ? "to " + r.url() : "wait"));
            h.tick();
        }
        for (AutoscalerEvent e : h.events) {
            if (e instanceof AutoscalerEvent.WorkerStateChanged c) {
                log.add(c.instanceId() + " " + c.from() + " -> " + c.to() + ": " + c.reason());
            } else if (e instanceof AutoscalerEvent.InstanceActionTaken a) {
                log.add(a.instanceId() + " " + a.action() + ": " + a.reason());
            } else if (e instanceof AutoscalerEvent.RequestExpired x) {
                log.add("expired " + (x.reserved() ? "reservation" : "wait"));
            } else if (e instanceof AutoscalerEvent.DecisionMade d) {
                log.add("decision " + d.targets() + ": " + d.reason());
            }
        }
        return log;
    }
}
