package dev.autoscaler.vast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoscaler.AutoscalerEvent;
import dev.autoscaler.EndpointConfig;
import dev.autoscaler.GroupTarget;
import dev.autoscaler.InvalidRequestException;
import dev.autoscaler.LoadReport;
import dev.autoscaler.ManualClock;
import dev.autoscaler.ManualScheduler;
import dev.autoscaler.ScalingDecision;
import dev.autoscaler.Sleeper;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import dev.autoscaler.WorkerTemplate;
import dev.autoscaler.core.Autoscaler;
import dev.autoscaler.spi.AutoscalerListener;
import dev.autoscaler.spi.ScalingPolicy;
import dev.autoscaler.vast.fake.FakeInstance;
import dev.autoscaler.vast.fake.FakeVastServer;
import dev.autoscaler.vast.fake.FakeVastServer.Api;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The real engine ({@link Autoscaler}) renting from the fake Vast API through
 * {@link VastInstanceProvider}, over real HTTP, on one manual clock. The test plays the workers:
 * a worker whose instance runs reports {@code max_perf} every 5 s, as Vast's worker library would.
 * The scaling policy is a target the test sets, so what is checked is the provider and the engine's
 * provider handling, not a policy.
 */
@DisplayName("the engine on the fake Vast API")
class VastEngineEndToEndTest {
    private static final byte[] SECRET = "vast-e2e-secret-0123456789abcdef".getBytes();
    private static final String ENDPOINT = "llm";
    private static final Duration TICK = Duration.ofSeconds(5);

    private final ManualClock clock = new ManualClock();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final List<AutoscalerEvent> events = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private volatile ScalingPolicy policy = s -> ScalingDecision.keep("test");
    private FakeVastServer fake;

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    private FakeVastServer fake(FakeVastServer.Builder builder) {
        fake = builder.start();
        closeables.add(fake);
        return fake;
    }

    private FakeVastServer fake() {
        return fake(FakeVastServer.builder(clock).bootDelay(Duration.ofSeconds(90)));
    }

    private VastInstanceProvider provider() {
        VastApiClient client = VastApiClient.builder().apiKey(fake.apiKey()).baseUrl(fake.baseUrl()).clock(clock)
                .sleeper(Sleeper.advancing(clock)).random(new Random(11)::nextDouble).build();
        VastInstanceProvider provider = new VastInstanceProvider(client, 64, 5, 3000);
        closeables.add(provider);
        return provider;
    }

    private Autoscaler engine(VastInstanceProvider provider) {
        Autoscaler engine = Autoscaler.builder()
                .clock(clock).scheduler(scheduler).provider(provider)
                .secret(SECRET).owner("e2e").publicUrl("http://engine.example:8080")
                .random((RandomGenerator) new SplittableRandom(3))
                .policies((name, params) -> snapshot -> policy.decide(snapshot))
                .tickInterval(TICK).syncInterval(Duration.ofSeconds(30))
                .listener(new AutoscalerListener() {
                    @Override
                    public void onEvent(AutoscalerEvent event) {
                        events.add(event);
                    }
                })
                .endpoint(EndpointConfig.builder(ENDPOINT).coldWorkers(0)
                        .addGroup(WorkerGroupConfig.builder("main")
                                .template(WorkerTemplate.ofImage("vastai/pyworker:1")).build())
                        .build())
                .build();
        closeables.add(engine);
        engine.start();
        return engine;
    }

    private void target(int active, int cold) {
        policy = s -> ScalingDecision.of(Map.of("main", new GroupTarget(active, cold)), "target " + active + "/" + cold);
    }

    /** Steps the world in ticks until {@code done} or {@code limit}; the workers report as they run. */
    private boolean runUntil(Autoscaler engine, Duration limit, BooleanSupplier done) {
        long end = clock.nanoTime() + limit.toNanos();
        while (clock.nanoTime() < end) {
            scheduler.advance(TICK);
            workersReport(engine);
            if (done.getAsBoolean()) {
                return true;
            }
        }
        return done.getAsBoolean();
    }

    /** What Vast's worker library does: once its instance runs, the worker reports its benchmark. */
    private void workersReport(Autoscaler engine) {
        for (WorkerRecord w : engine.workers(ENDPOINT)) {
            if (w.instanceId().isEmpty() || w.state() == WorkerState.DESTROYING) {
                continue;
            }
            Optional<FakeInstance> instance = fake.instance(Long.parseLong(w.instanceId()));
            if (instance.isPresent() && instance.get().actualStatus().equals("running")) {
                // the worker's own URL: http://$PUBLIC_IPADDR:$VAST_TCP_PORT_3000
                String url = "http://127.0.0.1:" + instance.get().hostPorts().get(3000);
                try {
                    engine.report(LoadReport.builder(Long.parseLong(w.instanceId()), w.mtoken()).maxPerf(1000).url(url).build());
                } catch (InvalidRequestException refused) {
                    // the engine has not listed the instance's address yet (it lists again at once): the
                    // worker reports again, as Vast's worker library does after an error
                    assertThat(refused.field()).isEqualTo("url");
                }
            }
        }
    }

