package dev.autoscaler.core.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autoscaler.AutoscalerEvent;
import dev.autoscaler.EndpointConfig;
import dev.autoscaler.GroupTarget;
import dev.autoscaler.InvalidConfigException;
import dev.autoscaler.LoadReport;
import dev.autoscaler.ScalingDecision;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import dev.autoscaler.spi.Instance;
import dev.autoscaler.spi.InstanceStatus;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The spend cap (max_cost_per_hour)")
class SpendCapTest {
    static final double MAX_PRICE = 0.5;
    static final double STORAGE = 0.05;

    static EndpointConfig.Builder endpoint() {
        return EndpointConfig.builder("llm").coldWorkers(0).coldDestroyDelay(Duration.ZERO).maxWorkers(100)
                .loadingTimeout(Duration.ofMinutes(3)).drainTimeout(Duration.ofMinutes(2))
                .addGroup(WorkerGroupConfig.builder("main").maxPricePerHour(MAX_PRICE).build());
    }

    static FakeInstanceProvider offers(double... prices) {
        FakeInstanceProvider provider = new FakeInstanceProvider();
        for (double p : prices) {
            provider.offers.add(new Instance("0", "", InstanceStatus.RUNNING, "", "gpu-" + p, p, 1));
        }
        return provider;
    }

    /**
     * What the account is billed per hour now, from the provider's side: every instance it holds at its
     * price (stopped ones at the storage share), and every create the engine asked for whose answer has
     * not come back yet at the group's bound (the provider rents nothing above it).
     */
    static double billed(EngineHarness h) {
        double sum = 0;
        for (Instance i : h.provider.instances.values()) {
            sum += i.status() == InstanceStatus.STOPPED ? i.pricePerHour() * STORAGE : i.pricePerHour();
        }
        for (WorkerRecord w : h.engine.workers("llm")) {
            if (w.state() == WorkerState.CREATING && w.instanceId().isEmpty()) {
                sum += MAX_PRICE;
            }
        }
        return sum;
    }

    @Test
    @DisplayName("a policy that always asks for 10x the cap never takes the $/h past it, with instances in every state")
    void tenTimesTheCap() {
        Set<WorkerState> seen = EnumSet.noneOf(WorkerState.class);
        for (long seed = 1; seed <= 5; seed++) {
            walk(seed, seen);
        }
        assertThat(seen).contains(WorkerState.CREATING, WorkerState.LOADING, WorkerState.READY, WorkerState.ERROR,
                WorkerState.REBOOTING, WorkerState.DRAINING, WorkerState.STOPPING, WorkerState.STOPPED,
                WorkerState.STARTING, WorkerState.DESTROYING);
    }

    /** 600 random steps of one seed; adds the states its workers went through to {@code seen}. */
    private static void walk(long seed, Set<WorkerState> seen) {
        double cap = 2.0; // 4 instances at the bound
        ArrayDeque<Runnable> calls = new ArrayDeque<>();
        EngineHarness h = new EngineHarness(endpoint().maxCostPerHour(cap).build(), offers(0.5, 0.3, 0.45, 0.2),
                calls::add, b -> b.storagePriceFraction(STORAGE));
        SplittableRandom random = new SplittableRandom(seed);
        double peak = 0;
        for (int step = 0; step < 600; step++) {
            // 40 workers in all, at least 10x what the cap pays for; how many of them active varies
            int active = random.nextInt(5) == 0 ? random.nextInt(3) : 40;
            h.policy = s -> ScalingDecision.of(Map.of("main", new GroupTarget(active, 40 - active)), "10x the cap");
            switch (random.nextInt(5)) {
                case 0 -> h.tick();
                case 1, 2 -> {
                    for (int n = random.nextInt(4); n > 0 && !calls.isEmpty(); n--) {
                        calls.poll().run();
                    }
                }
                case 3 -> report(h, random);
                default -> h.clock.advance(Duration.ofSeconds(random.nextInt(1, 20)));
            }
            for (WorkerRecord w : h.engine.workers("llm")) {
                seen.add(w.state());
            }
            double now = h.engine.costPerHour("llm");
            assertThat(now).as("seed %d: the engine's count at step %d", seed, step).isLessThanOrEqualTo(cap + 1e-9);
            assertThat(billed(h)).as("seed %d: the account's bill at step %d", seed, step)
                    .isLessThanOrEqualTo(cap + 1e-9);
            peak = Math.max(peak, billed(h));
        }
        assertThat(peak).as("the cap is used, not just respected").isGreaterThan(cap * 0.8);
        var cuts = h.events(AutoscalerEvent.SpendCapped.class);
        assertThat(cuts).isNotEmpty();
        assertThat(cuts.get(0).scope()).isEqualTo("endpoint");
        assertThat(cuts.get(0).capPerHour()).isEqualTo(cap);
        assertThat(cuts.get(0).reason()).contains("max_cost_per_hour");
        assertThat(h.engine.lastSpendCut("llm")).hasValueSatisfying(r -> assertThat(r).contains("spend cap"));
    }

