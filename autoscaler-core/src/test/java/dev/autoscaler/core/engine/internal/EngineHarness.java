package dev.autoscaler.core.engine.internal;

import dev.autoscaler.AutoscalerEvent;
import dev.autoscaler.EndpointConfig;
import dev.autoscaler.GroupTarget;
import dev.autoscaler.LoadReport;
import dev.autoscaler.ManualClock;
import dev.autoscaler.ManualScheduler;
import dev.autoscaler.ScalingDecision;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import dev.autoscaler.core.Autoscaler;
import dev.autoscaler.spi.AutoscalerListener;
import dev.autoscaler.spi.ScalingPolicy;
import dev.autoscaler.spi.StateStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Executor;
import java.util.random.RandomGenerator;

/** An engine on a manual clock with a fake provider and a policy the test steers. */
final class EngineHarness {
    static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes();

    final ManualClock clock = new ManualClock();
    final ManualScheduler scheduler = new ManualScheduler(clock);
    final FakeInstanceProvider provider;
    final List<AutoscalerEvent> events = new ArrayList<>();
    volatile ScalingPolicy policy = s -> ScalingDecision.keep("test");
    final Autoscaler engine;
    /** Where provider calls run; null for the engine's default (at once, on the ticking thread). */
    private Executor providerExecutor;
    /** Where the engine keeps its state; null for the engine's default (in memory). */
    private StateStore stateStore;
    /** Further engine options a test sets (a spend cap, say); null for none. */
    private java.util.function.Consumer<Autoscaler.Builder> options;

    EngineHarness(EndpointConfig endpoint) {
        this(endpoint, new FakeInstanceProvider());
    }

    EngineHarness(EndpointConfig endpoint, FakeInstanceProvider provider) {
        this.provider = provider;
        this.engine = build(endpoint);
        engine.start();
    }

    /** A harness whose provider calls run only when the test runs them, so that they stay in flight. */
    EngineHarness(EndpointConfig endpoint, Executor providerExecutor) {
        this.provider = new FakeInstanceProvider();
        this.providerExecutor = providerExecutor;
        this.engine = build(endpoint);
        engine.start();
    }

    /** A harness on a given provider account whose provider calls run only when the test runs them. */
    EngineHarness(EndpointConfig endpoint, FakeInstanceProvider provider, Executor providerExecutor) {
        this.provider = provider;
        this.providerExecutor = providerExecutor;
        this.engine = build(endpoint);
        engine.start();
    }

    /** A harness with engine options of the test's, whose provider calls run only when the test runs them. */
    EngineHarness(EndpointConfig endpoint, FakeInstanceProvider provider, Executor providerExecutor,
                  java.util.function.Consumer<Autoscaler.Builder> options) {
        this.provider = provider;
        this.providerExecutor = providerExecutor;
        this.options = options;
        this.engine = build(endpoint);
        engine.start();
    }

    /** A harness whose engine keeps its state in {@code stateStore}. */
    EngineHarness(EndpointConfig endpoint, StateStore stateStore) {
        this.provider = new FakeInstanceProvider();
        this.stateStore = stateStore;
        this.engine = build(endpoint);
        engine.start();
    }

    Autoscaler build(EndpointConfig endpoint) {
        Autoscaler.Builder builder = Autoscaler.builder();
        if (providerExecutor != null) {
            builder.providerExecutor(providerExecutor);
        }
        if (stateStore != null) {
            builder.stateStore(stateStore);
        }
        if (options != null) {
            options.accept(builder);
        }
        return builder
                .clock(clock)
                .scheduler(scheduler)
                .provider(provider)
                .secret(SECRET)
                .random((RandomGenerator) new SplittableRandom(42))
                .policies((name, params) -> snapshot -> policy.decide(snapshot))
                .listener(new AutoscalerListener() {
                    @Override
                    public void onEvent(AutoscalerEvent event) {
                        events.add(event);
                    }
                })
                .tickInterval(Duration.ofSeconds(5))
                .endpoint(endpoint)
                .build();
    }

    static EndpointConfig.Builder endpoint() {
        return EndpointConfig.builder("llm").coldWorkers(0).coldDestroyDelay(Duration.ZERO).addGroup(WorkerGroupConfig.builder("main").build());
    }

    void target(int active, int cold) {
        policy = s -> ScalingDecision.of(Map.of("main", new GroupTarget(active, cold)), "test target " + active + "/" + cold);
    }

    /** Advances time by one tick interval, running the tick. */
    void tick() {
        scheduler.advance(Duration.ofSeconds(5));
    }

    List<WorkerRecord> workers() {
        return engine.workers("llm");
    }

    long count(WorkerState state) {
        return workers().stream().filter(w -> w.state() == state).count();
    }

    WorkerRecord report(WorkerRecord w, double maxPerf, String error) {
        return engine.report(LoadReport.builder(Long.parseLong(w.instanceId()), w.mtoken())
                .maxPerf(maxPerf).errorMsg(error).url(w.url()).build());
    }

    /** Every loading or starting worker reports ready. */
    void allReady(double maxPerf) {
        for (WorkerRecord w : workers()) {
            if (w.state() == WorkerState.LOADING || w.state() == WorkerState.STARTING || w.state() == WorkerState.REBOOTING) {
                report(w, maxPerf, "");
            }
        }
    }

    <T extends AutoscalerEvent> List<T> events(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
