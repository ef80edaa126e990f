package dev.autoscaler.core.policy;

import static dev.autoscaler.WorkerState.LOADING;
import static dev.autoscaler.WorkerState.READY;
import static dev.autoscaler.WorkerState.STOPPED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autoscaler.EndpointSnapshot;
import dev.autoscaler.GroupTarget;
import dev.autoscaler.InvalidConfigException;
import dev.autoscaler.ScalingDecision;
import dev.autoscaler.Settings;
import dev.autoscaler.WorkerGroupConfig;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("vast policy")
class VastScalingPolicyTest {
    private final VastScalingPolicy policy = VastScalingPolicy.ofDefaults();

    private GroupTarget decide(SnapshotFixture fixture) {
        return decide(policy, fixture);
    }

    private static GroupTarget decide(VastScalingPolicy policy, SnapshotFixture fixture) {
        EndpointSnapshot snapshot = fixture.build();
        // as the engine applies it: held to max_workers by the engine's one cap rule
        ScalingDecision decision = policy.decide(snapshot).capped(snapshot.config());
        assertThat(decision.keepCurrent()).isFalse();
        assertThat(decision.targets()).hasSize(1);
        return decision.targets().values().iterator().next();
    }

    private static VastScalingPolicy withParams(Map<String, String> params) {
        return VastScalingPolicy.fromParams(Settings.of("policy_params", params));
    }

    @Test
    @DisplayName("the reason tells the whole computation with its numbers")
    void reasonShowsTheNumbers() {
        ScalingDecision decision = policy.decide(SnapshotFixture.endpoint()
                .config(c -> c.coldWorkers(5))
                .group("main", 2000).rates(5210, 4100)
                .build());

        assertThat(decision.targets()).containsExactly(Map.entry("main", new GroupTarget(3, 4)));
        assertThat(decision.reason()).isEqualTo("forecast 5,210/s (short 5,210, long 4,100) / target_util 0.9"
                + " at 2,000/s per worker -> 3 active; cold_mult 2.5 -> 4 cold; cold_workers floor 5");
    }

    @Test
    @DisplayName("the same snapshot always gives the same decision (no hidden state, no clock)")
    void pureFunctionOfTheSnapshot() {
        EndpointSnapshot snapshot = SnapshotFixture.endpoint().group("main", 1000).workers(READY, 8)
                .rates(2000, 5000).queueTime(12).build();

        assertThat(policy.decide(snapshot)).isEqualTo(policy.decide(snapshot));
    }

    @Nested
    @DisplayName("forecast")
    class Forecast {
        @Test
        @DisplayName("a rise in the short window scales up at once")
        void shortWindowRise() {
            assertThat(decide(SnapshotFixture.endpoint().rates(3600, 900)).active()).isEqualTo(4);
        }

        @Test
        @DisplayName("the long window holds capacity after a fall (scale-down lags)")
        void longWindowHolds() {
            assertThat(decide(SnapshotFixture.endpoint().rates(900, 3600)).active()).isEqualTo(4);
        }

        @Test
        @DisplayName("forecast_window=short plans on the short window alone: scale-down follows a fall at once")
        void shortForecastWindow() {
            VastScalingPolicy shortWindow = withParams(Map.of("forecast_window", "short"));
            assertThat(decide(shortWindow, SnapshotFixture.endpoint().rates(900, 3600)).active()).isEqualTo(1);
            assertThat(decide(shortWindow, SnapshotFixture.endpoint().rates(3600, 900)).active()).isEqualTo(4);
            assertThatThrownBy(() -> withParams(Map.of("forecast_window", "medium")))
                    .hasMessage("policy_params.forecast_window: must be long or short, got 'medium'");
        }

        @Test
        @DisplayName("waiting demand is planned to be served within target_queue_time")
        void waitingDemand() {
            // 900/s arriving + 9,000 waiting / 10 s = 1,800/s; / 0.9 = 2,000/s -> 2 workers of 1,000/s
            assertThat(decide(SnapshotFixture.endpoint().rate(900).waiting(9000, 30)).active()).isEqualTo(2);
        }

