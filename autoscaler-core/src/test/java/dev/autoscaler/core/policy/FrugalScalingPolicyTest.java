package dev.autoscaler.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autoscaler.GroupTarget;
import dev.autoscaler.InvalidConfigException;
import dev.autoscaler.ScalingDecision;
import dev.autoscaler.Settings;
import dev.autoscaler.WorkerCaps;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.WorkerState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The frugal policy's invariants, on hand-made snapshots (workers of 1,000/s). */
class FrugalScalingPolicyTest {

    /** A run of decisions against a fleet that follows the policy's targets at once. */
    private static final class Run {
        final FrugalScalingPolicy policy = FrugalScalingPolicy.ofDefaults();
        int active;
        int cold;
        final List<Integer> actives = new ArrayList<>();

        GroupTarget step(double t, double burstRate, java.util.function.UnaryOperator<SnapshotFixture> more) {
            SnapshotFixture f = SnapshotFixture.endpoint().config(c -> c.coldWorkers(2).maxWorkers(12))
                    .group("main", 1000).workers(WorkerState.READY, active).workers(WorkerState.STOPPED, cold)
                    .rates(burstRate, burstRate).burst(burstRate).at(t);
            ScalingDecision d = policy.decide(more.apply(f).build());
            GroupTarget target = d.targets().get("main");
            active = target.active();
            cold = target.cold();
            actives.add(active);
            return target;
        }
    }

    @Test
    @DisplayName("a steady noisy load does not flap: over an hour the active target never reverses")
    void steadyLoadDoesNotFlap() {
        Run run = new Run();
        SplittableRandom random = new SplittableRandom(7);
        for (int t = 0; t < 3600; t += 5) {
            // 2,000/s on average, 10 s rates wobbling +-40% as a Poisson load of costly requests does
            run.step(t, 2000 * (0.6 + 0.8 * random.nextDouble()), f -> f);
        }
        // flaps as the figures count them: a change opposite to the previous one within 5 minutes
        List<Integer> settled = run.actives.subList(60, run.actives.size());
        int flaps = 0;
        int direction = 0;
        int lastChange = -1000;
        for (int i = 1; i < settled.size(); i++) {
            int d = Integer.signum(settled.get(i) - settled.get(i - 1));
            if (d == 0) {
                continue;
            }
            if (direction != 0 && d != direction && (i - lastChange) * 5 <= 300) {
                flaps++;
            }
            direction = d;
            lastChange = i;
        }
        assertThat(flaps).isZero();
        assertThat(settled.get(settled.size() - 1)).isBetween(3, 4); // 2,000 x 1.4 / 0.9 at most
    }

    @Test
    @DisplayName("a burst is answered at the next decision")
    void scaleUpWithinOneTick() {
        Run run = new Run();
        for (int t = 0; t < 300; t += 5) {
            run.step(t, 1000, f -> f);
        }
        int before = run.active;
        GroupTarget after = run.step(300, 6000, f -> f);
        assertThat(after.active()).isGreaterThan(before).isGreaterThanOrEqualTo(3); // 6,000 x 10 / (10 + 10) / 1,000
    }

    @Test
    @DisplayName("never below cold_workers; what the engine works toward (after its caps) never above max_workers")
    void capsAndFloor() {
        var config = SnapshotFixture.endpoint().config(c -> c.maxWorkers(7).coldWorkers(3))
                .group("main", 1000).rate(1e6).burst(1e6).waiting(1e6, 500).queueTime(60).build();
        ScalingDecision huge = FrugalScalingPolicy.ofDefaults().decide(config);
        assertThat(WorkerCaps.apply(config.config(), huge.targets()).targets().get("main").total()).isEqualTo(7);

        var grouped = SnapshotFixture.endpoint()
                .group(WorkerGroupConfig.builder("main").maxWorkers(2).build(), 1000).rate(1e5).burst(1e5).build();
        ScalingDecision capped = FrugalScalingPolicy.ofDefaults().decide(grouped);
        assertThat(WorkerCaps.apply(grouped.config(), capped.targets()).targets().get("main").total()).isEqualTo(2);

        ScalingDecision idle = FrugalScalingPolicy.ofDefaults().decide(SnapshotFixture.endpoint()
                .config(c -> c.coldWorkers(4)).group("main", 1000).build());
        assertThat(idle.targets().get("main")).isEqualTo(new GroupTarget(0, 4));
    }

