package dev.autoscaler.core.engine.internal;

import dev.autoscaler.AutoscalerEvent;
import dev.autoscaler.EndpointConfig;
import dev.autoscaler.GroupTarget;
import dev.autoscaler.LoadReport;
import dev.autoscaler.ManualClock;
import dev.autoscaler.ManualScheduler;
import dev.autoscaler.ScalingDecision;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.WorkerIntent;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import dev.autoscaler.WorkerTemplate;
import dev.autoscaler.core.Autoscaler;
import dev.autoscaler.core.AutoscalerAdmin;
import dev.autoscaler.core.router.RouteAnswer;
import dev.autoscaler.core.router.Router;
import dev.autoscaler.core.router.RouterHarness;
import dev.autoscaler.spi.AutoscalerListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * A fleet under steady load for rolling-update tests: the real engine and the real router on a
 * manual clock, a fake provider, a fixed decision of {@code active}/{@code cold} workers for group
 * {@code main}, and fake workers that run what the router sends them for two steps and report it.
 * Every breach of the update's promises is written down in {@link #violations}: a request that
 * found no worker, a request routed to a worker that was not ready, a stop or destroy of an
 * instance that still held a request (that request would fail).
 */
final class RollingFleet {
    static final String ENDPOINT = "llm";
    static final String GROUP = "main";
    static final double COST = 100;
    static final double MAX_PERF = 100;
    /** Steps (ticks) a request runs on its worker. */
    static final int REQUEST_STEPS = 2;

    /** A request running on a fake worker. */
    static final class Job {
        final long idx;
        int stepsLeft;

        Job(long idx) {
            this(idx, REQUEST_STEPS);
        }

        Job(long idx, int steps) {
            this.idx = idx;
            this.stepsLeft = steps;
        }
    }

    /** The fake provider, which also checks that no instance is stopped or destroyed while it holds a request. */
    final class GuardedProvider extends FakeInstanceProvider {
        @Override
        public void stop(String instanceId) {
            List<Job> running = jobs.getOrDefault(instanceId, List.of());
            if (!running.isEmpty()) {
                violations.add("instance " + instanceId + " stopped with " + running.size() + " request(s) running");
            }
            super.stop(instanceId);
            jobs.remove(instanceId); // a stopped instance runs nothing: what it held failed
        }

        @Override
        public void destroy(String instanceId) {
            List<Job> running = jobs.getOrDefault(instanceId, List.of());
            if (!running.isEmpty()) {
                violations.add("instance " + instanceId + " destroyed with " + running.size() + " request(s) running");
            }
            super.destroy(instanceId);
            jobs.remove(instanceId);
        }
    }

    final ManualClock clock = new ManualClock();
    final ManualScheduler scheduler = new ManualScheduler(clock);
    final GuardedProvider provider;
    final Map<String, List<Job>> jobs = new HashMap<>();
    final List<String> violations = new ArrayList<>();
    final List<AutoscalerEvent.WorkerStateChanged> stateChanges = new ArrayList<>();
    /** The decision: the policy reads these at every tick, a test may change them. */
    volatile int active;
    volatile int cold;
    Autoscaler engine;
    AutoscalerAdmin admin;
    Router router;
    int requestsRouted;
    /** Request indexes of {@link #occupy}, far from the router's. */
    long nextOccupiedIdx = 1_000_000;
    int minRoutableDuringUpdate = Integer.MAX_VALUE;

    RollingFleet(int active, int cold, int maxWorkers, WorkerTemplate template) {
        this.active = active;
        this.cold = cold;
        this.provider = new GuardedProvider();
        start(EndpointConfig.builder(ENDPOINT).coldWorkers(0).coldDestroyDelay(Duration.ZERO).maxWorkers(maxWorkers)
                .addGroup(WorkerGroupConfig.builder(GROUP).template(template).build()).build());
    }

    static WorkerTemplate image(String image) {
        return WorkerTemplate.ofImage(image);
    }

    /** A (re)started engine and router on the same provider, with this configuration. */
    void start(EndpointConfig config) {
        engine = Autoscaler.builder()
                .clock(clock)
                .scheduler(scheduler)
                .provider(provider)
                .secret(EngineHarness.SECRET)
                .random((RandomGenerator) new SplittableRandom(42))
                .policies((name, params) -> snapshot -> ScalingDecision.of(
                        Map.of(GROUP, new GroupTarget(active, cold)), "decided " + active + "/" + cold))
                .listener(new AutoscalerListener() {
                    @Override
                    public void onEvent(AutoscalerEvent event) {
                        if (event instanceof AutoscalerEvent.WorkerStateChanged changed) {
                            stateChanges.add(changed);
                        }
                    }
                })
                .tickInterval(Duration.ofSeconds(5))
                .endpoint(config)
                .build();
        engine.start();
        admin = new AutoscalerAdmin(engine);
        router = Router.builder(engine).tickets(RouterHarness.TICKETS).random((RandomGenerator) new SplittableRandom(11))
                .build();
    }