        @Test
        @DisplayName("requests waiting at no cost still get a worker")
        void zeroCostWaiters() {
            assertThat(decide(SnapshotFixture.endpoint().waiting(0, 3)).active()).isEqualTo(1);
        }

        @Test
        @DisplayName("a figure that is not a number counts as no load")
        void insaneFigures() {
            assertThat(decide(SnapshotFixture.endpoint().rates(Double.NaN, -5)).active()).isZero();
        }
    }

    @Nested
    @DisplayName("target_util")
    class TargetUtil {
        @Test
        @DisplayName("a higher target_util gives less active capacity")
        void higherUtilLessCapacity() {
            GroupTarget loose = decide(SnapshotFixture.endpoint().config(c -> c.targetUtil(0.5)).rate(1800));
            GroupTarget tight = decide(SnapshotFixture.endpoint().config(c -> c.targetUtil(1.0)).rate(1800));

            assertThat(loose.active()).isEqualTo(4);
            assertThat(tight.active()).isEqualTo(2);
        }

        @Test
        @DisplayName("an exact fit does not round up to an extra worker")
        void exactFit() {
            // 2,700 / 0.9 is 3,000.0000000000005 in floating point: still 3 workers
            assertThat(decide(SnapshotFixture.endpoint().rate(2700)).active()).isEqualTo(3);
        }
    }

    @Nested
    @DisplayName("cold_mult and min_cold_load")
    class ColdPool {
        @Test
        @DisplayName("cold_mult 1 keeps no cold pool")
        void coldMultOne() {
            assertThat(decide(SnapshotFixture.endpoint().config(c -> c.targetUtil(1).coldMult(1)).rate(1000)))
                    .isEqualTo(new GroupTarget(1, 0));
        }

        @Test
        @DisplayName("cold_mult sets the total; the surplus over active is cold")
        void coldMultSetsThePool() {
            assertThat(decide(SnapshotFixture.endpoint().config(c -> c.targetUtil(1).coldMult(3)).rate(1000)))
                    .isEqualTo(new GroupTarget(1, 2));
        }

        @Test
        @DisplayName("min_cold_load keeps a cold pool with no traffic")
        void minColdLoadWhenIdle() {
            assertThat(decide(SnapshotFixture.endpoint().config(c -> c.minColdLoad(4000))))
                    .isEqualTo(new GroupTarget(0, 4));
        }

        @Test
        @DisplayName("min_cold_load floors the total above load x cold_mult")
        void minColdLoadFloorsTheTotal() {
            GroupTarget target = decide(SnapshotFixture.endpoint()
                    .config(c -> c.targetUtil(1).coldMult(1).minColdLoad(5000)).rate(1000));

            assertThat(target).isEqualTo(new GroupTarget(1, 4));
        }
    }

    @Nested
    @DisplayName("min_load")
    class MinLoad {
        @Test
        @DisplayName("min_load keeps active capacity with no traffic")
        void minLoadWhenIdle() {
            assertThat(decide(SnapshotFixture.endpoint().config(c -> c.minLoad(2700))).active()).isEqualTo(3);
        }

        @Test
        @DisplayName("min_load raises a lower forecast")
        void minLoadRaisesForecast() {
            assertThat(decide(SnapshotFixture.endpoint().config(c -> c.minLoad(2700)).rate(900)).active())
                    .isEqualTo(3);
        }
    }

    @Nested
    @DisplayName("cold_workers floor")
    class ColdWorkersFloor {
        @Test
        @DisplayName("with no traffic the floor is held as cold workers")
        void floorWhenIdle() {
            assertThat(decide(SnapshotFixture.endpoint().config(c -> c.coldWorkers(5))))
                    .isEqualTo(new GroupTarget(0, 5));
        }

        @Test
        @DisplayName("active workers count toward the floor")
        void activeCountsTowardFloor() {
            GroupTarget target = decide(SnapshotFixture.endpoint()
                    .config(c -> c.coldWorkers(5).targetUtil(1).coldMult(1)).rate(2000));

            assertThat(target).isEqualTo(new GroupTarget(2, 3));
        }