    @Test
    @DisplayName("workers loading for the pool are not counted as serving: a long queue does not ratchet")
    void noRatchet() {
        FrugalScalingPolicy policy = FrugalScalingPolicy.ofDefaults();
        SnapshotFixture fixture = SnapshotFixture.endpoint().config(c -> c.coldWorkers(5)).group("main", 1000)
                .workers(WorkerState.LOADING, 1).loadingForPool(5).rate(500).burst(500).waiting(2000, 4).queueTime(40);
        int first = policy.decide(fixture.at(0).build()).targets().get("main").active();
        int later = first;
        for (int t = 5; t <= 60; t += 5) {
            later = policy.decide(fixture.at(t).build()).targets().get("main").active();
        }
        // the plan for the queue: 500/s + (2,000 waiting + 500/s x 180 s of growth with nothing ready)
        // / (5 s + 0.3 x 180 s) = 2,060/s: three workers, the loading one among them, and no more
        // however long the workers take to load
        assertThat(later).isEqualTo(first).isEqualTo(3);
    }

    @Test
    @DisplayName("the stopped pool grows with the rises seen, and a wake from idle resumes for the remembered rise")
    void poolSizedByPastRises() {
        Run run = new Run();
        for (int t = 0; t < 120; t += 5) {
            run.step(t, 0, f -> f);
        }
        for (int t = 120; t < 240; t += 5) {
            run.step(t, 5000, f -> f); // a rise from 0 to 5,000/s
        }
        for (int t = 240; t < 1200; t += 5) {
            run.step(t, 0, f -> f);
        }
        assertThat(run.active).isZero();
        assertThat(run.cold).isGreaterThanOrEqualTo(6); // 5,000 / 0.9 at 1,000/s
        GroupTarget wake = run.step(1200, 200, f -> f.waiting(500, 1));
        assertThat(wake.active()).isGreaterThanOrEqualTo(5);
    }

    @Test
    @DisplayName("a resume overdue (past 1.5 x resume_seconds) keeps its place but brings no capacity: its replacement is asked for")
    void overdueResumeIsReplaced() {
        // 2,500/s at 1,000/s a worker and target_util 0.9: three workers; one of them is resuming since t=0
        java.util.function.DoubleFunction<Integer> activeAt = t -> FrugalScalingPolicy.ofDefaults().decide(
                SnapshotFixture.endpoint().config(c -> c.coldWorkers(0)).group("main", 1000)
                        .workers(WorkerState.READY, 2).workers(WorkerState.STARTING, 1).workers(WorkerState.STOPPED, 3)
                        .rate(2500).burst(2500).at(t).build()).targets().get("main").active();
        assertThat(activeAt.apply(20)).isEqualTo(3);  // on time: it is counted on
        assertThat(activeAt.apply(60)).isEqualTo(4);  // 60 s > 45 s: one more beside it
    }

    @Test
    @DisplayName("work queued on the workers past 2 x T is backlog, as at the router: more workers though no request waits there")
    void workerQueueIsBacklog() {
        // 2,500/s on three workers of 1,000/s; T = 10 s
        java.util.function.DoubleFunction<ScalingDecision> holding = load -> FrugalScalingPolicy.ofDefaults().decide(
                SnapshotFixture.endpoint().config(c -> c.coldWorkers(0)).group("main", 1000)
                        .readyHolding(3, load).workers(WorkerState.STOPPED, 4).rate(2500).burst(2500).at(0).build());
        // 15 s of work each: within 2 x T, a busy fleet, no backlog
        assertThat(holding.apply(15_000).targets().get("main").active()).isEqualTo(3);
        // 30 s each: 3 x 10,000 beyond 20 s, cleared within 5 s + 0.3 x 30 s (a resume) = 14 s:
        // 2,500 + 2,143 = 4,643/s, five workers
        ScalingDecision behind = holding.apply(30_000);
        assertThat(behind.targets().get("main").active()).isEqualTo(5);
        assertThat(behind.reason()).contains("backlog 30,000");
    }

