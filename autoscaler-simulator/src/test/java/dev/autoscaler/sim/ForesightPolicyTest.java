package dev.autoscaler.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.autoscaler.EndpointConfig;
import dev.autoscaler.EndpointSnapshot;
import dev.autoscaler.GroupSnapshot;
import dev.autoscaler.GroupTarget;
import dev.autoscaler.LoadStats;
import dev.autoscaler.WorkerGroupConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The perfect-foresight schedule on hand-made workloads, as its javadoc defines it. */
class ForesightPolicyTest {
    private static final WorldModel WORLD = WorldModel.defaults(); // boot p95 300 s, resume p95 40 s, storage 5%
    private static final Duration TICK = Duration.ofSeconds(5);

    /** {@code rate} requests of 1,000 perf units per second from {@code from} to {@code to} seconds. */
    private static Workload steady(int from, int to, int rate) {
        int n = (to - from) * rate;
        long[] at = new long[n];
        double[] cost = new double[n];
        for (int i = 0; i < n; i++) {
            at[i] = Math.round((from + (double) i / rate) * 1e9);
            cost[i] = 1000;
        }
        return new Workload("steady", at, cost);
    }

    private static GroupTarget decideAt(ForesightPolicy policy, EndpointConfig config, double seconds) {
        GroupSnapshot group = new GroupSnapshot(config.groups().get(0), List.of(), 2000, new GroupTarget(0, 0));
        EndpointSnapshot snapshot = new EndpointSnapshot(config, Instant.EPOCH, Math.round(seconds * 1e9),
                List.of(group), LoadStats.idle());
        return policy.decide(snapshot).targets().get(SimulationConfig.GROUP);
    }

    private static EndpointConfig endpoint(int coldWorkers, int maxWorkers) { // target_util 1: whole workers in the sums below
        return EndpointConfig.builder("e").policy(ForesightPolicy.NAME).targetUtil(1).coldWorkers(coldWorkers).maxWorkers(maxWorkers)
                .addGroup(WorkerGroupConfig.builder(SimulationConfig.GROUP).build()).build();
    }

    @Test
    @DisplayName("the needed rate: the most work of any window around a second, per (window + target_queue_time)")
    void neededRate() {
        double[] rate = ForesightPolicy.neededRate(steady(1000, 2000, 4), 0); // 4,000 perf/s from 1,000 s to 2,000 s
        assertThat(rate[1500]).isEqualTo(4000);
        assertThat(rate[1000 - 330]).isZero(); // beyond half the longest window (640 s)
        assertThat(Arrays.stream(rate).max().orElseThrow()).isEqualTo(4000);

        double[] patient = ForesightPolicy.neededRate(steady(1000, 2000, 4), 10);
        assertThat(patient[1500]).isCloseTo(4000.0 * 640 / 650, within(1e-9)); // a long load: hardly less

        double[] burst = ForesightPolicy.neededRate(steady(1000, 1010, 10), 10); // 10 s at 10,000 perf/s
        assertThat(burst[1005]).isCloseTo(100_000.0 / (10 + 10), within(1e-9)); // a burst may spread over 10 s more
    }

    @Test
    @DisplayName("workers are resumed one resume ahead, created one boot ahead, kept stopped until the break-even")
    void leads() {
        // 4,000 perf/s (2 workers of 2,000) from 3,000 s to 3,600 s
        ForesightPolicy policy = new ForesightPolicy(steady(3000, 3600, 4), WORLD, TICK, 0);
        EndpointConfig config = endpoint(0, 20);
        long activeLead = 5 + 40;
        long totalLead = 2400; // 120 s median boot / 5% storage price > 5 + 300 s boot p95
        int full = 3003; // the first second whose shortest window (5 s) is all load
        int none = 3000 - 330; // the last second no window reaches the load from
        assertThat(decideAt(policy, config, 0)).isEqualTo(new GroupTarget(0, 0)); // beyond 2,400 s
        assertThat(decideAt(policy, config, none - totalLead)).isEqualTo(new GroupTarget(0, 0));
        assertThat(decideAt(policy, config, full - totalLead)).isEqualTo(new GroupTarget(0, 2)); // created, then stopped
        assertThat(decideAt(policy, config, none - activeLead)).isEqualTo(new GroupTarget(0, 2));
        assertThat(decideAt(policy, config, full - activeLead)).isEqualTo(new GroupTarget(2, 0)); // resumed
        assertThat(decideAt(policy, config, 3300)).isEqualTo(new GroupTarget(2, 0));
        assertThat(decideAt(policy, config, 3600 + 330)).isEqualTo(new GroupTarget(0, 0)); // nothing ever again
    }

    @Test
    @DisplayName("a stopped worker is kept through a gap shorter than the break-even, dropped after a longer one")
    void breakEven() {
        ForesightPolicy shortGap = new ForesightPolicy(concat(steady(0, 600, 4), steady(2000, 2600, 4)), WORLD, TICK, 0);
        assertThat(decideAt(shortGap, endpoint(0, 20), 1200)).isEqualTo(new GroupTarget(0, 2));
        ForesightPolicy longGap = new ForesightPolicy(concat(steady(0, 600, 4), steady(4000, 4600, 4)), WORLD, TICK, 0);
        assertThat(decideAt(longGap, endpoint(0, 20), 1200)).isEqualTo(new GroupTarget(0, 0));
    }

    @Test
    @DisplayName("workers are planned at the endpoint's target_util")
    void targetUtil() {
        ForesightPolicy policy = new ForesightPolicy(steady(0, 3600, 18), WORLD, TICK, 0); // 18,000 perf/s
        EndpointConfig at90 = endpoint(0, 20).toBuilder().targetUtil(0.9).build();
        assertThat(decideAt(policy, at90, 1000)).isEqualTo(new GroupTarget(10, 0)); // 18,000 / (2,000 x 0.9)
        assertThat(decideAt(policy, endpoint(0, 20), 1000)).isEqualTo(new GroupTarget(9, 0));
    }

    @Test
    @DisplayName("cold_workers is a floor and max_workers a cap, cold given up first")
    void constraints() {
        ForesightPolicy policy = new ForesightPolicy(steady(0, 3600, 20), WORLD, TICK, 0); // 20,000 perf/s: 10 workers
        assertThat(decideAt(policy, endpoint(3, 20), 4000 + 2400)).isEqualTo(new GroupTarget(0, 3));
        assertThat(decideAt(policy, endpoint(0, 4), 1000)).isEqualTo(new GroupTarget(4, 0));
        assertThat(decideAt(policy, endpoint(0, 20), 1000)).isEqualTo(new GroupTarget(10, 0));
    }

    private static Workload concat(Workload a, Workload b) {
        long[] at = new long[a.size() + b.size()];
        double[] cost = new double[at.length];
        for (int i = 0; i < a.size(); i++) {
            at[i] = a.arrivalNanos(i);
            cost[i] = a.cost(i);
        }
        for (int i = 0; i < b.size(); i++) {
            at[a.size() + i] = b.arrivalNanos(i);
            cost[a.size() + i] = b.cost(i);
        }
        return new Workload("two", at, cost);
    }
}
