package dev.autoscaler.sim;

import dev.autoscaler.EndpointConfig;
import dev.autoscaler.ManualClock;
import dev.autoscaler.ManualScheduler;
import dev.autoscaler.Settings;
import dev.autoscaler.core.Autoscaler;
import dev.autoscaler.core.compare.ComparisonReport;
import dev.autoscaler.core.compare.HardwareComparison;
import dev.autoscaler.spi.AutoscalerListener;
import dev.autoscaler.spi.InstanceProvider;
import dev.autoscaler.spi.ScalingPolicy;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Plays a workload against the real engine ({@link Autoscaler}) with a {@link SimulatedProvider}, on
 * one thread and a {@link ManualClock}: the simulator's events (arrivals, re-polls, completions,
 * reports, boots) and the engine's scheduled ticks and syncs run in time order, so a seed gives
 * the same run, to the byte.
 *
 * <pre>{@code
 * SimulationReport report = Simulation.builder(SimulationConfig.of(
 *         SimulationConfig.defaultEndpoint("vast"), Scenario.SPIKE.generate(1), 1)).build().run();
 * System.out.println(report.toJson());
 * }</pre>
 *
 * Clients behave like Vast's SDK: a request calls {@code /route/} (the {@link SimDispatcher}); when
 * no worker can take it, it re-polls every second and gives up after 120 s. A request whose worker
 * goes away (stopped, rebooted, errored, destroyed) while holding it starts over. The run ends when
 * every request is served or dropped (and the tail, if any, has passed).
 */
public final class Simulation {
    private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");
    /**
     * How often stale waits and reservations are swept, as {@code serve} and the demo schedule the
     * router's sweeps. Without it a reservation no report accounted for (a request shorter than the
     * worker's report interval) lasted until the next request came by, which on a sparse workload is
     * minutes: a busy-looking worker that a scale-down drains instead of stopping.
     */
    static final java.time.Duration SWEEP_PERIOD = java.time.Duration.ofSeconds(1);

    private final SimulationConfig config;
    private final BiFunction<String, Settings, ScalingPolicy> policies;
    private final Function<Autoscaler, SimDispatcher> dispatchers;
    private final List<AutoscalerListener> listeners;
    private final List<TimedAction> actions;
    private final List<SimWorldListener> worldListeners;
    private final java.util.function.UnaryOperator<InstanceProvider> providerWrapper;
    private final java.util.function.Predicate<dev.autoscaler.LoadReport> reportFilter;

    private final ManualClock clock = new ManualClock(EPOCH);
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final EventQueue events = new EventQueue();
    private final List<Long> restarts;
    private SimulatedProvider provider;
    private InstanceProvider engineSide;
    private Autoscaler engine;
    private SimDispatcher dispatcher;
    private FigureRecorder figures;
    private HardwareComparison hardware;
    private GroupService groupService;
    private int unresolved;
    private int nextArrival;
    private boolean ran;

    private Simulation(Builder b) {
        this.config = b.config;
        this.policies = b.policies;
        this.dispatchers = b.dispatchers;
        this.providerWrapper = b.providerWrapper;
        this.reportFilter = b.reportFilter;
        this.listeners = List.copyOf(b.listeners);
        this.actions = List.copyOf(b.actions);
        this.worldListeners = List.copyOf(b.worldListeners);
        this.restarts = List.copyOf(b.restarts);
    }

    /** Something done to the engine at a simulated time, e.g. an admin change mid-trace. */
    private record TimedAction(long atNanos, java.util.function.Consumer<Autoscaler> action) {
    }

    public static Builder builder(SimulationConfig config) {
        return new Builder(config);
    }

