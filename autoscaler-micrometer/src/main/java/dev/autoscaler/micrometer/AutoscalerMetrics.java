package dev.autoscaler.micrometer;

import dev.autoscaler.AutoscalerEvent;
import dev.autoscaler.EndpointSnapshot;
import dev.autoscaler.GroupSnapshot;
import dev.autoscaler.GroupTarget;
import dev.autoscaler.LoadReport;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import dev.autoscaler.core.Autoscaler;
import dev.autoscaler.core.ReportObserver;
import dev.autoscaler.spi.AutoscalerListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The engine's metrics in a Micrometer {@link MeterRegistry}, fed by its events (the core depends on
 * no metrics library). Names as Micrometer writes them to Prometheus; every meter but the three
 * engine-wide gauges has an {@code endpoint} tag, most a {@code group} one. Per-endpoint gauges follow
 * the last control tick; the engine-wide ones are read at each scrape.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><td>{@code autoscaler_workers{endpoint,group,state}}</td><td>workers by lifecycle state (destroyed left out)</td></tr>
 *   <tr><td>{@code autoscaler_target_workers{endpoint,group,kind}}</td><td>the targets: {@code kind} active or cold</td></tr>
 *   <tr><td>{@code autoscaler_ready_perf{endpoint,group}}</td><td>summed perf of the ready workers, perf units/s</td></tr>
 *   <tr><td>{@code autoscaler_load{endpoint,window}}</td><td>work arriving, perf units/s, over the 60 s and 300 s windows</td></tr>
 *   <tr><td>{@code autoscaler_waiting_requests{endpoint}}</td><td>requests waiting at the router for a worker</td></tr>
 *   <tr><td>{@code autoscaler_reserved_load{endpoint,group}}</td><td>work the router reserved on workers that no report holds yet, perf units</td></tr>
 *   <tr><td>{@code autoscaler_cost_per_hour_usd{endpoint,group}}</td><td>$/h of the workers billed at full price (every state but stopped)</td></tr>
 *   <tr><td>{@code autoscaler_owned_cost_per_hour_usd{endpoint}}</td><td>$/h of every instance the endpoint owns, as its
 *   {@code max_cost_per_hour} counts it (stopped ones at storage price, ones being created at their group's
 *   {@code max_price_per_hour}); only with {@link #attach}</td></tr>
 *   <tr><td>{@code autoscaler_spend_cap_usd_per_hour{endpoint,scope}}</td><td>the spend cap that last cut
 *   ({@code scope} endpoint or engine)</td></tr>
 *   <tr><td>{@code autoscaler_spend_cap_cuts_total{endpoint,group,scope}}</td><td>creates and resumes a spend cap did not make</td></tr>
 *   <tr><td>{@code autoscaler_create_backoffs_total{endpoint,group}}</td><td>times a group's creates backed off
 *   after repeated boots that never became ready</td></tr>
 *   <tr><td>{@code autoscaler_queue_time_seconds{endpoint,group}}</td><td>a histogram of how long routed requests waited for a worker</td></tr>
 *   <tr><td>{@code autoscaler_routes_total{endpoint,group,outcome}}</td><td>{@code /route/} answers: routed, repeated, waiting, stopped ({@code group} "none" unless routed)</td></tr>
 *   <tr><td>{@code autoscaler_requests_expired_total{endpoint,what}}</td><td>waits without a re-poll ({@code wait}) and reservations no report accounted for ({@code reservation})</td></tr>
 *   <tr><td>{@code autoscaler_decisions_total{endpoint,kind}}</td><td>control decisions: {@code change} of a target, or {@code hold}</td></tr>
 *   <tr><td>{@code autoscaler_policy_errors_total{endpoint}}</td><td>a policy threw; the endpoint kept its size</td></tr>
 *   <tr><td>{@code autoscaler_provider_calls_total{endpoint,group,action}}</td><td>provider calls that succeeded (and adoptions)</td></tr>
 *   <tr><td>{@code autoscaler_provider_errors_total{endpoint,group,action,kind}}</td><td>provider calls that failed, by {@code ProviderException.Kind}</td></tr>
 *   <tr><td>{@code autoscaler_pending_destroys}</td><td>engine-wide: workers whose instance is not confirmed gone yet, removed endpoints included; it stays up while destroys fail</td></tr>
 *   <tr><td>{@code autoscaler_orphan_instances}</td><td>engine-wide: labelled instances of endpoints or groups not configured, not resolved yet</td></tr>
 *   <tr><td>{@code autoscaler_waiting_for_provider_list}</td><td>engine-wide: 1 while creates are held back for want of a fresh provider list ({@code /readyz} says why)</td></tr>
 *   <tr><td>{@code autoscaler_rejected_load_total{endpoint,group}}</td><td>work the workers rejected ({@code rej_load} of their reports: tickets that failed verification, mostly), perf units</td></tr>
 * </table>
 */
public final class AutoscalerMetrics implements AutoscalerListener, ReportObserver {
    /** The queue-time histogram's bucket bounds. */
    static final Duration[] QUEUE_TIME_BUCKETS = {
            Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120),
            Duration.ofSeconds(300)};

    private final MeterRegistry registry;
    private final Map<Tags, GaugeValue> gauges = new ConcurrentHashMap<>();
    /** The engine, when attached to one: the owned cost is read from it on each tick. */
    private volatile Autoscaler engine;

    public AutoscalerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Metrics of {@code engine} in {@code registry}, from now on (attach before {@code start()} to count adoptions). */
    public static AutoscalerMetrics attach(Autoscaler engine, MeterRegistry registry) {
        AutoscalerMetrics metrics = new AutoscalerMetrics(registry);
        metrics.engine = engine;
        // engine-wide, read at each scrape: a destroy pending after its endpoint was removed, or an
        // orphan, belongs to no configured endpoint and must show all the same
        Gauge.builder("autoscaler.pending.destroys", engine, Autoscaler::pendingDestroys)
                .description("workers whose instance is not confirmed gone yet (destroys in flight or failed and retried)")
                .strongReference(true).register(registry);
        Gauge.builder("autoscaler.orphan.instances", engine, e -> e.orphans().size())
                .description("instances with this engine's label whose endpoint or group is not configured, not resolved yet")
                .register(registry);
        Gauge.builder("autoscaler.waiting.for.provider.list", engine, e -> e.waitingReason().isPresent() ? 1 : 0)
                .description("1 while the engine holds back creates: no successful provider list since start, or the last one too old")
                .register(registry);
        engine.addListener(metrics);
        engine.addReportObserver(metrics);
        return metrics;
    }

    // ---- gauges, from each tick ----

    @Override
    public void onTick(AutoscalerEvent.TickCompleted event) {
        String endpoint = event.endpoint();
        EndpointSnapshot snapshot = event.snapshot();
        for (GroupSnapshot group : snapshot.groups()) {
            Map<WorkerState, Integer> byState = new EnumMap<>(WorkerState.class);
            double readyPerf = 0;
            double reserved = 0;
            double cost = 0;
            for (WorkerRecord w : group.workers()) {
                if (w.state() == WorkerState.DESTROYED) {
                    continue;
                }
                byState.merge(w.state(), 1, Integer::sum);
                reserved += w.reservedLoad();
                if (w.state() == WorkerState.READY) {
                    readyPerf += w.perf();
                }
                if (w.state() != WorkerState.STOPPED) {
                    cost += w.pricePerHour();
                }
            }
            for (WorkerState state : WorkerState.values()) {
                if (state != WorkerState.DESTROYED) {
                    gauge("autoscaler.workers", "workers by lifecycle state",
                            Tags.of("endpoint", endpoint, "group", group.name(), "state", state.wireName()))
                            .set(byState.getOrDefault(state, 0));
                }
            }
            GroupTarget target = event.targets().getOrDefault(group.name(), new GroupTarget(0, 0));
            gauge("autoscaler.target.workers", "the engine's target, active or cold workers",
                    Tags.of("endpoint", endpoint, "group", group.name(), "kind", "active")).set(target.active());
            gauge("autoscaler.target.workers", "the engine's target, active or cold workers",
                    Tags.of("endpoint", endpoint, "group", group.name(), "kind", "cold")).set(target.cold());
            gauge("autoscaler.ready.perf", "summed perf of the ready workers, perf units/s",
                    Tags.of("endpoint", endpoint, "group", group.name())).set(readyPerf);
            gauge("autoscaler.reserved.load", "work reserved on workers by the router, perf units",
                    Tags.of("endpoint", endpoint, "group", group.name())).set(reserved);
            gauge("autoscaler.cost.per.hour.usd", "dollars per hour of the workers billed at full price",
                    Tags.of("endpoint", endpoint, "group", group.name())).set(cost);
        }
        gauge("autoscaler.load", "work arriving, perf units/s", Tags.of("endpoint", endpoint, "window", "60s"))
                .set(snapshot.load().arrivalRateShort());
        gauge("autoscaler.load", "work arriving, perf units/s", Tags.of("endpoint", endpoint, "window", "300s"))
                .set(snapshot.load().arrivalRateLong());
        gauge("autoscaler.waiting.requests", "requests waiting at the router for a worker", Tags.of("endpoint", endpoint))
                .set(snapshot.load().waitingRequests());
        counter("autoscaler.decisions", "control decisions: a change of target, or a hold",
                Tags.of("endpoint", endpoint, "kind", event.changed() ? "change" : "hold")).increment();
        Autoscaler attached = engine;
        if (attached != null) {
            try {
                gauge("autoscaler.owned.cost.per.hour.usd", "dollars per hour of every instance owned, as the spend cap counts",
                        Tags.of("endpoint", endpoint)).set(attached.costPerHour(endpoint));
            } catch (dev.autoscaler.NotFoundException removed) {
                // removed since the tick: its gauge keeps its last value
            }
        }
    }

    @Override
    public void onCreatesBackedOff(AutoscalerEvent.CreatesBackedOff event) {
        counter("autoscaler.create.backoffs", "a group's creates backed off after repeated failed boots",
                Tags.of("endpoint", event.endpoint(), "group", orNone(event.group()))).increment();
    }

    @Override
    public void onSpendCapped(AutoscalerEvent.SpendCapped event) {
        gauge("autoscaler.spend.cap.usd.per.hour", "the spend cap (max_cost_per_hour) that cut creates or resumes",
                Tags.of("endpoint", event.endpoint(), "scope", event.scope())).set(event.capPerHour());
        counter("autoscaler.spend.cap.cuts", "creates and resumes a spend cap did not make",
                Tags.of("endpoint", event.endpoint(), "group", orNone(event.group()), "scope", event.scope()))
                .increment(event.cut());
    }

    private GaugeValue gauge(String name, String description, Tags tags) {
        return gauges.computeIfAbsent(tags.and("__name", name), key -> {
            GaugeValue value = new GaugeValue();
            Gauge.builder(name, value, GaugeValue::get).description(description).tags(tags).register(registry);
            return value;
        });
    }

    private Counter counter(String name, String description, Tags tags) {
        return Counter.builder(name).description(description).tags(tags).register(registry);
    }

    // ---- counters and the queue-time histogram, from events ----

    /** Per endpoint, group and outcome: every route passes here, so the meters are looked up once. */
    private record RouteKey(String endpoint, String group, AutoscalerEvent.RouteOutcome outcome) {
    }

    private final Map<RouteKey, Counter> routeCounters = new ConcurrentHashMap<>();
    private final Map<RouteKey, Timer> queueTimers = new ConcurrentHashMap<>();

    @Override
    public void onRoute(AutoscalerEvent.RouteAnswered event) {
        RouteKey key = new RouteKey(event.endpoint(), event.group().isEmpty() ? "none" : event.group(), event.outcome());
        routeCounters.computeIfAbsent(key, k -> counter("autoscaler.routes", "answers to /route/ by outcome",
                Tags.of("endpoint", k.endpoint(), "group", k.group(), "outcome", k.outcome().wireName()))).increment();
        if (event.outcome() == AutoscalerEvent.RouteOutcome.ROUTED) {
            queueTimers.computeIfAbsent(key, k -> Timer.builder("autoscaler.queue.time")
                    .description("how long a routed request waited for a worker")
                    .serviceLevelObjectives(QUEUE_TIME_BUCKETS)
                    .tags("endpoint", k.endpoint(), "group", k.group()).register(registry))
                    .record(Duration.ofNanos((long) (event.queueSeconds() * 1e9)));
        }
    }

    @Override
    public void onRequestExpired(AutoscalerEvent.RequestExpired event) {
        counter("autoscaler.requests.expired", "waits and reservations the router's sweep ended",
                Tags.of("endpoint", event.endpoint(), "what", event.reserved() ? "reservation" : "wait")).increment();
    }

    @Override
    public void onPluginError(AutoscalerEvent.PluginFailed event) {
        counter("autoscaler.policy.errors", "a scaling policy threw; the endpoint kept its size",
                Tags.of("endpoint", event.endpoint())).increment();
    }

    @Override
    public void onInstanceAction(AutoscalerEvent.InstanceActionTaken event) {
        counter("autoscaler.provider.calls", "provider calls that succeeded, by action",
                Tags.of("endpoint", event.endpoint(), "group", orNone(event.group()),
                        "action", event.action().name().toLowerCase(java.util.Locale.ROOT))).increment();
    }

    @Override
    public void onProviderError(AutoscalerEvent.ProviderFailed event) {
        counter("autoscaler.provider.errors", "provider calls that failed, by action and kind",
                Tags.of("endpoint", event.endpoint(), "group", orNone(event.group()),
                        "action", event.action() == null ? "none" : event.action().name().toLowerCase(java.util.Locale.ROOT),
                        "kind", event.error().kind().name().toLowerCase(java.util.Locale.ROOT))).increment();
    }

    @Override
    public void onReport(LoadReport report, WorkerRecord worker) {
        if (report.rejLoad() > 0) {
            counter("autoscaler.rejected.load", "work the workers rejected (rej_load), perf units",
                    Tags.of("endpoint", worker.endpoint(), "group", worker.group())).increment(report.rejLoad());
        }
    }

    private static String orNone(String s) {
        return s == null || s.isEmpty() ? "none" : s;
    }

    /** A gauge's current value, set on each tick. */
    private static final class GaugeValue {
        private volatile double value;

        void set(double v) {
            value = v;
        }

        double get() {
            return value;
        }
    }
}
