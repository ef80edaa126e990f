package dev.autoscaler.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.autoscaler.AutoscalerEvent;
import dev.autoscaler.sim.GroupService.GroupServed;
import dev.autoscaler.spi.AutoscalerListener;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("simulated worker-group scenarios")
class GroupScenariosTest {

    private static Simulation rollout(Scenario scenario, long seed) {
        SimulationConfig config = SimulationConfig.of(SimulationConfig.rolloutEndpoint("vast"),
                scenario.generate(seed), seed);
        Simulation simulation = Simulation.builder(config).build();
        simulation.run();
        return simulation;
    }

    private static Simulation overflow(long seed) {
        SimulationConfig config = SimulationConfig.of(SimulationConfig.overflowEndpoint("vast"),
                Scenario.SPIKE.generate(seed), seed);
        Simulation simulation = Simulation.builder(config).build();
        simulation.run();
        return simulation;
    }

    @Nested
    @DisplayName("a 90/10 rollout")
    class Rollout {
        @Test
        @DisplayName("the canary serves 10% of the requests, within two points (diurnal load)")
        void tenPercent() {
            Simulation run = rollout(Scenario.DIURNAL, 1);

            assertThat(run.groupService().group(SimulationConfig.CANARY).share()).isCloseTo(0.10, within(0.02));
            assertThat(run.groupService().group(SimulationConfig.STABLE).share()).isCloseTo(0.90, within(0.02));
        }

        @Test
        @DisplayName("so does it on another seed, and under the step load")
        void tenPercentOtherSeedAndStep() {
            assertThat(rollout(Scenario.DIURNAL, 7).groupService().group(SimulationConfig.CANARY).share())
                    .isCloseTo(0.10, within(0.02));
            assertThat(rollout(Scenario.STEP, 2).groupService().group(SimulationConfig.CANARY).share()).isCloseTo(0.10, within(0.02));
        }

        @Test
        @DisplayName("the same seed gives the same shares, byte for byte")
        void deterministic() {
            assertThat(rollout(Scenario.STEP, 3).groupService().toJson())
                    .isEqualTo(rollout(Scenario.STEP, 3).groupService().toJson());
        }
    }

    @Nested
    @DisplayName("an overflow group under spikes")
    class OverflowUnderSpikes {
        @Test
        @DisplayName("the cheap overflow group serves only from the spike (minute 20 to 25) until its backlog drains")
        void servesOnlyDuringTheSpike() {
            GroupServed cheap = overflow(1).groupService().group(SimulationConfig.CHEAP);

            assertThat(cheap.requests()).isPositive();
            assertThat(cheap.firstStartSeconds()).isGreaterThanOrEqualTo(1200);
            // the spike ends at 1,500 s; its backlog drains within minutes, then 30 minutes of base load
            // (1.5 req/s) go to the fast group alone
            assertThat(cheap.lastStartSeconds()).isLessThan(1800);
        }

        @Test
        @DisplayName("the capped fast group serves the base load and most of the whole")
        void fastServesTheBase() {
            GroupService service = overflow(1).groupService();

            assertThat(service.group(SimulationConfig.FAST).firstStartSeconds()).isLessThan(1200);
            assertThat(service.group(SimulationConfig.FAST).share()).isGreaterThan(0.5);
            assertThat(service.group(SimulationConfig.CHEAP).share()).isPositive();
        }

        @Test
        @DisplayName("the fast group's own max_workers holds at every instant of the spike, creates in flight included")
        void fastGroupCapHolds() {
            SimulationConfig config = SimulationConfig.of(SimulationConfig.overflowEndpoint("vast"),
                    Scenario.SPIKE.generate(1), 1);
            AtomicReference<Simulation> run = new AtomicReference<>();
            long[] peak = {0};
            Simulation simulation = Simulation.builder(config).listener(new AutoscalerListener() {
                @Override
                public void onWorkerStateChanged(AutoscalerEvent.WorkerStateChanged e) {
                    long fast = run.get().engine().workers(SimulationConfig.ENDPOINT).stream()
                            .filter(w -> w.group().equals(SimulationConfig.FAST) && w.state().isCounted()).count();
                    peak[0] = Math.max(peak[0], fast);
                }
            }).build();
            run.set(simulation);

            simulation.run();

            assertThat(peak[0]).isEqualTo(SimulationConfig.FAST_CAP);
            assertThat(simulation.groupService().group(SimulationConfig.CHEAP).requests()).isPositive();
        }

        @Test
        @DisplayName("the same seed gives the same shares, byte for byte")
        void deterministic() {
            assertThat(overflow(3).groupService().toJson()).isEqualTo(overflow(3).groupService().toJson());
        }
    }
}
