package dev.autoscaler.core.router;

import dev.autoscaler.EndpointConfig;
import dev.autoscaler.GroupTarget;
import dev.autoscaler.LoadReport;
import dev.autoscaler.ManualClock;
import dev.autoscaler.ManualScheduler;
import dev.autoscaler.ScalingDecision;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.core.Autoscaler;
import dev.autoscaler.core.provider.StaticInstanceProvider;
import dev.autoscaler.core.provider.StaticWorker;
import dev.autoscaler.core.ticket.TicketFormats;
import dev.autoscaler.spi.ScalingPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;

/**
 * The real engine and router on a manual clock, with a static fleet of workers 101, 102, ... (mtoken
 * {@code tok-<id>}, url {@code http://10.0.0.1:<4000+n>}) and a policy the test steers.
 */
public final class RouterHarness {
    public static final String ENDPOINT = "llm";
    /** The real ticket formats, keys made once per test run (RSA key generation is slow). */
    public static final TicketFormats TICKETS = TicketFormats.builder().build();

    public final ManualClock clock = new ManualClock();
    public final ManualScheduler scheduler = new ManualScheduler(clock);
    public final StaticInstanceProvider provider;
    public volatile ScalingPolicy policy = s -> ScalingDecision.keep("test");
    public final Autoscaler engine;
    public final Router router;

    public RouterHarness(int fleet) {
        this(fleet, b -> b);
    }

    public RouterHarness(int fleet, UnaryOperator<EndpointConfig.Builder> endpoint) {
        this(fleet, endpoint, b -> b);
    }

    public RouterHarness(int fleet, UnaryOperator<EndpointConfig.Builder> endpoint, UnaryOperator<Router.Builder> router) {
        this(defaultUrls(fleet), endpoint, router);
    }

    /** A fleet whose worker n (101, 102, ...) has the n-th URL. */
    public RouterHarness(List<String> urls, UnaryOperator<EndpointConfig.Builder> endpoint, UnaryOperator<Router.Builder> router) {
        List<StaticWorker> workers = new ArrayList<>();
        for (int i = 1; i <= urls.size(); i++) {
            workers.add(new StaticWorker(Integer.toString(100 + i), "tok-" + (100 + i), urls.get(i - 1)));
        }
        this.provider = new StaticInstanceProvider(workers);
        this.engine = Autoscaler.builder()
                .clock(clock)
                .scheduler(scheduler)
                .provider(provider)
                .secret("0123456789abcdef0123456789abcdef".getBytes())
                .random((RandomGenerator) new SplittableRandom(7))
                .policies((name, params) -> snapshot -> policy.decide(snapshot))
                .endpoint(endpoint.apply(EndpointConfig.builder(ENDPOINT).coldWorkers(0)
                        .addGroup(WorkerGroupConfig.builder("main").build())).build())
                .build();
        engine.start();
        this.router = router.apply(Router.builder(engine).tickets(TICKETS)
                .random((RandomGenerator) new SplittableRandom(11))).build();
    }

    private static List<String> defaultUrls(int fleet) {
        List<String> urls = new ArrayList<>();
        for (int i = 1; i <= fleet; i++) {
            urls.add("http://10.0.0.1:" + (4000 + i));
        }
        return urls;
    }

    /** Sets the policy to {@code active} workers of group main and runs a tick. */
    public void scaleTo(int active) {
        policy = s -> ScalingDecision.of(Map.of("main", new GroupTarget(active, 0)), "test");
        engine.tick();
    }

    /** Scales to {@code n} and has each worker report ready with {@code maxPerf}. */
    public List<WorkerRecord> ready(int n, double maxPerf) {
        scaleTo(n);
        for (WorkerRecord w : workers()) {
            report(w, maxPerf, 0, List.of());
        }
        return workers();
    }

    public List<WorkerRecord> workers() {
        return engine.workers(ENDPOINT);
    }

    public WorkerRecord worker(String workerId) {
        return engine.stateStore().worker(workerId).orElseThrow();
    }

    public WorkerRecord byUrl(String url) {
        return workers().stream().filter(w -> w.url().equals(url)).findFirst().orElseThrow();
    }

    public WorkerRecord report(WorkerRecord w, double maxPerf, double curLoad, List<Long> working) {
        return engine.report(LoadReport.builder(Long.parseLong(w.instanceId()), "tok-" + w.instanceId())
                .maxPerf(maxPerf).curLoad(curLoad).numRequestsWorking(working.size()).workingRequestIdxs(working)
                .url(w.url()).build());
    }

    public RouteAnswer route(Number cost) {
        return router.route(ENDPOINT, cost, 0);
    }

    public void advance(Duration d) {
        scheduler.advance(d);
    }
}