    /** The running workers say something, each at random: ready, busy, idle, an error, or nothing. */
    private static void report(EngineHarness h, SplittableRandom random) {
        var workers = h.engine.workers("llm").stream().filter(w -> !w.instanceId().isEmpty()
                && h.provider.instances.containsKey(w.instanceId())
                && h.provider.instances.get(w.instanceId()).status() == InstanceStatus.RUNNING).toList();
        if (workers.isEmpty()) {
            return;
        }
        for (WorkerRecord w : workers) {
            report(h, w, random.nextInt(6));
        }
    }

    private static void report(EngineHarness h, WorkerRecord w, int kind) {
        if (kind == 5) {
            return; // silent this time; some stay loading until their timeout
        }
        LoadReport.Builder r = LoadReport.builder(Long.parseLong(w.instanceId()), w.mtoken()).url(w.url()).maxPerf(100)
                .curPerf(100);
        if (kind == 0) {
            r.errorMsg("CUDA out of memory");
        } else if (kind == 1) {
            r.curLoad(50).numRequestsWorking(1);
        }
        try {
            h.engine.report(r.build());
        } catch (RuntimeException refused) {
            // a worker in a state that takes no report: as a real one would be answered
        }
    }

    @Test
    @DisplayName("resumes the best price-performance stopped worker that fits, and leaves the rest stopped")
    void resumesWhatFits() {
        ArrayDeque<Runnable> calls = new ArrayDeque<>();
        EngineHarness h = new EngineHarness(endpoint().build(), offers(0.5, 0.2), calls::add, b -> b.storagePriceFraction(STORAGE));
        h.target(2, 0);
        h.tick();
        while (!calls.isEmpty()) {
            calls.poll().run();
        }
        h.allReady(100);
        h.target(0, 2);
        h.tick();
        while (!calls.isEmpty()) {
            calls.poll().run();
        }
        assertThat(h.count(WorkerState.STOPPED)).isEqualTo(2);
        // a cap that pays for one of them running (0.5 + 0.2 x 5% = 0.51 > 0.5): the cheaper one (same perf) resumes
        h.engine.putEndpoint(endpoint().maxCostPerHour(0.4).build());
        h.target(2, 1); // the cold target keeps the one left stopped (the pool's surplus would be destroyed)
        h.tick();

        assertThat(h.workers()).filteredOn(w -> w.state() == WorkerState.STARTING)
                .extracting(WorkerRecord::pricePerHour).containsExactly(0.2);
        assertThat(h.count(WorkerState.STOPPED)).isEqualTo(1);
        assertThat(h.engine.costPerHour("llm")).isCloseTo(0.2 + 0.5 * STORAGE, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(h.events(AutoscalerEvent.SpendCapped.class)).singleElement()
                .satisfies(e -> assertThat(e.cut()).isEqualTo(2)); // the other resume, then the create
        // the dashboard shows the cost, the cap and the cut
        String dashboard = new String(dev.autoscaler.core.http.internal.DashboardState.json(h.engine),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(dashboard).contains("\"max_cost_per_hour\":0.4").contains("\"cost_per_hour\":0.225")
                .contains("\"spend_cap_cut\":\"").contains("spend cap: 2 create(s)/resume(s) of group main cut");
    }

    @Test
    @DisplayName("the engine's cap holds across endpoints; a group without max_price_per_hour creates nothing under it")
    void engineCap() {
        ArrayDeque<Runnable> calls = new ArrayDeque<>();
        EngineHarness h = new EngineHarness(endpoint().build(), new FakeInstanceProvider(), calls::add,
                b -> b.maxCostPerHour(1.2));
        h.engine.putEndpoint(EndpointConfig.builder("other").coldWorkers(0)
                .addGroup(WorkerGroupConfig.builder("main").maxPricePerHour(0.5).build()).build());
        h.engine.putEndpoint(EndpointConfig.builder("unbounded").coldWorkers(0)
                .addGroup(WorkerGroupConfig.builder("main").build()).build());
        h.target(10, 0);
        h.tick();

        assertThat(h.engine.costPerHour()).isLessThanOrEqualTo(1.2);
        assertThat(h.engine.costPerHour("llm") + h.engine.costPerHour("other")).isEqualTo(1.0);
        assertThat(h.engine.workers("unbounded")).isEmpty();
        assertThat(h.events(AutoscalerEvent.SpendCapped.class)).extracting(AutoscalerEvent.SpendCapped::scope)
                .contains("engine");
        assertThat(h.events(AutoscalerEvent.SpendCapped.class))
                .anySatisfy(e -> assertThat(e.reason()).contains("has no max_price_per_hour"));
    }

    @Test
    @DisplayName("an endpoint cap needs every group's max_price_per_hour, and says which")
    void needsMaxPrice() {
        assertThatThrownBy(() -> EndpointConfig.builder("llm").maxCostPerHour(3.0)
                .addGroup(WorkerGroupConfig.builder("a").maxPricePerHour(1.0).build())
                .addGroup(WorkerGroupConfig.builder("b").build()).build())
                .isInstanceOf(InvalidConfigException.class)
                .satisfies(e -> assertThat(((InvalidConfigException) e).field()).isEqualTo("groups[1].max_price_per_hour"));
        assertThatThrownBy(() -> endpoint().maxCostPerHour(-1.0).build())
                .satisfies(e -> assertThat(((InvalidConfigException) e).field()).isEqualTo("max_cost_per_hour"));
    }
}