        @Test
        @DisplayName("a group's own cold_workers overrides the endpoint's")
        void groupOverride() {
            ScalingDecision decision = policy.decide(SnapshotFixture.endpoint()
                    .config(c -> c.coldWorkers(5))
                    .group(WorkerGroupConfig.builder("main").coldWorkers(2).build(), 1000)
                    .build());

            assertThat(decision.targets().get("main")).isEqualTo(new GroupTarget(0, 2));
            assertThat(decision.reason()).contains("cold_workers floor 2 (group's own)");
        }
    }

    @Nested
    @DisplayName("max_workers")
    class MaxWorkers {
        @Test
        @DisplayName("the cap trims cold workers first")
        void trimsColdFirst() {
            // 10,000/s at 1,000/s: 10 active; x 2.5 = 25 in all, 15 cold; capped to 12
            GroupTarget target = decide(SnapshotFixture.endpoint()
                    .config(c -> c.targetUtil(1).maxWorkers(12)).rate(10_000));

            assertThat(target).isEqualTo(new GroupTarget(10, 2));
        }

        @Test
        @DisplayName("then active ones")
        void thenActive() {
            assertThat(decide(SnapshotFixture.endpoint().config(c -> c.targetUtil(1).maxWorkers(6)).rate(10_000)))
                    .isEqualTo(new GroupTarget(6, 0));
        }

        @Test
        @DisplayName("the cap wins over the cold_workers floor")
        void capWinsOverFloor() {
            assertThat(decide(SnapshotFixture.endpoint().config(c -> c.coldWorkers(30).maxWorkers(20))))
                    .isEqualTo(new GroupTarget(0, 20));
        }

        @Test
        @DisplayName("the cap holds over several groups together")
        void capOverGroups() {
            EndpointSnapshot snapshot = SnapshotFixture.endpoint()
                    .config(c -> c.targetUtil(1).maxWorkers(10))
                    .group("a", 1000).group("b", 1000).rate(12_000)
                    .build();
            ScalingDecision decision = policy.decide(snapshot).capped(snapshot.config());

            assertThat(decision.targets()).containsOnly(
                    Map.entry("a", new GroupTarget(5, 0)), Map.entry("b", new GroupTarget(5, 0)));
            assertThat(decision.reason()).contains("max_workers 10: 18 fewer cold, 2 fewer active");
        }

        @Test
        @DisplayName("an absurd forecast is capped, not overflowed")
        void absurdForecast() {
            assertThat(decide(SnapshotFixture.endpoint().rate(1e300)).total()).isEqualTo(20);
        }
    }

    @Nested
    @DisplayName("target_queue_time trigger")
    class QueueTrigger {
        private SnapshotFixture fourReady() {
            // 3,600/s / 0.9 at 1,000/s: the forecast alone asks for the 4 there are
            return SnapshotFixture.endpoint().group("main", 1000).workers(READY, 4).rate(3600);
        }

        @Test
        @DisplayName("at the target nothing is added")
        void atTarget() {
            assertThat(decide(fourReady().queueTime(10)).active()).isEqualTo(4);
        }

        @Test
        @DisplayName("just over the target adds one worker")
        void justOver() {
            assertThat(decide(fourReady().queueTime(10.5)).active()).isEqualTo(5);
        }

        @Test
        @DisplayName("the boost grows with the overshoot")
        void proportional() {
            assertThat(decide(fourReady().queueTime(15)).active()).isEqualTo(6);
        }

        @Test
        @DisplayName("one decision at most doubles the ready workers by default")
        void cappedBoost() {
            assertThat(decide(fourReady().queueTime(100)).active()).isEqualTo(8);
        }

        @Test
        @DisplayName("max_queue_boost raises that limit")
        void maxQueueBoostParam() {
            VastScalingPolicy bold = withParams(Map.of("max_queue_boost", "3"));

            assertThat(decide(bold, fourReady().queueTime(100)).active()).isEqualTo(12);
        }