    @Test
    @DisplayName("a stopped worker resumed to serve is not replaced in the pool by a rented one")
    void resumeDoesNotRentForThePool() {
        FrugalScalingPolicy policy = FrugalScalingPolicy.ofDefaults();
        SnapshotFixture fleet = SnapshotFixture.endpoint().config(c -> c.coldWorkers(0)).group("main", 1000)
                .workers(WorkerState.READY, 2).workers(WorkerState.STOPPED, 1);
        policy.decide(fleet.rate(0).burst(0).at(0).build());
        // a rise: the pool would like room for it, but it only keeps workers it has
        GroupTarget target = policy.decide(fleet.rate(2500).burst(2500).at(5).build()).targets().get("main");
        assertThat(target.active()).isEqualTo(3);
        assertThat(target.total()).isEqualTo(3);
    }

    @Test
    @DisplayName("standby_ratio rents stopped workers for that many times the median level, which a spike does not raise; off by default")
    void standbyRentsForTheMedianLevel() {
        for (String ratio : new String[] {null, "4"}) {
            FrugalScalingPolicy policy = ratio == null ? FrugalScalingPolicy.ofDefaults()
                    : FrugalScalingPolicy.fromParams(Settings.of(Map.of("standby_ratio", ratio)));
            int active = 1;
            int cold = 0;
            GroupTarget target = null;
            ScalingDecision decision = null;
            // ten minutes at 1,000/s, one of 8,000/s, five more at 1,000/s; the fleet follows the targets
            for (int t = 0; t < 960; t += 5) {
                double rate = t >= 600 && t < 660 ? 8000 : 1000;
                decision = policy.decide(SnapshotFixture.endpoint().config(c -> c.coldWorkers(0).maxWorkers(20))
                        .group("main", 1000).workers(WorkerState.READY, active).workers(WorkerState.STOPPED, cold)
                        .rates(rate, rate).burst(rate).at(t).build());
                target = decision.targets().get("main");
                active = target.active();
                cold = target.cold();
                if (t == 595) {
                    // 4 x 1,000/s at target_util 0.9 and 1,000/s a worker: five workers, rented for the pool
                    assertThat(target.total()).isEqualTo(ratio == null ? 2 : 5);
                }
            }
            if (ratio == null) {
                assertThat(decision.reason()).doesNotContain("standby");
            } else {
                // the median of the hour is still 1,000/s: the standby did not grow with the spike
                assertThat(decision.reason()).contains("standby for 4,000/s (4 x the median level)");
            }
        }
        assertThatThrownBy(() -> FrugalScalingPolicy.fromParams(Settings.of(Map.of("standby_ratio", "-1"))))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("standby_ratio");
    }

    @Test
    @DisplayName("without max_util the endpoint's target_util sets the utilisation planned for")
    void maxUtilDefaultsToTargetUtil() {
        java.util.function.Function<FrugalScalingPolicy, Integer> at1000PerSecond = policy -> policy.decide(
                SnapshotFixture.endpoint().config(c -> c.coldWorkers(0).targetUtil(0.5)).group("main", 1000)
                        .workers(WorkerState.READY, 1).rate(1000).burst(1000).build()).targets().get("main").active();
        assertThat(at1000PerSecond.apply(FrugalScalingPolicy.ofDefaults())).isEqualTo(2); // 1,000 / 0.5
        assertThat(at1000PerSecond.apply(FrugalScalingPolicy.fromParams(Settings.of(Map.of("max_util", "1"))))).isEqualTo(1);
    }

    @Test
    @DisplayName("the same snapshots in the same order give the same decisions")
    void deterministic() {
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        for (List<String> out : List.of(first, second)) {
            Run run = new Run();
            SplittableRandom random = new SplittableRandom(3);
            for (int t = 0; t < 1800; t += 5) {
                run.step(t, 3000 * random.nextDouble(), f -> f);
                out.add(run.active + "/" + run.cold);
            }
        }
        assertThat(second).isEqualTo(first);
    }

    @Test
    @DisplayName("unknown and out-of-range parameters are rejected, naming them")
    void rejectsBadParams() {
        assertThatThrownBy(() -> FrugalScalingPolicy.fromParams(Settings.of(Map.of("max_utl", "0.8"))))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("max_utl");
        assertThatThrownBy(() -> FrugalScalingPolicy.fromParams(Settings.of(Map.of("max_util", "0"))))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("max_util");
    }
}