    private static long count(Autoscaler engine, WorkerState state) {
        return engine.workers(ENDPOINT).stream().filter(w -> w.state() == state).count();
    }

    private Set<String> fakeLabels() {
        return fake.instances().stream().map(FakeInstance::label).collect(Collectors.toSet());
    }

    private static Set<String> workerLabels(Autoscaler engine) {
        return engine.workers(ENDPOINT).stream().map(WorkerRecord::label).collect(Collectors.toSet());
    }

    /** Every rented instance belongs to exactly one live worker, and the reverse. */
    private void assertNoLeakNoDuplicate(Autoscaler engine, int expected) {
        assertThat(fake.instances()).hasSize(expected);
        assertThat(fakeLabels()).hasSize(expected).isEqualTo(workerLabels(engine));
        assertThat(engine.workers(ENDPOINT)).extracting(WorkerRecord::instanceId).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(fake.instances().stream().map(i -> Long.toString(i.id())).toList());
    }

    @Test
    @DisplayName("scales 0 -> 8 -> 0: eight instances rented, run, report ready; then every one destroyed")
    void zeroToEightToZero() {
        fake();
        Autoscaler engine = engine(provider());

        target(8, 0);
        assertThat(runUntil(engine, Duration.ofMinutes(15), () -> count(engine, WorkerState.READY) == 8)).isTrue();

        assertNoLeakNoDuplicate(engine, 8);
        assertThat(fake.rateLimitedCalls()).as("the client's spacing keeps under Vast's limits").isZero();
        for (WorkerRecord w : engine.workers(ENDPOINT)) {
            FakeInstance instance = fake.instance(Long.parseLong(w.instanceId())).orElseThrow();
            assertThat(w.label()).startsWith("e2e:llm:main:");
            assertThat(instance.label()).isEqualTo(w.label());
            assertThat(instance.env()).containsEntry("MASTER_TOKEN", w.mtoken())
                    .containsEntry("REPORT_ADDR", "http://engine.example:8080")
                    .containsEntry("WORKER_PORT", "3000")
                    .containsEntry("-p 3000:3000", "1");
            assertThat(w.gpuName()).isEqualTo(instance.gpuName());
        }
        assertThat(engine.provider(Autoscaler.DEFAULT_PROVIDER).list())
                .as("the URL the provider derives is the one the worker reports")
                .allSatisfy(i -> assertThat(i.url()).isEqualTo("http://127.0.0.1:"
                        + fake.instance(Long.parseLong(i.id())).orElseThrow().hostPorts().get(3000)));

        target(0, 0);
        assertThat(runUntil(engine, Duration.ofMinutes(15), () -> engine.workers(ENDPOINT).isEmpty()
                && fake.instances().isEmpty())).isTrue();
        assertThat(fake.offerIds()).allSatisfy(id -> assertThat(fake.isRentable(id)).isTrue());
    }

    @Test
    @DisplayName("a storm of 500s while scaling up: the loop goes on, and ends with 8 instances, none leaked or doubled")
    void storm500() {
        fake();
        Autoscaler engine = engine(provider());
        target(8, 0);
        fake.failFor(Duration.ofMinutes(3), 500);

        assertThat(runUntil(engine, Duration.ofMinutes(25), () -> count(engine, WorkerState.READY) == 8
                && fake.instances().size() == 8)).isTrue();
        runUntil(engine, Duration.ofMinutes(2), () -> false);

        assertThat(events).filteredOn(e -> e instanceof AutoscalerEvent.ProviderFailed).isNotEmpty();
        assertNoLeakNoDuplicate(engine, 8);
    }

    @Test
    @DisplayName("a storm of 429s (Vast stricter than our spacing): every create gets through, 8 instances")
    void storm429() {
        fake(FakeVastServer.builder(clock).bootDelay(Duration.ofSeconds(90))
                .rateLimit(Api.CREATE, Duration.ofSeconds(12))
                .rateLimit(Api.LIST_V1, Duration.ofSeconds(3))
                .rateLimit(Api.SEARCH, Duration.ofSeconds(3)));
        Autoscaler engine = engine(provider());
        target(8, 0);

        assertThat(runUntil(engine, Duration.ofMinutes(25), () -> count(engine, WorkerState.READY) == 8)).isTrue();
        runUntil(engine, Duration.ofMinutes(2), () -> false);

        assertThat(fake.rateLimitedCalls()).isPositive();
        assertNoLeakNoDuplicate(engine, 8);
    }