        @Test
        @DisplayName("workers still loading count as capacity on its way")
        void loadingWorkersCount() {
            GroupTarget target = decide(SnapshotFixture.endpoint().group("main", 1000)
                    .workers(READY, 4).workers(LOADING, 2).rate(3600).queueTime(15));

            assertThat(target.active()).isEqualTo(6);
        }

        @Test
        @DisplayName("while the queue is over target no worker is let go")
        void noScaleDownWhileQueued() {
            GroupTarget target = decide(SnapshotFixture.endpoint().group("main", 1000)
                    .workers(READY, 2).workers(LOADING, 6).rate(900).queueTime(11));

            assertThat(target.active()).isEqualTo(8);
        }
    }

    @Nested
    @DisplayName("inactivity_timeout")
    class InactivityTimeout {
        private SnapshotFixture idleWithOneReady() {
            return SnapshotFixture.endpoint().group("main", 1000).workers(READY, 1).secondsSinceLastRequest(120);
        }

        @Test
        @DisplayName("unset: zero active at once")
        void unset() {
            assertThat(decide(idleWithOneReady()).active()).isZero();
        }

        @Test
        @DisplayName("0: the gate is disabled, zero active at once")
        void zero() {
            assertThat(decide(idleWithOneReady().config(c -> c.inactivityTimeout(0.0))).active()).isZero();
        }

        @Test
        @DisplayName("positive, before the timeout: keeps one active")
        void positiveBefore() {
            assertThat(decide(idleWithOneReady().config(c -> c.inactivityTimeout(300.0))).active()).isEqualTo(1);
        }

        @Test
        @DisplayName("positive, once the timeout has passed: zero active")
        void positiveAfter() {
            GroupTarget target = decide(idleWithOneReady().config(c -> c.inactivityTimeout(300.0))
                    .secondsSinceLastRequest(300));

            assertThat(target.active()).isZero();
        }

        @Test
        @DisplayName("positive, before the timeout, a group with nothing active is not woken")
        void positiveDoesNotWake() {
            GroupTarget target = decide(SnapshotFixture.endpoint().config(c -> c.inactivityTimeout(300.0))
                    .group("main", 1000).workers(STOPPED, 2).secondsSinceLastRequest(10));

            assertThat(target.active()).isZero();
        }

        @Test
        @DisplayName("negative: never zero, even with no workers at all")
        void negative() {
            GroupTarget target = decide(SnapshotFixture.endpoint().config(c -> c.inactivityTimeout(-1.0)));

            assertThat(target.active()).isEqualTo(1);
        }
    }

    @Nested
    @DisplayName("stale metrics")
    class StaleMetrics {
        @Test
        @DisplayName("do not scale active workers down")
        void holdActive() {
            assertThat(decide(SnapshotFixture.endpoint().group("main", 1000).workers(READY, 4).stale()).active())
                    .isEqualTo(4);
        }

        @Test
        @DisplayName("do not shrink the cold pool")
        void holdCold() {
            assertThat(decide(SnapshotFixture.endpoint().group("main", 1000).workers(STOPPED, 3).stale()).cold())
                    .isEqualTo(3);
        }

        @Test
        @DisplayName("hold the serving workers, not a worker a scale-down drains to stop (it counts with the cold pool)")
        void drainingToStopIsNotHeldActive() {
            GroupTarget target = decide(SnapshotFixture.endpoint().group("main", 1000).workers(READY, 4)
                    .drainingToStop(1).stale());

            assertThat(target.active()).isEqualTo(4);
            assertThat(target.cold()).isEqualTo(1);
        }

        @Test
        @DisplayName("still scale up")
        void stillScaleUp() {
            GroupTarget target = decide(SnapshotFixture.endpoint().group("main", 1000).workers(READY, 1)
                    .rate(3600).stale());

            assertThat(target.active()).isEqualTo(4);
        }
    }

    @Nested
    @DisplayName("step down")
    class StepDown {
        private static SnapshotFixture idleWithReady(int ready) {
            return SnapshotFixture.endpoint().group("main", 1000).workers(READY, ready);
        }