    /** Runs until every worker is up: active ones ready, cold ones stopped. */
    void bringUp() {
        for (int i = 0; i < 10 && !(routable() == active && count(WorkerState.STOPPED) == cold); i++) {
            step(0);
        }
        if (routable() != active || count(WorkerState.STOPPED) != cold) {
            throw new AssertionError("fleet did not come up: " + workers());
        }
    }

    void changeTemplate(WorkerTemplate template) {
        WorkerGroupConfig group = engine.endpoint(ENDPOINT).group(GROUP).orElseThrow();
        admin.replaceGroup(ENDPOINT, group.toBuilder().template(template).build());
    }

    /**
     * One step: route {@code requests} requests, let the workers run and report, check the routable
     * count, tick, check it again.
     */
    void step(int requests) {
        for (int i = 0; i < requests; i++) {
            route();
        }
        for (List<Job> running : jobs.values()) {
            running.forEach(j -> j.stepsLeft--);
            running.removeIf(j -> j.stepsLeft <= 0);
        }
        reportAll();
        watchRoutable();
        scheduler.advance(Duration.ofSeconds(5));
        watchRoutable();
    }

    /** Steps under load until the group is back to its target, every worker on the current revision. */
    int rollOut(int requestsPerStep, int maxSteps) {
        for (int i = 1; i <= maxSteps; i++) {
            step(requestsPerStep);
            if (!admin.rollout(ENDPOINT, GROUP).inProgress() && routable() == active
                    && count(WorkerState.STOPPED) == cold && workers().size() == active + cold) {
                return i;
            }
        }
        throw new AssertionError("no convergence in " + maxSteps + " steps: " + workers());
    }

    private void route() {
        RouteAnswer answer = router.route(ENDPOINT, COST, 0);
        if (!(answer instanceof RouteAnswer.Routed routed)) {
            violations.add("request found no worker: " + ((RouteAnswer.NotReady) answer).status());
            return;
        }
        requestsRouted++;
        WorkerRecord w = engine.stateStore().worker(routed.workerId()).orElseThrow();
        if (w.state() != WorkerState.READY || !provider.instances.containsKey(w.instanceId())) {
            violations.add("request " + routed.requestIdx() + " routed to worker " + w.workerId() + " in state "
                    + w.state().wireName());
        }
        jobs.computeIfAbsent(w.instanceId(), k -> new ArrayList<>()).add(new Job(routed.requestIdx()));
    }

    /** Every worker with an instance that runs reports: ready with its running requests. */
    void reportAll() {
        for (WorkerRecord w : workers()) {
            if (w.instanceId().isEmpty() || w.state().isCold() || w.state() == WorkerState.DESTROYING) {
                continue;
            }
            report(w);
        }
    }

    WorkerRecord report(WorkerRecord w) {
        List<Job> running = jobs.getOrDefault(w.instanceId(), List.of());
        return engine.report(LoadReport.builder(Long.parseLong(w.instanceId()), w.mtoken())
                .maxPerf(MAX_PERF).curLoad(running.size() * COST).numRequestsWorking(running.size())
                .workingRequestIdxs(running.stream().map(j -> j.idx).toList()).url(w.url()).build());
    }

    private void watchRoutable() {
        if (admin.rollout(ENDPOINT, GROUP).inProgress()) {
            minRoutableDuringUpdate = Math.min(minRoutableDuringUpdate, routable());
        }
    }

    List<WorkerRecord> workers() {
        return engine.workers(ENDPOINT);
    }

    /** Ready workers that serve: the ones the router may pick. */
    int routable() {
        return (int) workers().stream().filter(w -> w.state() == WorkerState.READY && w.intent() == WorkerIntent.ACTIVE)
                .count();
    }

    /** Gives a worker a request that runs {@code steps} steps (the fleet's reports then show it busy). */
    void occupy(WorkerRecord w, int steps) {
        jobs.computeIfAbsent(w.instanceId(), k -> new ArrayList<>()).add(new Job(nextOccupiedIdx++, steps));
    }

    WorkerRecord worker(String workerId) {
        return engine.stateStore().worker(workerId).orElseThrow();
    }

    long count(WorkerState state) {
        return workers().stream().filter(w -> w.state() == state).count();
    }

    String revision() {
        return engine.endpoint(ENDPOINT).group(GROUP).orElseThrow().template().revision();
    }
}
