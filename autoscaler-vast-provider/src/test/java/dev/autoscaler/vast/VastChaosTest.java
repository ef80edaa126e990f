package dev.autoscaler.vast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoscaler.EndpointConfig;
import dev.autoscaler.GroupTarget;
import dev.autoscaler.InvalidRequestException;
import dev.autoscaler.LoadReport;
import dev.autoscaler.ManualClock;
import dev.autoscaler.ManualScheduler;
import dev.autoscaler.ScalingDecision;
import dev.autoscaler.ShutdownAction;
import dev.autoscaler.ShutdownSummary;
import dev.autoscaler.Sleeper;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import dev.autoscaler.WorkerTemplate;
import dev.autoscaler.core.Autoscaler;
import dev.autoscaler.vast.fake.FakeInstance;
import dev.autoscaler.vast.fake.FakeVastServer;
import dev.autoscaler.vast.fake.FakeVastServer.Api;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 13's "nothing left billing", end to end: the real engine renting through the real Vast
 * client from the fake Vast API, over real HTTP, with 5% of every call failing (500s, timeouts and
 * lost answers, see {@link FakeVastServer#randomFaults}) and the fake's strict rate limiter on. Each
 * seed runs the whole life of a deployment: scale-up, scale-down, removal of an endpoint, a restart
 * (a new engine on the same account, whose first list call fails) and a shutdown with
 * {@code destroy}. At the end the fake's own instance list must be empty, and at no instant (the
 * fake records every create and destroy in order) may an endpoint have had more instances than its
 * {@code max_workers}; no call may come sooner than a 429 asked.
 *
 * <p>Everything runs on the test's thread on one {@link ManualClock}: the engine's ticks on a
 * {@link ManualScheduler}, provider calls on a direct executor, the client's waits on a sleeper
 * that moves the clock. A seed fixes the faults, the client's jitter and the engine's random, so
 * a failing seed fails the same way again.
 *
 * <p>Run it alone: {@code mvn -B -q -pl autoscaler-vast-provider -am verify -Dtest=VastChaosTest
 * -Dsurefire.failIfNoSpecifiedTests=false}; add {@code -Dchaos.seed=N} to replay one seed, or
 * {@code -Dchaos.seeds=N} to run seeds 1 to N, {@code -Dchaos.fraction=0.2} for more faults than 5%.
 */
@DisplayName("chaos: 5% of Vast calls fail, rate limits strict; nothing is left billing, no cap is passed")
class VastChaosTest {
    private static final byte[] SECRET = "vast-chaos-secret-0123456789abcd".getBytes();
    private static final String OWNER = "chaos";
    private static final Duration TICK = Duration.ofSeconds(5);
    private static final int LLM_MAX = 6;
    private static final int OLD_MAX = 3;
    private static final int CYCLES = 4;

    private final ManualClock clock = new ManualClock();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final Map<String, GroupTarget> targets = new ConcurrentHashMap<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private FakeVastServer fake;

    /** Seeds 1 to 20; {@code -Dchaos.seed=N} replays one, {@code -Dchaos.seeds=N} runs 1 to N. */
    static LongStream seeds() {
        String one = System.getProperty("chaos.seed", "");
        if (!one.isBlank()) {
            return LongStream.of(Long.parseLong(one.trim()));
        }
        return LongStream.rangeClosed(1, Long.getLong("chaos.seeds", 20));
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void nothingLeftBillingNoCapPassed(long seed) {
        // Vast stricter than the client's spacing (4.5 s between creates, 1 s between lists): 429s happen
        fake = FakeVastServer.builder(clock).bootDelay(Duration.ofSeconds(60))
                .rateLimit(Api.CREATE, Duration.ofSeconds(6)).rateLimit(Api.LIST_V1, Duration.ofSeconds(2))
                .rateLimit(Api.DESTROY, Duration.ofSeconds(2)).start();
        closeables.add(fake);
        fake.strictRateLimits(Duration.ofSeconds(2));
        fake.randomFaults(seed, Double.parseDouble(System.getProperty("chaos.fraction", "0.05")), Duration.ofSeconds(30));

        Autoscaler first = engine(seed, true);

        targets.put("old", new GroupTarget(OLD_MAX, 0));
        for (int cycle = 1; cycle <= CYCLES; cycle++) {
            // scale-up
            targets.put("llm", new GroupTarget(LLM_MAX, 0));
            runUntil(seed, "scale-up " + cycle, first, Duration.ofMinutes(30),
                    () -> ready(first, "llm") == LLM_MAX && ready(first, "old") == OLD_MAX);
            runUntil(seed, "steady " + cycle, first, Duration.ofMinutes(1), () -> false);

            // scale-down: the surplus is stopped, then destroyed after cold_destroy_delay
            targets.put("llm", new GroupTarget(1, 0));
            runUntil(seed, "scale-down " + cycle, first, Duration.ofMinutes(30),
                    () -> onFake("llm") == 1 && first.workers("llm").size() == 1);
        }

        // endpoint removal: every instance of "old" destroyed
        first.removeEndpoint("old");
        runUntil(seed, "endpoint removal", first, Duration.ofMinutes(30),
                () -> onFake("old") == 0 && first.retiringEndpointNames().isEmpty());

        // a restart while creates are in flight: the new engine's first list fails
        targets.put("llm", new GroupTarget(3, 0));
        runUntil(seed, "scale-up before restart", first, Duration.ofSeconds(20), () -> false);
        first.close();
        fake.failNext(1, 500, Api.LIST_V1);
        int restartedAt = fake.calls().size();
        Autoscaler second = engine(seed + 1000, false);
        runUntil(seed, "after restart", second, Duration.ofMinutes(30), () -> ready(second, "llm") == 3
                && onFake("llm") == 3);
        List<FakeVastServer.RecordedCall> afterRestart = fake.calls().subList(restartedAt, fake.calls().size());
        assertThat(afterRestart.get(0)).as("seed " + seed + ": the new engine's first list fails")
                .satisfies(c -> assertThat(c.api()).isEqualTo(Api.LIST_V1))
                .satisfies(c -> assertThat(c.status()).isEqualTo(500));
        int firstListed = indexOf(afterRestart, c -> c.api() == Api.LIST_V1 && c.status() == 200);
        int firstCreate = indexOf(afterRestart, c -> c.api() == Api.CREATE);
        assertThat(firstCreate).as("seed " + seed + ": no create before the new engine's first successful list")
                .isGreaterThan(firstListed);

        // SIGTERM with shutdown: destroy
        ShutdownSummary summary = second.shutdown(ShutdownAction.DESTROY, Duration.ofMinutes(10),
                Sleeper.advancing(clock));

        String context = "seed " + seed + ", calls " + fake.calls().size() + ", faults " + fake.randomFaultCounts() + ", shutdown " + summary.describe();
        assertThat(fake.instances()).as(context).isEmpty();
        // at the cap (the scale-ups reached it) and never past it
        assertThat(fake.peakInstances(l -> l.startsWith(OWNER + ":llm:"))).as(context).isEqualTo(LLM_MAX);
        assertThat(fake.peakInstances(l -> l.startsWith(OWNER + ":old:"))).as(context).isEqualTo(OLD_MAX);
        assertThat(fake.callsSoonerThanAsked()).as(context).isZero();
        int faults = fake.randomFaultCounts().values().stream().mapToInt(Integer::intValue).sum();
        assertThat(faults).as("faults were injected: " + context).isPositive();
        System.out.printf("seed %d: %d calls, %d 429s, random faults %s, %d creates, %s%n", seed, fake.calls().size(),
                fake.rateLimitedCalls(), fake.randomFaultCounts(), fake.callCount(Api.CREATE), summary.describe());
    }

    private Autoscaler engine(long seed, boolean withOld) {
        VastApiClient client = VastApiClient.builder().apiKey(fake.apiKey()).baseUrl(fake.baseUrl()).clock(clock)
                .sleeper(Sleeper.advancing(clock)).random(new Random(seed)::nextDouble).build();
        VastInstanceProvider provider = new VastInstanceProvider(client, 64, 5, 3000);
        closeables.add(provider);
        Autoscaler.Builder builder = Autoscaler.builder()
                .clock(clock).scheduler(scheduler).provider(provider)
                .secret(SECRET).owner(OWNER).publicUrl("http://engine.example:8080")
                .random((RandomGenerator) new SplittableRandom(seed))
                .policies((name, params) -> snapshot -> ScalingDecision.of(
                        Map.of("main", targets.get(snapshot.config().name())), "test target"))
                .tickInterval(TICK).syncInterval(Duration.ofSeconds(30))
                .endpoint(endpoint("llm", LLM_MAX));
        if (withOld) {
            builder.endpoint(endpoint("old", OLD_MAX));
        }
        Autoscaler engine = builder.build();
        closeables.add(engine);
        engine.start();
        return engine;
    }

    private static EndpointConfig endpoint(String name, int maxWorkers) {
        return EndpointConfig.builder(name).coldWorkers(0).maxWorkers(maxWorkers)
                .coldDestroyDelay(Duration.ofMinutes(1))
                .addGroup(WorkerGroupConfig.builder("main").template(WorkerTemplate.ofImage("vastai/pyworker:1")).build())
                .build();
    }

    /** Steps the world a tick at a time until {@code done}; fails naming the seed and phase after {@code limit}. */
    private void runUntil(long seed, String phase, Autoscaler engine, Duration limit, BooleanSupplier done) {
        long end = clock.nanoTime() + limit.toNanos();
        while (clock.nanoTime() < end) {
            scheduler.advance(TICK);
            workersReport(engine);
            if (done.getAsBoolean()) {
                return;
            }
        }
        if (!done.getAsBoolean() && limit.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new AssertionError("seed " + seed + ": " + phase + " not done after " + limit + "; fake has "
                    + fake.instances().stream().map(i -> i.id() + " " + i.label() + " " + i.actualStatus()).toList()
                    + "; engine has " + engine.endpointNames().stream().flatMap(e -> engine.workers(e).stream())
                            .map(w -> w.workerId() + " " + w.state() + " " + w.instanceId()).toList()
                    + "; faults " + fake.randomFaultCounts());
        }
    }

    /** What Vast's worker library does: once its instance runs, the worker reports its benchmark. */
    private void workersReport(Autoscaler engine) {
        for (String endpoint : engine.endpointNames()) {
            for (WorkerRecord w : engine.workers(endpoint)) {
                if (w.instanceId().isEmpty() || w.state() == WorkerState.DESTROYING) {
                    continue;
                }
                Optional<FakeInstance> instance = fake.instance(Long.parseLong(w.instanceId()));
                if (instance.isPresent() && instance.get().actualStatus().equals("running")
                        && instance.get().intendedStatus().equals("running")) {
                    String url = "http://127.0.0.1:" + instance.get().hostPorts().get(3000);
                    try {
                        engine.report(LoadReport.builder(Long.parseLong(w.instanceId()), w.mtoken()).maxPerf(1000)
                                .url(url).build());
                    } catch (InvalidRequestException refused) {
                        // the engine has not listed the instance's address yet: the worker reports again later
                    }
                }
            }
        }
    }

    private static long ready(Autoscaler engine, String endpoint) {
        return engine.workers(endpoint).stream().filter(w -> w.state() == WorkerState.READY).count();
    }

    /** The index of the first call that matches, or {@code Integer.MAX_VALUE} when none does. */
    private static int indexOf(List<FakeVastServer.RecordedCall> calls, java.util.function.Predicate<FakeVastServer.RecordedCall> match) {
        for (int i = 0; i < calls.size(); i++) {
            if (match.test(calls.get(i))) {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }

    private long onFake(String endpoint) {
        return fake.instances().stream().filter(i -> i.label().startsWith(OWNER + ":" + endpoint + ":")).count();
    }
}
