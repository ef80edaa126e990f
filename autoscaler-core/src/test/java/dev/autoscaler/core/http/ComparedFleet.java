package dev.autoscaler.core.http;

import dev.autoscaler.EndpointConfig;
import dev.autoscaler.GroupTarget;
import dev.autoscaler.LoadReport;
import dev.autoscaler.ManualClock;
import dev.autoscaler.ManualScheduler;
import dev.autoscaler.ScalingDecision;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.core.Autoscaler;
import dev.autoscaler.core.compare.HardwareComparison;
import dev.autoscaler.core.provider.StaticInstanceProvider;
import dev.autoscaler.core.provider.StaticWorker;
import dev.autoscaler.core.router.Router;
import dev.autoscaler.core.router.RouterHarness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The real engine, API and HTTP server on a manual clock, with a hardware comparison and two priced
 * groups of endpoint {@code llm}: {@code cheap} (worker 101, RTX 4090 at $0.40/h) and {@code fast}
 * (worker 102, H100 at $2.50/h). {@link #serveOneMinute} makes both ready, lets a minute pass and has
 * cheap report 1,000 perf units served and fast 2,000: cheap serves 150,000 per dollar, fast 48,000,
 * so cheap is the best group and the RTX 4090 the best GPU type.
 */
final class ComparedFleet implements AutoCloseable {
    static final String ENDPOINT = "llm";
    static final String KEY = "key-1";

    final ManualClock clock = new ManualClock();
    final ManualScheduler scheduler = new ManualScheduler(clock);
    final Autoscaler engine;
    final HardwareComparison comparison;
    final AutoscalerApi api;
    private volatile Map<String, GroupTarget> targets = Map.of();
    private ApiServer server;

    ComparedFleet() {
        engine = Autoscaler.builder()
                .clock(clock)
                .scheduler(scheduler)
                .provider(new StaticInstanceProvider(List.of(
                        new StaticWorker("101", "tok-101", "http://10.0.0.1:4001", "RTX 4090", 0.40),
                        new StaticWorker("102", "tok-102", "http://10.0.0.1:4002", "H100", 2.50))))
                .secret("0123456789abcdef0123456789abcdef".getBytes())
                .random((RandomGenerator) new SplittableRandom(7))
                .policies((name, params) -> snapshot -> ScalingDecision.of(targets, "test"))
                .endpoint(EndpointConfig.builder(ENDPOINT).coldWorkers(0)
                        .addGroup(WorkerGroupConfig.builder("cheap").build())
                        .addGroup(WorkerGroupConfig.builder("fast").build()).build())
                .build();
        engine.start();
        comparison = HardwareComparison.attach(engine);
        Router router = Router.builder(engine).tickets(RouterHarness.TICKETS)
                .random((RandomGenerator) new SplittableRandom(11)).build();
        api = AutoscalerApi.builder(router).apiKey(KEY).tickets(RouterHarness.TICKETS).comparison(comparison).build();
    }

    /** Both workers made ready (cheap first, so it gets worker 101), a minute served, then reported. */
    ComparedFleet serveOneMinute() {
        targets = Map.of("cheap", new GroupTarget(1, 0));
        engine.tick();
        targets = Map.of("cheap", new GroupTarget(1, 0), "fast", new GroupTarget(1, 0));
        engine.tick();
        report("cheap", 100, 0);
        report("fast", 400, 0);
        scheduler.advance(Duration.ofSeconds(60));
        report("cheap", 100, 1000);
        report("fast", 400, 2000);
        return this;
    }

    private void report(String group, double maxPerf, double curPerf) {
        WorkerRecord w = engine.workers(ENDPOINT).stream().filter(r -> r.group().equals(group)).findFirst().orElseThrow();
        engine.report(LoadReport.builder(Long.parseLong(w.instanceId()), "tok-" + w.instanceId())
                .maxPerf(maxPerf).curPerf(curPerf).url(w.url()).build());
    }

    /** Serves the API on an ephemeral loopback port; closed by {@link #close}. */
    String serve() {
        server = HttpHarness.start(api);
        return server.baseUrl();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}