    /** Runs the whole simulation; once per instance. */
    public SimulationReport run() {
        if (ran) {
            throw new IllegalStateException("a Simulation runs once; build another");
        }
        ran = true;
        EndpointConfig endpoint = config.endpoint();
        long seed = config.seed();
        figures = new FigureRecorder(endpoint.maxWorkers(), endpoint.targetQueueTime());
        groupService = new GroupService(endpoint.groups().stream().map(g -> g.name()).toList());
        provider = new SimulatedProvider(config.world(), clock, events, mix(seed, 1));
        provider.listener(new WorldEvents());
        engineSide = providerWrapper == null ? provider : providerWrapper.apply(provider);
        buildEngine(mix(seed, 2), mix(seed, 3));
        // a lambda, not dispatcher::sweep: after a restart the sweeps go to the new engine's router
        scheduler.scheduleAtFixedRate(() -> dispatcher.sweep(), SWEEP_PERIOD, SWEEP_PERIOD);
        provider.reportTo(report -> {
            if (reportFilter != null && !reportFilter.test(report)) {
                return; // lost on its way: the chaos simulation's faults
            }
            engine.report(report);
            dispatcher.workerReported(report);
        });
        try {
            engine.start();
            for (TimedAction a : actions) {
                events.at(a.atNanos(), () -> a.action().accept(engine));
            }
            for (int i = 0; i < restarts.size(); i++) {
                long random = mix(seed, 100 + 2L * i);
                long router = mix(seed, 101 + 2L * i);
                events.at(restarts.get(i), () -> restart(random, router));
            }
            loop();
        } finally {
            engine.close();
        }
        Workload w = config.workload();
        return figures.report(w.size(), provider, clock.nanoTime() / 1e9, w.name(), endpoint.policy(), seed);
    }

    /**
     * Builds the engine (with its router), not started, on the run's provider, clock and scheduler,
     * with a fresh in-memory store: what it knows of the world it learns from its first provider list.
     */
    private void buildEngine(long randomSeed, long routerSeed) {
        long seed = config.seed();
        Autoscaler.Builder b = Autoscaler.builder().clock(clock).scheduler(scheduler).provider(engineSide)
                .providerExecutor(Runnable::run).random(new SplittableRandom(randomSeed))
                .secret(secret(seed)).owner("sim").tickInterval(config.tickInterval())
                .syncInterval(config.syncInterval()).listener(figures).endpoint(config.endpoint())
                // the spend caps count stopped instances at the storage share this world bills them
                .storagePriceFraction(config.world().storagePriceFraction());
        listeners.forEach(b::listener);
        if (policies != null) {
            b.policies(policies);
        }
        engine = b.build();
        hardware = HardwareComparison.attach(engine);
        // The real router unless a test asked for another dispatcher.
        dispatcher = dispatchers != null ? Objects.requireNonNull(dispatchers.apply(engine), "dispatcher")
                : new RouterDispatcher(engine, new SplittableRandom(routerSeed));
    }

    /**
     * The chaos simulation's engine restart: the engine is closed (its ticks and syncs cancelled) and a
     * new one, with an empty memory, the same owner and secret, takes its place on the same provider and
     * behind a new router; the world's instances run on and bill meanwhile, their reports go to the new
     * engine, and clients re-poll through the new router (an unknown {@code request_idx} starts a new wait).
     * The hardware comparison restarts with it.
     */
    private void restart(long randomSeed, long routerSeed) {
        engine.close();
        buildEngine(randomSeed, routerSeed);
        engine.start();
    }

    /** {@return the engine of the run, for inspection after {@link #run()} (its workers, targets, store)} */
    public Autoscaler engine() {
        return engine;
    }

    /**
     * The hardware comparison of the run's endpoint (per group and GPU type, ranked by served work
     * per dollar), as of the end of the run; call it after {@link #run()}.
     */
    public ComparisonReport comparison() {
        if (hardware == null) {
            throw new IllegalStateException("run() first");
        }
        return hardware.comparison(config.endpoint().name());
    }

    /** {@return which group served what (requests, work, share, when), as of the end of the run; call it after {@link #run()}} */
    public GroupService groupService() {
        if (groupService == null) {
            throw new IllegalStateException("run() first");
        }
        return groupService;
    }

    /** {@return the provider of the run, for inspection after {@link #run()}} */
    public SimulatedProvider provider() {
        return provider;
    }

