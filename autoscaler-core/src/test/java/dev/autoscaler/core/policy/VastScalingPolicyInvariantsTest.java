package dev.autoscaler.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoscaler.EndpointSnapshot;
import dev.autoscaler.GroupSnapshot;
import dev.autoscaler.GroupTarget;
import dev.autoscaler.ScalingDecision;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.WorkerState;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Property-style checks of the vast policy on seeded random snapshots: the rules that must hold for
 * every input, not only the hand-picked ones of {@link VastScalingPolicyTest}.
 */
@DisplayName("vast policy invariants on random snapshots")
class VastScalingPolicyInvariantsTest {
    private static final int CASES = 3000;
    private static final WorkerState[] STATES = {WorkerState.CREATING, WorkerState.LOADING, WorkerState.READY,
            WorkerState.ERROR, WorkerState.STARTING, WorkerState.STOPPING, WorkerState.STOPPED};

    private final VastScalingPolicy policy = VastScalingPolicy.ofDefaults();

    @Test
    @DisplayName("hold for every snapshot of a seeded sample")
    void invariants() {
        Random random = new Random(20260101);
        for (int i = 0; i < CASES; i++) {
            EndpointSnapshot snapshot = randomSnapshot(random);
            ScalingDecision decision = policy.decide(snapshot).capped(snapshot.config()); // as the engine applies it
            String context = "case " + i + ": " + decision.reason();

            assertThat(decision).as(context).isEqualTo(policy.decide(snapshot).capped(snapshot.config()));
            assertThat(decision.targets().keySet()).as(context)
                    .containsExactlyInAnyOrderElementsOf(snapshot.groups().stream().map(GroupSnapshot::name).toList());
            int total = decision.targets().values().stream().mapToInt(GroupTarget::total).sum();
            assertThat(total).as(context + ": max_workers").isLessThanOrEqualTo(snapshot.config().maxWorkers());
            if (total < snapshot.config().maxWorkers()) {
                checkUncapped(snapshot, decision, context);
            }
        }
    }

    @Test
    @DisplayName("each group's own max_workers holds, and the endpoint's, for every snapshot of a seeded sample")
    void groupCaps() {
        Random random = new Random(20261127);
        for (int i = 0; i < CASES; i++) {
            EndpointSnapshot snapshot = randomSnapshot(random, true);
            ScalingDecision decision = policy.decide(snapshot).capped(snapshot.config()); // as the engine applies it
            String context = "case " + i + ": " + decision.reason();

            for (GroupSnapshot group : snapshot.groups()) {
                GroupTarget target = decision.targets().get(group.name());
                group.config().maxWorkers().ifPresent(cap ->
                        assertThat(target.total()).as(context + " [" + group.name() + "]: group max_workers")
                                .isLessThanOrEqualTo(cap));
                assertThat(target.active()).as(context).isNotNegative();
                assertThat(target.cold()).as(context).isNotNegative();
            }
            int total = decision.targets().values().stream().mapToInt(GroupTarget::total).sum();
            assertThat(total).as(context + ": max_workers").isLessThanOrEqualTo(snapshot.config().maxWorkers());
        }
    }

    /** Rules the max_workers cap may override, checked only when it did not apply. */
    private static void checkUncapped(EndpointSnapshot snapshot, ScalingDecision decision, String context) {
        double[] shares = VastScalingPolicy.trafficShares(snapshot.groups());
        LoadForecast forecast = LoadForecast.of(snapshot.load(), snapshot.config());
        for (int g = 0; g < snapshot.groups().size(); g++) {
            GroupSnapshot group = snapshot.groups().get(g);
            GroupTarget target = decision.targets().get(group.name());
            int active = (int) group.activeCount();
            String where = context + " [" + group.name() + "]";

            assertThat(target.total()).as(where + ": cold_workers floor")
                    .isGreaterThanOrEqualTo(snapshot.config().coldWorkersFor(group.config()));
            if (!snapshot.load().fresh()) {
                assertThat(target.active()).as(where + ": stale holds active").isGreaterThanOrEqualTo(active);
                assertThat(target.cold()).as(where + ": stale holds cold").isGreaterThanOrEqualTo((int) group.coldCount());
            }
            assertThat(target.active()).as(where + ": step down").isGreaterThanOrEqualTo(active - (active + 1) / 2);
            if (group.config().overflow()) {
                assertThat(target.active()).as(where + ": overflow gets nothing new").isLessThanOrEqualTo(active);
            } else if (group.perfEstimate() > 0) {
                double needed = forecast.total() * shares[g] / snapshot.config().targetUtil();
                assertThat(target.active() * group.perfEstimate()).as(where + ": capacity covers the forecast")
                        .isGreaterThanOrEqualTo(needed * (1 - 1e-9));
            }
        }
    }

    private static EndpointSnapshot randomSnapshot(Random random) {
        return randomSnapshot(random, false);
    }

    /** With {@code groupCaps}, about half the groups get a max_workers of their own (0 to 5). */
    private static EndpointSnapshot randomSnapshot(Random random, boolean groupCaps) {
        SnapshotFixture fixture = SnapshotFixture.endpoint().config(c -> c
                .targetUtil(0.3 + 0.7 * random.nextDouble())
                .coldMult(1 + 3 * random.nextDouble())
                .coldWorkers(random.nextInt(7))
                .maxWorkers(random.nextInt(31))
                .minLoad(random.nextInt(3) == 0 ? 5000 * random.nextDouble() : 0)
                .minColdLoad(random.nextInt(3) == 0 ? 20_000 * random.nextDouble() : 0)
                .targetQueueTime(1 + 20 * random.nextDouble())
                .inactivityTimeout(switch (random.nextInt(4)) {
                    case 0 -> null;
                    case 1 -> 0.0;
                    case 2 -> 600 * random.nextDouble();
                    default -> -1.0;
                }));
        int groups = 1 + random.nextInt(3);
        for (int g = 0; g < groups; g++) {
            WorkerGroupConfig.Builder group = WorkerGroupConfig.builder("g" + g)
                    .weight(random.nextInt(4))
                    .overflow(random.nextInt(5) == 0);
            if (random.nextBoolean()) {
                group.coldWorkers(random.nextInt(5));
            }
            if (groupCaps && random.nextBoolean()) {
                group.maxWorkers(random.nextInt(6));
            }
            fixture.group(group.build(), random.nextInt(4) == 0 ? 0 : 500 + 3500 * random.nextDouble());
            int workers = random.nextInt(9);
            for (int w = 0; w < workers; w++) {
                fixture.workers(STATES[random.nextInt(STATES.length)], 1);
            }
        }
        boolean idle = random.nextInt(3) == 0;
        fixture.rates(idle ? 0 : 20_000 * random.nextDouble(), idle ? 0 : 20_000 * random.nextDouble())
                .waiting(idle ? 0 : 5000 * random.nextDouble(), idle ? 0 : random.nextInt(20))
                .queueTime(40 * random.nextDouble())
                .secondsSinceLastRequest(idle ? 1000 * random.nextDouble() : 0);
        if (random.nextInt(4) == 0) {
            fixture.stale();
        }
        return fixture.build();
    }
}