        @Test
        @DisplayName("by default halves the active workers per decision: 8, 4, 2, 1, 0")
        void halvesByDefault() {
            assertThat(decide(idleWithReady(8)).active()).isEqualTo(4);
            assertThat(decide(idleWithReady(4)).active()).isEqualTo(2);
            assertThat(decide(idleWithReady(2)).active()).isEqualTo(1);
            assertThat(decide(idleWithReady(1)).active()).isZero();
        }

        @Test
        @DisplayName("steps from the serving workers: one draining to stop is already gone")
        void stepsFromServingWorkers() {
            assertThat(decide(idleWithReady(4).drainingToStop(4)).active()).isEqualTo(2);
        }

        @Test
        @DisplayName("an odd count rounds the step up")
        void roundsStepUp() {
            assertThat(decide(idleWithReady(3)).active()).isEqualTo(1);
        }

        @Test
        @DisplayName("does not hold a drop smaller than the step")
        void smallDrop() {
            assertThat(decide(idleWithReady(8).rate(6300)).active()).isEqualTo(7);
        }

        @Test
        @DisplayName("scale_down_step as a count")
        void countStep() {
            assertThat(decide(withParams(Map.of("scale_down_step", "2")), idleWithReady(8)).active()).isEqualTo(6);
        }

        @Test
        @DisplayName("scale_down_step 100% lets the target drop at once")
        void noLimit() {
            assertThat(decide(withParams(Map.of("scale_down_step", "100%")), idleWithReady(8)).active()).isZero();
        }

        @Test
        @DisplayName("the reason says the step held the target")
        void reasonSaysSo() {
            assertThat(policy.decide(idleWithReady(8).build()).reason())
                    .contains("scale_down_step 50% -> 4 active for now, not 0");
        }
    }

    @Nested
    @DisplayName("several groups")
    class SeveralGroups {
        @Test
        @DisplayName("weights split the load")
        void weightsSplit() {
            ScalingDecision decision = policy.decide(SnapshotFixture.endpoint()
                    .group(WorkerGroupConfig.builder("a").weight(3).build(), 1000)
                    .group(WorkerGroupConfig.builder("b").weight(1).build(), 1000)
                    .rate(3600).config(c -> c.coldMult(1))
                    .build());

            assertThat(decision.targets()).containsOnly(
                    Map.entry("a", new GroupTarget(3, 0)), Map.entry("b", new GroupTarget(1, 0)));
            assertThat(decision.reason()).contains("group a: 2,700/s (share 75%)", "group b: 900/s (share 25%)");
        }

        @Test
        @DisplayName("each group is sized with its own perf")
        void ownPerf() {
            ScalingDecision decision = policy.decide(SnapshotFixture.endpoint()
                    .group("fast", 3000).group("slow", 1000).rate(5400).config(c -> c.coldMult(1))
                    .build());

            assertThat(decision.targets()).containsOnly(
                    Map.entry("fast", new GroupTarget(1, 0)), Map.entry("slow", new GroupTarget(3, 0)));
        }

        @Test
        @DisplayName("when every weight is 0 the groups share equally")
        void zeroWeightsShareEqually() {
            ScalingDecision decision = policy.decide(SnapshotFixture.endpoint()
                    .group(WorkerGroupConfig.builder("a").weight(0).build(), 1000)
                    .group(WorkerGroupConfig.builder("b").weight(0).build(), 1000)
                    .rate(3600).config(c -> c.coldMult(1))
                    .build());

            assertThat(decision.targets().values()).containsOnly(new GroupTarget(2, 0));
        }

        @Test
        @DisplayName("an overflow group gets no active workers but keeps its cold floor")
        void overflowGroup() {
            ScalingDecision decision = policy.decide(SnapshotFixture.endpoint()
                    .group("main", 1000)
                    .group(WorkerGroupConfig.builder("spill").overflow(true).coldWorkers(2).build(), 1000)
                    .rate(3600).queueTime(60).config(c -> c.coldMult(1))
                    .build());

            assertThat(decision.targets().get("main").active()).isEqualTo(4);
            assertThat(decision.targets().get("spill")).isEqualTo(new GroupTarget(0, 2));
        }