    private void loop() {
        Workload w = config.workload();
        unresolved = w.size();
        if (w.size() > 0) {
            events.at(w.arrivalNanos(0), this::arrive);
        }
        long last = w.durationNanos();
        long tailEnd = last + nanos(config.tailSeconds());
        long giveUp = last + nanos(config.maxDrainSeconds());
        while (unresolved > 0 || nextArrival < w.size()) {
            if (clock.nanoTime() > giveUp || !step(Long.MAX_VALUE)) {
                return;
            }
        }
        while (step(tailEnd)) {
            // the tail: the engine and the workers go on with no traffic
        }
        clock.advanceTo(tailEnd);
    }

    /** Runs the next event (the simulator's or the engine's) due at or before {@code limit}; false when none. */
    private boolean step(long limit) {
        long nextEvent = events.nextNanos();
        long nextTask = scheduler.nextDueNanos();
        long next = Math.min(nextEvent, nextTask);
        if (next == Long.MAX_VALUE || next > limit) {
            return false;
        }
        if (nextEvent <= nextTask) {
            clock.advanceTo(nextEvent);
            events.runNext();
        } else {
            scheduler.advanceTo(nextTask);
        }
        return true;
    }

    private void arrive() {
        Workload w = config.workload();
        int i = nextArrival++;
        SimRequest request = new SimRequest(i, w.arrivalNanos(i), w.cost(i));
        if (nextArrival < w.size()) {
            events.at(w.arrivalNanos(nextArrival), this::arrive);
        }
        attempt(request);
    }

    /** One /route/ call for a waiting request, then the call to the worker it names. */
    private void attempt(SimRequest r) {
        long now = clock.nanoTime();
        String endpoint = config.endpoint().name();
        SimDispatcher.Route route = dispatcher.route(endpoint, r.cost, r.requestIdx);
        r.requestIdx = route.requestIdx();
        if (route.url().isPresent()) {
            SimulatedInstance worker = provider.instanceAt(route.url().get());
            r.group = worker == null ? null : groupOf(worker.label); // before accept: a request may end inside it
            r.label = worker == null ? null : worker.label;
            if (worker != null && worker.accept(r, now)) {
                return;
            }
            r.requestIdx = 0; // the worker refused it: the client starts over with a new /route/ call
        }
        long deadline = r.waitingSinceNanos + nanos(config.dropAfterSeconds());
        if (now >= deadline) {
            r.status = SimRequest.Status.DROPPED;
            unresolved--;
            figures.dropped();
            worldListeners.forEach(l -> l.requestDropped(r, now));
            if (r.requestIdx != 0) {
                dispatcher.abandoned(endpoint, r.requestIdx);
            }
            return;
        }
        events.at(Math.min(now + nanos(config.repollSeconds()), deadline), () -> attempt(r));
    }

    /** The world's news about requests and instances. */
    private final class WorldEvents implements SimWorldListener {
        @Override
        public void requestStarted(SimRequest request, long nowNanos) {
            request.startNanos = nowNanos;
        }

        @Override
        public void requestCompleted(SimRequest request, long nowNanos) {
            request.status = SimRequest.Status.DONE;
            unresolved--;
            figures.served((request.startNanos - request.arrivalNanos) / 1e9);
            groupService.served(request.group, request.cost, request.startNanos);
        }

        @Override
        public void requestBounced(SimRequest request, long nowNanos) {
            request.status = SimRequest.Status.WAITING;
            request.bounces++;
            request.requestIdx = 0;
            request.startNanos = -1;
            request.waitingSinceNanos = nowNanos;
            figures.retried();
            worldListeners.forEach(l -> l.requestBounced(request, nowNanos));
            // Not inline: this comes from inside a provider call, in the middle of an engine tick.
            events.at(nowNanos, () -> attempt(request));
        }

        @Override
        public void instancesChanged(String endpoint, int live, long nowNanos) {
            figures.instances(live);
        }
    }

