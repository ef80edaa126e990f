package dev.autoscaler.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoscaler.AutoscalerEvent;
import dev.autoscaler.EndpointConfig;
import dev.autoscaler.LoadReport;
import dev.autoscaler.ManualClock;
import dev.autoscaler.ProviderException;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import dev.autoscaler.core.Autoscaler;
import dev.autoscaler.spi.AutoscalerListener;
import dev.autoscaler.spi.CreateInstanceRequest;
import dev.autoscaler.spi.Instance;
import dev.autoscaler.spi.InstanceProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The chaos simulation: {@value #SEEDS} seeds of a spiky workload on a world with faults mixed in, and
 * invariants checked after every engine event. The faults: provider 500s on every call, 429 storms (every
 * call refused for two minutes), create answers lost after the instance was made, stuck boots, workers
 * that error, resumes that stall (the world's own faults, raised), reports lost, wall-clock steps of
 * an hour either way, and engine restarts with an empty memory (0 to 2 a seed: the engine is closed and a
 * new one, with a fresh in-memory store, takes over the same world, which runs and bills on; it must adopt
 * the labelled instances from its first provider list, and clients and reports go to it). The invariants:
 * <ol>
 *   <li>the engine's workers (every state but destroyed) and the provider's live instances never exceed
 *       {@code max_workers} (a create whose answer was lost holds its place until a provider list settles
 *       it, so no allowance is needed);</li>
 *   <li>the $/h billed, and the engine's own count of it, never exceed {@code max_cost_per_hour} (a create
 *       whose answer was lost counts at its group's {@code max_price_per_hour} until a provider list
 *       settles it);</li>
 *   <li>no request is routed to a worker that is not ready (destroyed, destroying, stopped, errored);</li>
 *   <li>at the end no instance leaked (every live one is a worker the engine knows) and none is
 *       duplicated (one label, one instance);</li>
 *   <li>every request is answered: served, or dropped after waiting 120 s.</li>
 * </ol>
 * A failing seed prints the one-line command that runs it alone.
 */
@DisplayName("The chaos simulation: 100 seeds of faults, invariants after every event")
class ChaosSimulationTest {
    static final int SEEDS = Integer.getInteger("chaos.seeds", 100);
    static final int MAX_WORKERS = 6;
    static final double MAX_PRICE = 0.90;
    static final double CAP = 3.0;
    /** At most this many engine restarts a seed ({@code -Dchaos.restarts=N} tries more). */
    static final int MAX_RESTARTS = Integer.getInteger("chaos.restarts", 2);
    /**
     * Totals over the seeds, so that the run shows the faults happened: events, 500s, 429s, lost creates, lost
     * reports, routes, requests, served, dropped, engine restarts, instances live at a restart (to adopt).
     */
    static final long[] TOTALS = new long[11];

    @Test
    @DisplayName("every seed holds every invariant")
    void everySeed() {
        String only = System.getProperty("chaos.seed");
        List<String> failures = new ArrayList<>();
        for (long seed = 1; seed <= SEEDS; seed++) {
            if (only != null && Long.parseLong(only) != seed) {
                continue;
            }
            try {
                runSeed(seed);
            } catch (AssertionError | RuntimeException e) {
                failures.add("seed " + seed + ": " + String.join(" ", e.getMessage().lines().limit(4).toList()) + "\n  repro: mvn -B -pl "
                        + "autoscaler-simulator -am test -Dtest=ChaosSimulationTest -Dsurefire.failIfNoSpecifiedTests=false "
                        + "-Dchaos.seed=" + seed);
            }
        }
        failures.forEach(System.out::println);
        System.out.printf("chaos: %d seeds, %d engine events checked, %d provider 500s, %d 429s, %d create answers lost, "
                + "%d reports lost, %d engine restarts (%d instances live at them, to adopt), %d routes checked; "
                + "%d requests: %d served, %d dropped%n", only != null ? 1 : SEEDS,
                TOTALS[0], TOTALS[1], TOTALS[2], TOTALS[3], TOTALS[4], TOTALS[9], TOTALS[10], TOTALS[5], TOTALS[6],
                TOTALS[7], TOTALS[8]);
        assertThat(TOTALS[1]).as("500s").isPositive();
        assertThat(TOTALS[2]).as("429s").isPositive();
        assertThat(TOTALS[3]).as("lost creates").isPositive();
        assertThat(TOTALS[4]).as("lost reports").isPositive();
        if (only == null) {
            assertThat(TOTALS[9]).as("engine restarts").isPositive();
            assertThat(TOTALS[10]).as("instances live at a restart").isPositive();
        }
        assertThat(failures).as("failing seeds").isEmpty();
    }

    static void runSeed(long seed) {
        EndpointConfig endpoint = EndpointConfig.builder("chaos").maxWorkers(MAX_WORKERS).maxCostPerHour(CAP)
                .coldWorkers(1).loadingTimeout(Duration.ofMinutes(6))
                .addGroup(WorkerGroupConfig.builder("main").maxPricePerHour(MAX_PRICE).build()).build();
        WorldModel world = WorldModel.builder().stuckLoadingFraction(0.10).errorAfterReadyFraction(0.05)
                .resumeStallFraction(0.15).build();
        Workload workload = firstMinutes(Scenario.SPIKE.generate(seed), 30);
        SimulationConfig config = SimulationConfig.of(endpoint, workload, seed).withWorld(world).withTailSeconds(600);
        SplittableRandom faults = new SplittableRandom(seed * 7919);
        Faults chaos = new Faults(faults);
        Checks checks = new Checks();
        Simulation.Builder b = Simulation.builder(config).providerWrapper(p -> chaos.wrap(p))
                .reportFilter(r -> {
                    boolean lost = faults.nextDouble() < 0.05; // 5% of reports lost
                    TOTALS[4] += lost ? 1 : 0;
                    return !lost;
                })
                .listener(checks);
        checks.chaos = chaos;
        // 0 to MAX_RESTARTS engine restarts with an empty memory, inside the workload (its own stream: the other
        // faults draw as they did before restarts existed)
        SplittableRandom restarts = new SplittableRandom(seed * 104729);
        int n = restarts.nextInt(MAX_RESTARTS + 1);
        for (int i = 0; i < n; i++) {
            b.restartAt(Duration.ofSeconds(60 + restarts.nextInt(29 * 60)));
        }
        b.dispatcher(engine -> {
            if (checks.engine != null) { // a restart: this engine starts with an empty memory
                TOTALS[9]++;
                TOTALS[10] += checks.sim.provider().list().size();
            }
            checks.engine = engine;
            RouterDispatcher real = new RouterDispatcher(engine, new SplittableRandom(seed));
            return checks.watch(real);
        });
        // the wall clock steps an hour forward, then two back
        b.at(Duration.ofMinutes(20), e -> ((ManualClock) e.clock()).stepWall(Duration.ofHours(1)));
        b.at(Duration.ofMinutes(40), e -> ((ManualClock) e.clock()).stepWall(Duration.ofHours(-2)));
        Simulation sim = b.build();
        checks.sim = sim;
        SimulationReport report = sim.run();

        // 4. nothing leaked nor duplicated
        Set<String> known = new HashSet<>();
        for (WorkerRecord w : sim.engine().workers("chaos")) {
            known.add(w.instanceId());
        }
        Set<String> labels = new HashSet<>();
        for (Instance i : sim.provider().list()) {
            assertThat(labels.add(i.label())).as("instance %s duplicates label %s", i.id(), i.label()).isTrue();
            assertThat(known).as("instance %s (%s) leaked: the engine does not know it", i.id(), i.label()).contains(i.id());
        }
        // 5. every request answered
        assertThat(report.served() + report.dropped()).as("requests answered").isEqualTo(report.requests());
        assertThat(checks.events).as("events checked").isPositive();
        TOTALS[0] += checks.events;
        TOTALS[3] += chaos.lostCreates;
        TOTALS[6] += report.requests();
        TOTALS[7] += report.served();
        TOTALS[8] += report.dropped();
    }

    /** The requests of the first {@code minutes} of a workload: the faults need no more to show. */
    static Workload firstMinutes(Workload w, int minutes) {
        long end = Duration.ofMinutes(minutes).toNanos();
        int n = 0;
        while (n < w.size() && w.arrivalNanos(n) < end) {
            n++;
        }
        long[] at = new long[n];
        double[] cost = new double[n];
        for (int i = 0; i < n; i++) {
            at[i] = w.arrivalNanos(i);
            cost[i] = w.cost(i);
        }
        return new Workload(w.name() + " (first " + minutes + " min)", at, cost);
    }

    /** Provider faults, decided by the seed. */
    static final class Faults {
        private final SplittableRandom random;
        int lostCreates;
        private long stormUntil = Long.MIN_VALUE;
        private ManualClock clock;

        Faults(SplittableRandom random) {
            this.random = random;
        }

        InstanceProvider wrap(InstanceProvider p) {
            return new InstanceProvider() {
                @Override
                public Instance create(CreateInstanceRequest request) {
                    fault("create");
                    Instance made = p.create(request);
                    if (random.nextDouble() < 0.05) {
                        lostCreates++;
                        throw new ProviderException(ProviderException.Kind.TIMEOUT, "create answer lost");
                    }
                    return made;
                }

                @Override
                public void start(String id) {
                    fault("start");
                    p.start(id);
                }

                @Override
                public void stop(String id) {
                    fault("stop");
                    p.stop(id);
                }

                @Override
                public void reboot(String id) {
                    fault("reboot");
                    p.reboot(id);
                }

                @Override
                public void destroy(String id) {
                    fault("destroy");
                    p.destroy(id);
                }

                @Override
                public List<Instance> list() {
                    fault("list");
                    return p.list();
                }

                @Override
                public void recordMeasuredPerf(String group, String gpuName, double perf) {
                    p.recordMeasuredPerf(group, gpuName, perf);
                }
            };
        }

        private void fault(String call) {
            long now = clock == null ? 0 : clock.nanoTime();
            if (now < stormUntil) {
                TOTALS[2]++;
                throw new ProviderException(ProviderException.Kind.RATE_LIMITED, "429 storm on " + call);
            }
            double r = random.nextDouble();
            if (r < 0.01) {
                TOTALS[2]++;
                stormUntil = now + Duration.ofMinutes(2).toNanos();
                throw new ProviderException(ProviderException.Kind.RATE_LIMITED, "429 storm begins on " + call);
            }
            if (r < 0.08) {
                TOTALS[1]++;
                throw new ProviderException(ProviderException.Kind.UNAVAILABLE, "HTTP 500 on " + call);
            }
        }
    }

    /** The invariants, after every engine event, and on every route. */
    static final class Checks implements AutoscalerListener {
        Autoscaler engine;
        Simulation sim;
        Faults chaos;
        int events;

        @Override
        public void onEvent(AutoscalerEvent event) {
            if (engine == null || sim == null) {
                return;
            }
            if (chaos.clock == null) {
                chaos.clock = (ManualClock) engine.clock();
            }
            events++;
            long counted = engine.workers("chaos").stream().filter(w -> w.state().isCounted()).count();
            // a create whose answer was lost holds its place until a provider list settles it: no allowance
            assertThat(counted).as("engine's workers at %s after %s", event.at(), event.getClass().getSimpleName())
                    .isLessThanOrEqualTo(MAX_WORKERS);
            int live = sim.provider().list().size();
            assertThat(live).as("provider's instances at %s", event.at()).isLessThanOrEqualTo(MAX_WORKERS);
            double billed = sim.provider().costPerHourNow();
            // a create whose answer was lost counts at its bound until a provider list settles it: no allowance
            assertThat(billed).as("$/h billed at %s", event.at()).isLessThanOrEqualTo(CAP + 1e-9);
            assertThat(engine.costPerHour("chaos")).as("engine's $/h at %s", event.at()).isLessThanOrEqualTo(CAP + 1e-9);
        }

        SimDispatcher watch(SimDispatcher real) {
            return new SimDispatcher() {
                @Override
                public Route route(String endpoint, double cost, long requestIdx) {
                    Route r = real.route(endpoint, cost, requestIdx);
                    TOTALS[5]++;
                    if (r.url().isPresent()) {
                        String url = r.url().get();
                        List<WorkerRecord> at = engine.workers(endpoint).stream().filter(w -> w.url().equals(url)).toList();
                        assertThat(at).as("routed to %s", url).isNotEmpty()
                                .allSatisfy(w -> assertThat(w.state()).as("state of %s", url).isEqualTo(WorkerState.READY));
                    }
                    return r;
                }

                @Override
                public void workerReported(LoadReport report) {
                    real.workerReported(report);
                }

                @Override
                public void sweep() {
                    real.sweep();
                }

                @Override
                public void abandoned(String endpoint, long requestIdx) {
                    real.abandoned(endpoint, requestIdx);
                }
            };
        }
    }
}