        @Test
        @DisplayName("an overflow group's active workers step down gradually")
        void overflowStepsDown() {
            ScalingDecision decision = policy.decide(SnapshotFixture.endpoint()
                    .group("main", 1000)
                    .group(WorkerGroupConfig.builder("spill").overflow(true).build(), 1000).workers(READY, 4)
                    .build());

            assertThat(decision.targets().get("spill").active()).isEqualTo(2);
        }
    }

    @Nested
    @DisplayName("unknown perf (nothing benchmarked yet)")
    class UnknownPerf {
        @Test
        @DisplayName("demand bootstraps one worker")
        void bootstrapsOne() {
            assertThat(decide(SnapshotFixture.endpoint().group("main", 0).rate(50_000)).active()).isEqualTo(1);
        }

        @Test
        @DisplayName("no more are rented while the first one loads, even with a long queue")
        void waitsForTheFirst() {
            GroupTarget target = decide(SnapshotFixture.endpoint().group("main", 0).workers(LOADING, 1)
                    .rate(50_000).queueTime(60));

            assertThat(target.active()).isEqualTo(1);
        }

        @Test
        @DisplayName("workers already active are kept")
        void keepsCurrent() {
            assertThat(decide(SnapshotFixture.endpoint().group("main", 0).workers(LOADING, 3).rate(500)).active())
                    .isEqualTo(3);
        }

        @Test
        @DisplayName("no demand, no worker")
        void noDemand() {
            assertThat(decide(SnapshotFixture.endpoint().group("main", 0))).isEqualTo(new GroupTarget(0, 0));
        }

        @Test
        @DisplayName("the cold pool is then only the cold_workers floor")
        void coldOnlyFloor() {
            GroupTarget target = decide(SnapshotFixture.endpoint().config(c -> c.coldWorkers(3))
                    .group("main", 0).rate(500));

            assertThat(target).isEqualTo(new GroupTarget(1, 2));
        }
    }

    @Nested
    @DisplayName("parameters")
    class Parameters {
        @Test
        @DisplayName("a scale_down_step that is not a count nor a percentage is named")
        void badStep() {
            assertThatThrownBy(() -> withParams(Map.of("scale_down_step", "half")))
                    .isInstanceOf(InvalidConfigException.class)
                    .hasMessageContaining("half")
                    .extracting(e -> ((InvalidConfigException) e).field())
                    .isEqualTo("policy_params.scale_down_step");
        }

        @Test
        @DisplayName("a scale_down_step of 0 is rejected")
        void zeroStep() {
            assertThatThrownBy(() -> withParams(Map.of("scale_down_step", "0")))
                    .isInstanceOf(InvalidConfigException.class)
                    .hasMessageStartingWith("policy_params.scale_down_step:");
        }

        @Test
        @DisplayName("a scale_down_step over 100% is rejected")
        void overHundredPercent() {
            assertThatThrownBy(() -> withParams(Map.of("scale_down_step", "150%")))
                    .isInstanceOf(InvalidConfigException.class)
                    .hasMessageStartingWith("policy_params.scale_down_step:");
        }

        @Test
        @DisplayName("a max_queue_boost below 1 is named")
        void badBoost() {
            assertThatThrownBy(() -> withParams(Map.of("max_queue_boost", "0.5")))
                    .isInstanceOf(InvalidConfigException.class)
                    .hasMessageStartingWith("policy_params.max_queue_boost: must be >= 1");
        }

        @Test
        @DisplayName("an unknown parameter is named, with the known ones")
        void unknownParam() {
            assertThatThrownBy(() -> withParams(Map.of("scale_down_stepp", "2")))
                    .isInstanceOf(InvalidConfigException.class)
                    .hasMessage("policy_params.scale_down_stepp: is not a parameter of the vast policy;"
                            + " known: forecast_window, max_queue_boost, scale_down_step");
        }
    }
}