    /** The group part of the engine's instance label {@code owner:endpoint:group:uid}. */
    private static String groupOf(String label) {
        String[] parts = label.split(":", -1);
        return parts.length == 4 ? parts[2] : "unknown";
    }

    private static long nanos(double seconds) {
        return Math.round(seconds * 1e9);
    }

    /** Independent streams from one seed: the world's draws do not shift when the engine draws more. */
    private static long mix(long seed, long stream) {
        return new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * stream)).nextLong();
    }

    private static byte[] secret(long seed) {
        return ByteBuffer.allocate(32).putLong(seed).putLong(mix(seed, 3)).putLong(mix(seed, 4)).putLong(mix(seed, 5))
                .array();
    }

    /** Configures a {@link Simulation}. */
    public static final class Builder {
        private final SimulationConfig config;
        private BiFunction<String, Settings, ScalingPolicy> policies;
        private Function<Autoscaler, SimDispatcher> dispatchers;
        private final List<AutoscalerListener> listeners = new ArrayList<>();
        private final List<TimedAction> actions = new ArrayList<>();
        private final List<SimWorldListener> worldListeners = new ArrayList<>();
        private final List<Long> restarts = new ArrayList<>();
        private java.util.function.UnaryOperator<InstanceProvider> providerWrapper;
        private java.util.function.Predicate<dev.autoscaler.LoadReport> reportFilter;

        private Builder(SimulationConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        /**
         * How policy names resolve (default: the engine's, {@link java.util.ServiceLoader}).
         *
         * @param policies the new value
         * @return this builder
         */
        public Builder policies(BiFunction<String, Settings, ScalingPolicy> policies) {
            this.policies = policies;
            return this;
        }

        /**
         * How clients get a worker, made once the engine exists (default: {@link RouterDispatcher}, the real router).
         *
         * @param dispatchers the new value
         * @return this builder
         */
        public Builder dispatcher(Function<Autoscaler, SimDispatcher> dispatchers) {
            this.dispatchers = Objects.requireNonNull(dispatchers, "dispatchers");
            return this;
        }

        /**
         * An extra listener on the engine's events (e.g. to chart a run).
         *
         * @param listener the new value
         * @return this builder
         */
        public Builder listener(AutoscalerListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Runs {@code action} on the engine at simulated time {@code at} after the start, in time order
         * with the run's other events (e.g. a template change through {@code updateEndpoint}).
         *
         * @param at the new value
         * @param action the new value
         * @return this builder
         */
        public Builder at(java.time.Duration at, java.util.function.Consumer<Autoscaler> action) {
            if (at.isNegative()) {
                throw new IllegalArgumentException("at must be >= 0, got " + at);
            }
            actions.add(new TimedAction(at.toNanos(), Objects.requireNonNull(action, "action")));
            return this;
        }

        /**
         * Faults between the engine and the world, for the chaos simulation: the provider the engine
         * sees (the simulated one, wrapped), and which worker reports reach the engine.
         */
        Builder providerWrapper(java.util.function.UnaryOperator<InstanceProvider> wrapper) {
            this.providerWrapper = wrapper;
            return this;
        }

        /** See {@link #providerWrapper}: a report for which this is false is lost. */
        Builder reportFilter(java.util.function.Predicate<dev.autoscaler.LoadReport> filter) {
            this.reportFilter = filter;
            return this;
        }

        /**
         * Restarts the engine with an empty memory at simulated time {@code at} after the start, for the
         * chaos simulation (test use only): the engine is closed and a new one with an empty in-memory
         * store, the same owner and secret, is built on the same provider and started. The dispatcher function is
         * called again with the new engine, and the listeners are added to it.
         */
        Builder restartAt(java.time.Duration at) {
            if (at.isNegative()) {
                throw new IllegalArgumentException("at must be >= 0, got " + at);
            }
            restarts.add(at.toNanos());
            return this;
        }

        /** Also told of bounced and dropped requests (package-private: the world's types are). */
        Builder worldListener(SimWorldListener listener) {
            worldListeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        public Simulation build() {
            return new Simulation(this);
        }
    }
}
