package dev.autoscaler.core.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoscaler.EndpointConfig;
import dev.autoscaler.LoadReport;
import dev.autoscaler.ManualClock;
import dev.autoscaler.ManualScheduler;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import dev.autoscaler.core.Autoscaler;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The vast policy driving the real engine on a manual clock")
class VastPolicyThroughEngineTest {
    private final ManualClock clock = new ManualClock();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final FakeInstanceProvider provider = new FakeInstanceProvider();

    private Autoscaler engine(EndpointConfig config) {
        return engine(config, provider);
    }

    private Autoscaler engine(EndpointConfig config, FakeInstanceProvider provider) {
        Autoscaler engine = Autoscaler.builder().clock(clock).scheduler(scheduler).provider(provider)
                .secret(EngineHarness.SECRET).random((RandomGenerator) new SplittableRandom(7))
                .tickInterval(Duration.ofSeconds(5)).endpoint(config).build();
        engine.start();
        return engine;
    }

    private static EndpointConfig.Builder config() {
        return EndpointConfig.builder("llm").coldWorkers(0).coldMult(1)
                .addGroup(WorkerGroupConfig.builder("main").expectedPerf(1000.0).build());
    }

    /** Drives {@code seconds} of traffic at {@code rate} perf units/s; every worker reports every second. */
    private void run(Autoscaler engine, int seconds, double rate) {
        for (int s = 0; s < seconds; s++) {
            if (rate > 0) {
                engine.routingHooks().recordRoutedRequest("llm", rate);
            }
            for (WorkerRecord w : engine.workers("llm")) {
                if (w.state() == WorkerState.LOADING || w.state() == WorkerState.STARTING || w.state() == WorkerState.READY) {
                    engine.report(LoadReport.builder(Long.parseLong(w.instanceId()), w.mtoken()).maxPerf(1000).build());
                }
            }
            scheduler.advance(Duration.ofSeconds(1));
        }
    }

    private static long active(Autoscaler engine) {
        return engine.workers("llm").stream().filter(w -> w.state().isActive()).count();
    }

    @Test
    @DisplayName("load scales the endpoint up to load / target_util / perf")
    void scalesUpToLoad() {
        Autoscaler engine = engine(config().targetUtil(0.9).build());
        run(engine, 60, 4000);
        assertThat(active(engine)).isEqualTo(5); // ceil(4000 / 0.9 / 1000)
        assertThat(engine.lastDecisionReason("llm")).contains("target_util 0.9");
    }

    @Test
    @DisplayName("a higher target_util runs fewer workers for the same load")
    void higherTargetUtilLessCapacity() {
        Autoscaler low = engine(config().targetUtil(0.5).build());
        run(low, 60, 4000);
        assertThat(active(low)).isEqualTo(8);
        low.close();
        Autoscaler high = engine(config().targetUtil(1.0).build(), new FakeInstanceProvider());
        run(high, 60, 4000);
        assertThat(active(high)).isEqualTo(4);
    }

    @Test
    @DisplayName("scale to zero happens only after inactivity_timeout without traffic")
    void scaleToZeroAfterInactivityTimeout() {
        Autoscaler engine = engine(config().inactivityTimeout(900.0).build());
        run(engine, 60, 2000);
        assertThat(active(engine)).isGreaterThan(0);

        run(engine, 850, 0);
        assertThat(active(engine)).as("850 s after the last request").isEqualTo(1);

        run(engine, 100, 0);
        assertThat(active(engine)).as("950 s after the last request").isZero();
        assertThat(engine.workers("llm")).allSatisfy(w -> assertThat(w.state()).isEqualTo(WorkerState.STOPPED));
    }

    @Test
    @DisplayName("with a negative inactivity_timeout one worker always stays active")
    void neverZero() {
        Autoscaler engine = engine(config().inactivityTimeout(-1.0).build());
        run(engine, 60, 2000);
        run(engine, 2000, 0);
        assertThat(active(engine)).isEqualTo(1);
    }

    @Test
    @DisplayName("cold_mult keeps the surplus as stopped workers after load falls")
    void coldMultKeepsStoppedPool() {
        Autoscaler engine = engine(EndpointConfig.builder("llm").coldWorkers(0).coldMult(2.0)
                .addGroup(WorkerGroupConfig.builder("main").expectedPerf(1000.0).build()).build());
        run(engine, 120, 1800);
        assertThat(engine.workers("llm")).filteredOn(w -> w.state() == WorkerState.STOPPED).hasSize(2);
        assertThat(active(engine)).isEqualTo(2);
    }
}