    @Test
    @DisplayName("creates whose answers are lost are adopted by label, never rented twice")
    void lostCreateAnswers() {
        fake();
        fake.dropNextCreateAnswers(3);
        Autoscaler engine = engine(provider());
        target(5, 0);

        assertThat(runUntil(engine, Duration.ofMinutes(15), () -> count(engine, WorkerState.READY) == 5)).isTrue();
        runUntil(engine, Duration.ofMinutes(2), () -> false);

        assertThat(fake.callCount(Api.CREATE)).isEqualTo(5);
        assertNoLeakNoDuplicate(engine, 5);
    }

    @Test
    @DisplayName("a lost create answer whose label lookup fails too: the worker waits for a list; never more instances than asked")
    void lostCreateAnswerAndFailedLookup() {
        fake();
        Autoscaler engine = engine(provider());
        target(3, 0);
        // the first create's answer is lost, and the list that looks for its label answers 500 (not
        // retried): the client cannot tell whether the instance exists
        fake.dropNextCreateAnswers(1);
        fake.failNext(1, 500, Api.LIST_V1);

        assertThat(runUntil(engine, Duration.ofMinutes(15), () -> count(engine, WorkerState.READY) == 3)).isTrue();
        runUntil(engine, Duration.ofMinutes(2), () -> false);

        assertThat(fake.peakInstances(l -> l.startsWith("e2e:llm:"))).isEqualTo(3);
        assertThat(fake.callCount(Api.CREATE)).isEqualTo(3);
        assertNoLeakNoDuplicate(engine, 3);
    }

    @Test
    @DisplayName("a restarted engine with a fresh provider adopts every instance and rents nothing new")
    void restartAdoption() {
        fake();
        Autoscaler first = engine(provider());
        target(3, 2);
        assertThat(runUntil(first, Duration.ofMinutes(15), () -> count(first, WorkerState.READY) == 3
                && count(first, WorkerState.STOPPED) == 2)).isTrue();
        Set<String> before = workerLabels(first);
        long creates = fake.callCount(Api.CREATE);
        first.close();

        Autoscaler second = engine(provider());

        assertThat(workerLabels(second)).isEqualTo(before);
        assertThat(runUntil(second, Duration.ofMinutes(5), () -> count(second, WorkerState.READY) == 3)).isTrue();
        runUntil(second, Duration.ofMinutes(2), () -> false);
        assertThat(count(second, WorkerState.STOPPED)).isEqualTo(2);
        assertThat(fake.callCount(Api.CREATE)).isEqualTo(creates);
        assertNoLeakNoDuplicate(second, 5);
    }

    @Test
    @DisplayName("an instance that turns exited is destroyed and replaced")
    void exitedIsReplaced() {
        fake();
        Autoscaler engine = engine(provider());
        target(3, 0);
        assertThat(runUntil(engine, Duration.ofMinutes(15), () -> count(engine, WorkerState.READY) == 3)).isTrue();
        long dead = fake.instances().get(0).id();

        fake.exitInstance(dead);

        assertThat(runUntil(engine, Duration.ofMinutes(10), () -> count(engine, WorkerState.READY) == 3
                && fake.instance(dead).isEmpty())).isTrue();
        assertNoLeakNoDuplicate(engine, 3);
    }

    @Test
    @DisplayName("an instance stuck loading is destroyed after loading_timeout and replaced")
    void stuckLoadingIsReplaced() {
        fake();
        fake.stickNextInstancesInLoading(1);
        Autoscaler engine = engine(provider());
        target(3, 0);
        assertThat(runUntil(engine, Duration.ofMinutes(5), () -> count(engine, WorkerState.READY) == 2)).isTrue();
        long stuck = fake.instances().stream().filter(i -> !i.actualStatus().equals("running"))
                .mapToLong(FakeInstance::id).findFirst().orElseThrow();

        // the default loading_timeout is 10 minutes, measured from when the instance was created
        assertThat(runUntil(engine, Duration.ofMinutes(20), () -> count(engine, WorkerState.READY) == 3
                && fake.instance(stuck).isEmpty())).isTrue();
        assertThat(events).filteredOn(e -> e instanceof AutoscalerEvent.WorkerStateChanged c
                && c.reason().contains("loading_timeout")).isNotEmpty();
        assertNoLeakNoDuplicate(engine, 3);
    }
}
