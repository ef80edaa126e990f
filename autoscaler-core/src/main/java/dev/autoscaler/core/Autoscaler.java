package dev.autoscaler.core;

import dev.autoscaler.AlreadyExistsException;
import dev.autoscaler.Clock;
import dev.autoscaler.InvalidConfigException;
import dev.autoscaler.EndpointConfig;
import dev.autoscaler.EndpointSnapshot;
import dev.autoscaler.GroupTarget;
import dev.autoscaler.LoadReport;
import dev.autoscaler.NotFoundException;
import dev.autoscaler.PluginNotFoundException;
import dev.autoscaler.Settings;
import dev.autoscaler.TaskScheduler;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.core.engine.internal.EndpointController;
import dev.autoscaler.core.policy.ScalingPolicies;
import dev.autoscaler.core.engine.internal.EngineContext;
import dev.autoscaler.core.engine.internal.EventPublisher;
import dev.autoscaler.core.engine.internal.InstanceAddresses;
import dev.autoscaler.core.engine.internal.WorkerUrlCheck;
import dev.autoscaler.core.engine.internal.ListFreshness;
import dev.autoscaler.core.engine.internal.LoadTracker;
import dev.autoscaler.core.engine.internal.MtokenMinter;
import dev.autoscaler.core.engine.internal.ProviderActions;
import dev.autoscaler.core.engine.internal.ProviderSync;
import dev.autoscaler.core.engine.internal.ReportProcessor;
import dev.autoscaler.core.engine.internal.RequestLedger;
import dev.autoscaler.core.engine.internal.RoutingHooks;
import dev.autoscaler.core.engine.internal.SpendCaps;
import dev.autoscaler.core.store.InMemoryStateStore;
import dev.autoscaler.spi.AutoscalerListener;
import dev.autoscaler.spi.InstanceProvider;
import dev.autoscaler.spi.ScalingPolicy;
import dev.autoscaler.spi.ScalingPolicyProvider;
import dev.autoscaler.spi.StateStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scaling engine: endpoints made of worker groups, scaled by a policy on the load their workers
 * report, on instances from one or more {@link InstanceProvider}s.
 *
 * <pre>{@code
 * Autoscaler engine = Autoscaler.builder()
 *     .provider(myProvider)
 *     .publicUrl("https://autoscaler.example.com")
 *     .endpoint(EndpointConfig.builder("llama").addGroup(WorkerGroupConfig.builder("4090s").build()).build())
 *     .build();
 * engine.start();          // adopts labelled instances, then ticks every tickInterval
 * engine.report(report);   // for each POST /worker_status/
 * engine.close();
 * }</pre>
 *
 * <p>Time, scheduling and provider calls are injected: with a {@link dev.autoscaler.ManualClock}, a
 * {@link dev.autoscaler.ManualScheduler} and a direct executor ({@code Runnable::run}) the engine is
 * deterministic and runs entirely on the caller's thread, which is how the tests and the simulator
 * drive it. Thread safe otherwise.
 */
public final class Autoscaler implements AutoCloseable {
    /** The name under which {@link Builder#provider(InstanceProvider)} registers the default provider. */
    public static final String DEFAULT_PROVIDER = "default";
    private static final Logger log = LoggerFactory.getLogger(Autoscaler.class);

    private final EngineContext ctx;
    private final Map<String, InstanceProvider> providers;
    /** The same providers, recording the addresses their creates and lists return (what worker URLs are checked against). */
    private final Map<String, InstanceProvider> recordingProviders;
    private final InstanceAddresses addresses = new InstanceAddresses();
    /** When the last early sync for a missing address was asked for (clock nanos), so that a flood of reports asks once. */
    private final java.util.concurrent.atomic.AtomicLong lastAddressSync = new java.util.concurrent.atomic.AtomicLong(Long.MIN_VALUE);
    private final TaskScheduler scheduler;
    private final Duration tickInterval;
    private final Duration syncInterval;
    private final BiFunction<String, Settings, ScalingPolicy> policies;
    private final Map<String, EndpointController> controllers = new ConcurrentHashMap<>();
    /** Endpoints removed while some of their workers still exist: each tick drains and destroys them. */
    private final Map<String, EndpointController> retiring = new ConcurrentHashMap<>();
    /** Serialises changes of the configured endpoints, so that read-modify-write updates do not interleave. */
    private final Object configLock = new Object();
    private final ReportProcessor reports;
    private final ProviderSync sync;
    private final RequestLedger ledger;
    private final ListFreshness lists;
    /** Serialises provider syncs: the scheduled one, the tick's retries, a caller's. */
    private final Object syncLock = new Object();
    private final List<TaskScheduler.Cancellable> scheduled = new ArrayList<>();
    private final List<ReportObserver> reportObservers = new CopyOnWriteArrayList<>();
    private final RoutingHooks routingHooks = new EngineRoutingHooks();
    private final TrafficTap trafficTap;
    private volatile boolean started;
    private volatile boolean ticked;
    private volatile long lastTickStartNanos;

    private Autoscaler(Builder b) {
        Clock clock = Objects.requireNonNullElse(b.clock, Clock.system());
        this.providers = Map.copyOf(b.providers);
        if (providers.isEmpty()) {
            throw new IllegalArgumentException("at least one instance provider is required");
        }
        Map<String, InstanceProvider> recording = new java.util.HashMap<>();
        providers.forEach((name, p) -> recording.put(name, addresses.recording(p)));
        this.recordingProviders = Map.copyOf(recording);
        String defaultProvider = b.providers.containsKey(DEFAULT_PROVIDER) ? DEFAULT_PROVIDER
                : b.providers.keySet().iterator().next();
        EventPublisher events = new EventPublisher();
        b.listeners.forEach(events::add);
        StateStore store = Objects.requireNonNullElseGet(b.store, InMemoryStateStore::new);
        RandomGenerator random = Objects.requireNonNullElseGet(b.random, SecureRandom::new);
        this.trafficTap = Objects.requireNonNullElse(b.trafficTap, (endpoint, group, cost) -> { });
        byte[] secret = b.secret;
        if (secret == null) {
            secret = new byte[32];
            new SecureRandom().nextBytes(secret);
        }
        this.lists = new ListFreshness(Objects.requireNonNullElse(b.maxListAge, b.syncInterval.multipliedBy(3)).toNanos());
        ProviderActions actions = new ProviderActions(store, this::recordingProvider,
                Objects.requireNonNullElse(b.executor, Runnable::run), clock, events, random,
                (endpoint, group) -> lists.fresh(providerNameOf(endpoint, group), clock.nanoTime()));
        SpendCaps spend = new SpendCaps(store, clock, events, b.maxCostPerHour, b.storagePriceFraction,
                name -> Optional.ofNullable(controllers.get(name)).or(() -> Optional.ofNullable(retiring.get(name)))
                        .map(EndpointController::config), actions::isDestroyedWhileStopped);
        this.ctx = new EngineContext(store, clock, actions, events, new MtokenMinter(secret), random, b.owner,
                defaultProvider, b.publicUrl, spend);
        this.scheduler = b.scheduler;
        this.tickInterval = b.tickInterval;
        this.syncInterval = b.syncInterval;
        this.policies = b.policies != null ? b.policies : ScalingPolicies.load()::create;
        this.reports = new ReportProcessor(store, clock, actions, this::tracker, this::providerNameOf, b.workerUrlCheck,
                addresses, this::syncSoonForAddresses);
        this.sync = new ProviderSync(ctx, this::recordingProvider, b.orphanPolicy, b.orphanGrace);
        // a create with an unknown outcome is settled by a list taken after it: one second later
        actions.onUnknownCreate(() -> {
            if (scheduler != null) {
                scheduler.schedule(() -> {
                    if (running()) {
                        syncWithProviders();
                    }
                }, Duration.ofSeconds(1));
            }
        });
        this.ledger = new RequestLedger(store);
        for (EndpointConfig endpoint : b.endpoints) {
            putEndpoint(endpoint);
        }
    }

    /**
     * A builder; at least one provider is required, and without a scheduler nothing ticks by itself.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Adopts the instances the providers list with this engine's labels, then schedules the control
     * ticks and provider syncs on the scheduler (when one was given). Call it once the HTTP surface
     * is up: workers fetch {@code /pubkey/} as they start.
     *
     * <p>Until every provider in use has answered one list, the engine runs no control tick and
     * serves no wake-up: it would see no worker and rent a second fleet beside the one it is about to
     * adopt. A failed list is retried with backoff by the ticks ({@link #waitingReason()} says why it
     * waits). Afterwards a group creates only while its provider's last successful list is younger
     * than {@link Builder#maxListAge} (default 3 x the sync interval).
     */
    public synchronized void start() {
        if (started) {
            return;
        }
        started = true;
        syncWithProviders();
        if (scheduler != null) {
            scheduled.add(scheduler.scheduleAtFixedRate(this::tick, tickInterval, tickInterval));
            scheduled.add(scheduler.scheduleAtFixedRate(this::syncWithProviders, syncInterval, syncInterval));
        }
    }

    /**
     * Runs one control tick for every endpoint now. Before the first successful list of every
     * provider (and while the last one failed) it first retries the sync, with backoff; it ticks no
     * endpoint before that sync has succeeded once.
     */
    public void tick() {
        lastTickStartNanos = ctx.clock().nanoTime();
        ticked = true;
        if (!ensureListed()) {
            return;
        }
        for (EndpointController controller : controllers.values()) {
            controller.tick();
        }
        for (Map.Entry<String, EndpointController> entry : retiring.entrySet()) {
            if (entry.getValue().retire()) {
                retiring.remove(entry.getKey(), entry.getValue());
            }
        }
        try {
            ctx.actions().retryDestroys(this::providerNameOf);
        } catch (RuntimeException e) {
            log.error("retrying failed destroys failed; the next tick retries", e);
        }
    }

    /** How many workers wait for their instance to be confirmed gone (destroys in flight or failed). */
    public int pendingDestroys() {
        return (int) ctx.store().allWorkers().stream().filter(w -> w.state() == dev.autoscaler.WorkerState.DESTROYING).count();
    }

    /**
     * Runs one control tick for one endpoint now, on the calling thread. The router calls it when the
     * first request waits at an endpoint that has no worker on the way (scaled to zero), so that the
     * scale-up starts at once instead of at the next scheduled tick. Never throws for a tick that
     * fails (it is logged); throws {@link NotFoundException} for an unknown endpoint.
     */
    public void tick(String endpoint) {
        EndpointController controller = controller(endpoint);
        if (!lists.adopted()) {
            log.debug("endpoint {}: no wake-up before the first successful provider list", endpoint);
            return;
        }
        controller.tick();
    }

    /** Syncs now when the first list has not succeeded yet, or the last one failed, and the backoff allows. */
    private boolean ensureListed() {
        if (lists.retryDue(ctx.clock().nanoTime(), sync.providersInUse(configuredEndpoints()))) {
            syncWithProviders();
        }
        return lists.adopted();
    }

    /**
     * Why the engine holds back now (no tick before the first successful list; no create while the
     * last list is too old), or empty when it does not.
     */
    public Optional<String> waitingReason() {
        return lists.waitingReason(ctx.clock().nanoTime(), sync.providersInUse(configuredEndpoints()));
    }

    /** True once every provider in use has answered a list since start, so that ticks run. */
    public boolean hasListedProviders() {
        return lists.adopted();
    }

    /**
     * Instances with this engine's label whose endpoint or group is not configured, not resolved yet
     * (see {@link Builder#orphans}), oldest first.
     */
    public List<dev.autoscaler.OrphanInstance> orphans() {
        return sync.orphans();
    }

    /** Lists every provider's instances now: adopts ours, drops vanished ones, destroys failed ones. */
    public void syncWithProviders() {
        syncAll();
    }

    /** As {@link #syncWithProviders()}; true when every provider's list succeeded. */
    private boolean syncAll() {
        synchronized (syncLock) {
            ProviderSync.Result result = sync.sync(configuredEndpoints());
            lists.recordSync(result.providers(), result.succeeded(), result.startedAtNanos(), ctx.clock().nanoTime(),
                    result.error(), ctx.random());
            return result.complete();
        }
    }

    private Map<String, EndpointConfig> configuredEndpoints() {
        Map<String, EndpointConfig> endpoints = new LinkedHashMap<>();
        // removed endpoints still being retired are synced too: their instances live on their own providers
        retiring.forEach((name, c) -> endpoints.put(name, c.config()));
        controllers.forEach((name, c) -> endpoints.put(name, c.config()));
        return endpoints;
    }

    /**
     * Applies a {@code /worker_status/} report.
     *
     * @return the worker after the report
     * @throws dev.autoscaler.AuthenticationException for an unknown worker id or a wrong mtoken
     */
    public WorkerRecord report(LoadReport report) {
        WorkerRecord worker;
        try {
            worker = reports.apply(report);
        } catch (dev.autoscaler.AuthenticationException unknown) {
            // a fixed fleet's declared worker not handed out yet reports too: accepted, nothing to apply
            return sync.standbyWorker(report.id(), report.mtoken()).orElseThrow(() -> unknown);
        }
        for (ReportObserver observer : reportObservers) {
            try {
                observer.onReport(report, worker);
            } catch (RuntimeException e) {
                log.warn("report observer {} threw; skipped", observer.getClass().getName(), e);
            }
        }
        return worker;
    }

    /**
     * Applies a worker's {@code /delete_requests/}: the named requests are finished (or rejected), so
     * the reservations the router made for them on this worker end. Names of requests reserved on
     * another worker, or unknown, are ignored.
     *
     * @param instanceId the worker's instance id ({@code worker_id})
     * @return how many reservations ended
     * @throws dev.autoscaler.AuthenticationException for an unknown worker id or a wrong mtoken
     */
    public int deleteRequests(long instanceId, String mtoken, Collection<Long> requestIdxs) {
        return reports.deleteRequests(instanceId, mtoken, requestIdxs);
    }

    /** Adds an endpoint, or replaces the configuration of an existing one (live). */
    public void putEndpoint(EndpointConfig config) {
        synchronized (configLock) {
            apply(config);
        }
    }

    /**
     * Adds an endpoint that does not exist yet.
     *
     * @throws AlreadyExistsException when an endpoint of that name exists
     * @throws dev.autoscaler.InvalidConfigException when a group names an unknown provider
     * @throws PluginNotFoundException when the policy is unknown
     */
    public void createEndpoint(EndpointConfig config) {
        synchronized (configLock) {
            if (controllers.containsKey(config.name())) {
                throw new AlreadyExistsException("endpoint '" + config.name() + "' already exists");
            }
            apply(config);
        }
    }

    /**
     * Replaces an existing endpoint's configuration by {@code change} applied to the current one,
     * atomically with respect to the other configuration changes. Groups that the new configuration
     * no longer has are drained, then their instances destroyed.
     *
     * @return the new configuration
     * @throws NotFoundException for an unknown endpoint
     */
    public EndpointConfig updateEndpoint(String name, java.util.function.UnaryOperator<EndpointConfig> change) {
        synchronized (configLock) {
            EndpointConfig next = change.apply(controller(name).config());
            if (!next.name().equals(name)) {
                throw new dev.autoscaler.InvalidConfigException("endpoint_name",
                        "cannot rename endpoint '" + name + "' to '" + next.name() + "'");
            }
            apply(next);
            return next;
        }
    }

    /**
     * Removes an endpoint: it takes no more requests at once, and its workers are drained (a busy
     * worker is left alone until idle) then destroyed, one control tick at a time. Unlike
     * {@link #close()}, nothing is left billing.
     *
     * @throws NotFoundException for an unknown endpoint
     */
    public void removeEndpoint(String name) {
        synchronized (configLock) {
            EndpointController removed = controllers.remove(name);
            if (removed == null) {
                throw new NotFoundException("no endpoint named '" + name + "'");
            }
            removed.markRemoved();
            retiring.put(name, removed);
        }
    }

    /** {@return the names of removed endpoints whose workers are still being drained or destroyed, sorted} */
    public List<String> retiringEndpointNames() {
        return retiring.keySet().stream().sorted().toList();
    }

    private void apply(EndpointConfig config) {
        for (int i = 0; i < config.groups().size(); i++) {
            String provider = config.groups().get(i).provider().orElse(null);
            if (provider != null && !providers.containsKey(provider)) {
                throw new dev.autoscaler.InvalidConfigException("groups[" + i + "].provider", "unknown provider '"
                        + provider + "'; known: " + providers.keySet().stream().sorted().toList());
            }
        }
        EndpointController existing = controllers.get(config.name());
        // A policy keeps its instance (and so its history: windows, stabilisation) across changes that
        // leave its own parameters alone; a new policy or new policy_params make a new instance.
        ScalingPolicy policy = existing != null && samePolicy(existing.config(), config) ? existing.policy()
                : policies.apply(config.policy(), config.policyParams());
        // a new endpoint of a removed one's name takes its workers over: its reconciler retires the groups it lacks
        EndpointController previous = existing == null ? retiring.remove(config.name()) : null;
        controllers.compute(config.name(), (name, current) -> {
            if (current == null) {
                if (previous != null) {
                    previous.reconfigure(config, policy);
                    return previous;
                }
                return new EndpointController(ctx, config, policy);
            }
            current.reconfigure(config, policy);
            return current;
        });
    }

    /** True when a change from {@code before} to {@code after} leaves the policy as it is. */
    private static boolean samePolicy(EndpointConfig before, EndpointConfig after) {
        return before.policy().equals(after.policy()) && before.policyParams().equals(after.policyParams());
    }

    /** {@return the configuration of an endpoint} */
    public EndpointConfig endpoint(String name) {
        return controller(name).config();
    }

    /** {@return the names of the endpoints, sorted} */
    public List<String> endpointNames() {
        return controllers.keySet().stream().sorted().toList();
    }

    /** {@return what a policy would see of this endpoint now} */
    public EndpointSnapshot snapshot(String endpoint) {
        return controller(endpoint).snapshot();
    }

    /** {@return the targets the engine works toward now, by group} */
    public Map<String, GroupTarget> targets(String endpoint) {
        return controller(endpoint).targets();
    }

    /**
     * Each group's rolling-update progress: its current template revision, and how many of its
     * workers run it, are outdated, or are draining. A changed group template rolls out by itself
     * over the next control ticks (surge, then drain; see the engine's {@code RollingUpdate}).
     */
    public List<dev.autoscaler.RolloutStatus> rollout(String endpoint) {
        return controller(endpoint).rollout();
    }

    /**
     * The reason of this endpoint's last decision, also when it kept the targets (held for stale
     * figures, a scale-down step, a suspended endpoint).
     */
    public String lastDecisionReason(String endpoint) {
        return controller(endpoint).lastReason();
    }

    /**
     * {@return what an endpoint's instances cost now, $/h: every state but destroyed, stopped ones at
     * their storage price, ones being created at their group's {@code max_price_per_hour}} (what its
     * {@code max_cost_per_hour} bounds)
     */
    public double costPerHour(String endpoint) {
        controller(endpoint);
        return ctx.spend().endpointCost(endpoint);
    }

    /** {@return what every instance this engine owns costs now, $/h, counted as {@link #costPerHour(String)}} */
    public double costPerHour() {
        return ctx.spend().engineCost();
    }

    /** {@return the engine's {@code max_cost_per_hour} ({@link Builder#maxCostPerHour}); empty: none} */
    public java.util.OptionalDouble maxCostPerHour() {
        return ctx.spend().engineCap();
    }

    /** {@return the last time a spend cap cut this endpoint's scaling, and why; empty if it never did} */
    public Optional<String> lastSpendCut(String endpoint) {
        controller(endpoint);
        return ctx.spend().lastCut(endpoint);
    }

    /** {@return an endpoint's workers in every state but destroyed} */
    public List<WorkerRecord> workers(String endpoint) {
        controller(endpoint);
        return ctx.store().workers(endpoint);
    }

    /**
     * The engine's side of routing, for this library's {@link dev.autoscaler.core.router.Router}: the
     * traffic and spill-over it counts and the requests it forgets. Not user API (its package is
     * internal); route through a {@code Router}, whose {@code abandon} forgets a request a client gave up on.
     */
    public RoutingHooks routingHooks() {
        return routingHooks;
    }

    /**
     * Counts traffic another engine's router saw (a replica's, on the same shared store) in this
     * engine's load windows, as if its own router had: {@code group} empty for arriving work, a
     * group's name for spill-over to that overflow group. Not passed to this engine's
     * {@link Builder#trafficTap}: what came from another engine does not go back to it.
     *
     * @throws NotFoundException for an endpoint or group this engine does not have
     */
    public void countTraffic(String endpoint, String group, double cost) {
        Objects.requireNonNull(group, "group");
        if (!(cost >= 0) || Double.isInfinite(cost)) {
            throw new IllegalArgumentException("cost must be finite and >= 0, got " + cost);
        }
        EndpointController c = controller(endpoint);
        if (group.isEmpty()) {
            c.tracker().recordRouted(cost, ctx.clock().nanoTime());
            return;
        }
        if (c.config().group(group).isEmpty()) {
            throw new NotFoundException("endpoint '" + endpoint + "' has no group named '" + group + "'");
        }
        c.spillTracker(group).recordRouted(cost, ctx.clock().nanoTime());
    }

    /** The interval of the scheduled control ticks. */
    public Duration tickInterval() {
        return tickInterval;
    }

    /**
     * How long ago (by the engine's clock) the last control tick of every endpoint ({@link #tick()})
     * started; empty before the first. What a readiness probe checks against {@link #tickInterval()}.
     */
    public java.util.Optional<Duration> sinceLastTick() {
        return ticked ? java.util.Optional.of(Duration.ofNanos(ctx.clock().nanoTime() - lastTickStartNanos))
                : java.util.Optional.empty();
    }

    /** Whether {@link #start()} was called and {@link #close()} was not since. */
    public boolean running() {
        return started;
    }

    /**
     * Hands an event to the engine's listeners. For what is built on the engine and publishes with it
     * (the {@link dev.autoscaler.core.router.Router}'s route outcomes), so that one listener sees all.
     */
    public void publishEvent(dev.autoscaler.AutoscalerEvent event) {
        ctx.events().publish(event);
    }

    /**
     * Where the engine keeps workers and requests.
     *
     * @return the state store
     */
    public StateStore stateStore() {
        return ctx.store();
    }

    /**
     * The engine's clock.
     *
     * @return the clock every timestamp and timeout comes from
     */
    public Clock clock() {
        return ctx.clock();
    }

    /**
     * Adds a listener of the engine's events.
     *
     * @param listener called on the engine's thread; one that throws is logged and skipped
     */
    public void addListener(AutoscalerListener listener) {
        ctx.events().add(listener);
    }

    /**
     * Removes a listener.
     *
     * @param listener one added before
     */
    public void removeListener(AutoscalerListener listener) {
        ctx.events().remove(listener);
    }

    /** Sees every accepted worker report from now on (see {@link ReportObserver}). */
    public void addReportObserver(ReportObserver observer) {
        reportObservers.add(Objects.requireNonNull(observer, "observer"));
    }

    /**
     * Removes a report observer.
     *
     * @param observer one added before
     */
    public void removeReportObserver(ReportObserver observer) {
        reportObservers.remove(observer);
    }

    /** Lists the providers' instances again soon (at most once per 5 s): a worker reported before its address was known. */
    /**
     * Lists every provider in use and records the addresses of the instances, changing nothing else
     * (no adoption, no store write): what a replica that does not run the control loop does so that
     * it can check the URLs its workers report against the provider's.
     */
    public void refreshInstanceAddresses() {
        for (String name : sync.providersInUse(configuredEndpoints())) {
            try {
                recordingProvider(name).list();
            } catch (RuntimeException e) {
                log.warn("listing provider {} for the instances' addresses failed: {}", name, e.getMessage());
            }
        }
    }

    private void syncSoonForAddresses() {
        if (scheduler == null) {
            return; // driven by hand: the caller syncs
        }
        long now = ctx.clock().nanoTime();
        long last = lastAddressSync.get();
        if (last != Long.MIN_VALUE && now - last < java.time.Duration.ofSeconds(5).toNanos()) {
            return;
        }
        if (lastAddressSync.compareAndSet(last, now)) {
            scheduler.schedule(this::syncWithProviders, java.time.Duration.ZERO);
        }
    }

    private InstanceProvider recordingProvider(String name) {
        InstanceProvider provider = recordingProviders.get(name);
        return provider != null ? provider : provider(name);
    }

    /** The provider registered under {@code name}. */
    public InstanceProvider provider(String name) {
        InstanceProvider provider = providers.get(name);
        if (provider == null) {
            throw new PluginNotFoundException("instance provider", name, providers.keySet().stream().sorted().toList());
        }
        return provider;
    }

    /**
     * Stops the ticks and syncs, then does what {@code action} says with every instance, for at most
     * {@code timeout}: {@link dev.autoscaler.ShutdownAction#KEEP} leaves them as they are (logged
     * loudly: running ones keep billing until the next start adopts them), {@code STOP} stops them,
     * {@code DESTROY} destroys them (waiting for creates in flight to have their instance, and
     * retrying failed calls until the time is up). With {@code STOP} or {@code DESTROY} it lists the
     * providers once more when every known worker is done, and handles what that list adopts (an
     * instance whose create's answer was lost), so that nothing it made is left behind unseen.
     *
     * @param sleeper how to wait between rounds (the system's in a server; one that moves a manual clock in tests)
     * @return what was done and what is left
     */
    public dev.autoscaler.ShutdownSummary shutdown(dev.autoscaler.ShutdownAction action, Duration timeout,
                                                   dev.autoscaler.Sleeper sleeper) {
        close();
        List<WorkerRecord> before = ctx.store().allWorkers();
        long deadline = ctx.clock().nanoTime() + timeout.toNanos();
        boolean timedOut = false;
        if (action != dev.autoscaler.ShutdownAction.KEEP) {
            boolean listedAfterLastStep = false;
            while (true) {
                boolean pending = false;
                for (WorkerRecord w : ctx.store().allWorkers()) {
                    pending |= shutdownStep(w, action);
                }
                // A create whose outcome is unknown is settled only by a list; and a last list once
                // every known worker is done finds what the engine lost track of (adopted, then
                // handled by the next round), so that the summary's "nothing left" is the provider's word.
                if (ctx.actions().hasUnknownCreates() || !pending && !listedAfterLastStep) {
                    boolean listed = syncAll() && !ctx.actions().hasUnknownCreates();
                    boolean more = ctx.store().allWorkers().stream().anyMatch(w -> action
                            == dev.autoscaler.ShutdownAction.DESTROY || w.state() != dev.autoscaler.WorkerState.STOPPED);
                    listedAfterLastStep = listed && !more;
                    pending |= !listedAfterLastStep;
                }
                if (!pending) {
                    break;
                }
                long left = deadline - ctx.clock().nanoTime();
                if (left <= 0) {
                    timedOut = true;
                    break;
                }
                try {
                    sleeper.sleep(Math.min(left, 200_000_000L));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    timedOut = true;
                    break;
                }
            }
        }
        List<WorkerRecord> after = ctx.store().allWorkers();
        java.util.Set<String> remaining = new java.util.HashSet<>();
        List<String> leftRunning = new ArrayList<>();
        List<String> leftStopped = new ArrayList<>();
        for (WorkerRecord w : after) {
            remaining.add(w.workerId());
            String id = w.instanceId().isEmpty() ? "worker " + w.workerId() : w.instanceId();
            (w.state() == dev.autoscaler.WorkerState.STOPPED ? leftStopped : leftRunning).add(id);
        }
        int destroyed = (int) before.stream().filter(w -> !remaining.contains(w.workerId())).count();
        int stopped = (int) before.stream().filter(w -> w.state() != dev.autoscaler.WorkerState.STOPPED
                && after.stream().anyMatch(a -> a.workerId().equals(w.workerId()) && a.state() == dev.autoscaler.WorkerState.STOPPED))
                .count();
        dev.autoscaler.ShutdownSummary summary = new dev.autoscaler.ShutdownSummary(action, destroyed, stopped,
                leftRunning, leftStopped, timedOut);
        if (action == dev.autoscaler.ShutdownAction.KEEP && !leftRunning.isEmpty()) {
            log.warn("{}: every instance is left as it is; {} keep running AND BILLING until the next start adopts "
                    + "them (shutdown: stop or destroy to release them)", summary.describe(), leftRunning.size());
        } else if (timedOut || !leftRunning.isEmpty()) {
            log.warn("{}", summary.describe());
        } else {
            log.info("{}", summary.describe());
        }
        return summary;
    }

    /** One round of a shutdown for one worker; true while something is still to do for it. */
    private boolean shutdownStep(WorkerRecord w, dev.autoscaler.ShutdownAction action) {
        if (ctx.actions().isInFlight(w.workerId())) {
            return true;
        }
        String provider = providerNameOf(w);
        if (action == dev.autoscaler.ShutdownAction.DESTROY || w.state() == dev.autoscaler.WorkerState.DESTROYING) {
            if (w.instanceId().isEmpty()) {
                return true; // still creating: destroyed once its instance is known
            }
            ctx.actions().destroy(w, provider, "shutdown: " + action.wireName());
            return ctx.store().worker(w.workerId()).isPresent();
        }
        if (w.state() == dev.autoscaler.WorkerState.STOPPED) {
            return false;
        }
        if (w.state() == dev.autoscaler.WorkerState.CREATING || w.instanceId().isEmpty()) {
            return true;
        }
        ctx.actions().stop(w, provider, "shutdown: stop");
        return ctx.store().worker(w.workerId()).map(x -> x.state() != dev.autoscaler.WorkerState.STOPPED).orElse(false);
    }

    /** Stops the ticks and syncs. Instances are left as they are: a restarted engine adopts them. */
    @Override
    public synchronized void close() {
        scheduled.forEach(TaskScheduler.Cancellable::cancel);
        scheduled.clear();
        started = false;
    }

    private EndpointController controller(String name) {
        EndpointController controller = controllers.get(name);
        if (controller == null) {
            throw new NotFoundException("no endpoint named '" + name + "'");
        }
        return controller;
    }

    private String providerNameOf(WorkerRecord worker) {
        return providerNameOf(worker.endpoint(), worker.group());
    }

    private String providerNameOf(String endpoint, String group) {
        EndpointController controller = controllers.getOrDefault(endpoint, retiring.get(endpoint));
        return controller == null ? ctx.defaultProviderName() : controller.providerOf(group);
    }

    private LoadTracker tracker(String endpoint) {
        EndpointController controller = controllers.get(endpoint);
        return controller == null ? new LoadTracker() : controller.tracker();
    }

    /** Configures an {@link Autoscaler}. */
    /** The router's hooks, on this engine's controllers and ledger. */
    private final class EngineRoutingHooks implements RoutingHooks {
        @Override
        public void recordRoutedRequest(String endpoint, double cost) {
            controller(endpoint).tracker().recordRouted(cost, ctx.clock().nanoTime());
            trafficTap.counted(endpoint, "", cost);
        }

        @Override
        public void recordSpillOver(String endpoint, String group, double cost) {
            controller(endpoint).spillTracker(group).recordRouted(cost, ctx.clock().nanoTime());
            trafficTap.counted(endpoint, group, cost);
        }

        @Override
        public boolean releaseRequest(long requestIdx) {
            return ledger.release(requestIdx).isPresent();
        }
    }

    public static final class Builder {
        private static final Pattern OWNER = Pattern.compile("^[A-Za-z0-9_-]+$");

        private Clock clock;
        private TaskScheduler scheduler;
        private final Map<String, InstanceProvider> providers = new LinkedHashMap<>();
        private StateStore store;
        private final List<AutoscalerListener> listeners = new ArrayList<>();
        private final List<EndpointConfig> endpoints = new ArrayList<>();
        private Duration tickInterval = Duration.ofSeconds(5);
        private Duration syncInterval = Duration.ofSeconds(60);
        private Duration maxListAge;
        private dev.autoscaler.OrphanPolicy orphanPolicy = dev.autoscaler.OrphanPolicy.DESTROY;
        private Duration orphanGrace = Duration.ofMinutes(10);
        private String publicUrl = "";
        private String owner = "autoscaler";
        private byte[] secret;
        private WorkerUrlCheck workerUrlCheck = WorkerUrlCheck.providerAddresses();
        private Executor executor;
        private RandomGenerator random;
        private TrafficTap trafficTap;
        private BiFunction<String, Settings, ScalingPolicy> policies;
        private java.util.OptionalDouble maxCostPerHour = java.util.OptionalDouble.empty();
        private double storagePriceFraction = 0.05;

        private Builder() {
        }

        /**
         * The time source (default: the system clock).
         *
         * @param clock the new value
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * The NAT switch for worker URLs. By default a worker's reported {@code url} must be
         * {@code http}/{@code https} and name the host and port its provider gives for the instance
         * (Vast: public IP and the host port mapped to the worker port; a static fleet: the configured
         * URL); otherwise the report is refused (400 naming {@code url}), a
         * {@link dev.autoscaler.AutoscalerEvent.WorkerReportRejected} is published and the worker is not
         * routed to. Where workers sit behind NAT and report an address the provider does not know, list
         * the hosts they may report instead ({@code host} for any port, {@code host:port} for one); the
         * provider's address is then not compared. Empty: back to the default.
         *
         * @throws InvalidConfigException (field {@code worker_url_hosts}) for an entry that is not a host or host:port
         */
        public Builder workerUrlHosts(java.util.Collection<String> hosts) {
            try {
                this.workerUrlCheck = WorkerUrlCheck.allowedHosts(List.copyOf(hosts));
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigException("worker_url_hosts", e.getMessage());
            }
            return this;
        }

        /** Where ticks and syncs are scheduled by {@link #start()}; without one, call {@link #tick()} yourself. */
        public Builder scheduler(TaskScheduler scheduler) {
            this.scheduler = scheduler;
            return this;
        }

        /**
         * The default instance provider, for groups that name none.
         *
         * @param provider the new value
         * @return this builder
         */
        public Builder provider(InstanceProvider provider) {
            return provider(DEFAULT_PROVIDER, provider);
        }

        /**
         * An instance provider that groups can name ({@code provider} in the group config).
         *
         * @param name the new value
         * @param provider the new value
         * @return this builder
         */
        public Builder provider(String name, InstanceProvider provider) {
            providers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(provider, "provider"));
            return this;
        }

        /**
         * Where workers and requests are kept (default: in memory).
         *
         * @param store the new value
         * @return this builder
         */
        public Builder stateStore(StateStore store) {
            this.store = store;
            return this;
        }

        /**
         * Adds a listener of the engine's events.
         *
         * @param listener called on the engine's thread
         * @return this builder
         */
        public Builder listener(AutoscalerListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Adds an endpoint to manage from the start.
         *
         * @param endpoint its config
         * @return this builder
         */
        public Builder endpoint(EndpointConfig endpoint) {
            endpoints.add(Objects.requireNonNull(endpoint, "endpoint"));
            return this;
        }

        /**
         * How often each endpoint's control loop runs (default 5 s).
         *
         * @param tickInterval the new value
         * @return this builder
         */
        public Builder tickInterval(Duration tickInterval) {
            this.tickInterval = positive("tickInterval", tickInterval);
            return this;
        }

        /**
         * How often the providers' lists are compared with the engine's workers (default 60 s).
         *
         * @param syncInterval the new value
         * @return this builder
         */
        public Builder syncInterval(Duration syncInterval) {
            this.syncInterval = positive("syncInterval", syncInterval);
            return this;
        }

        /**
         * Creates stop while the last successful list of their provider is older than this (default:
         * 3 x the sync interval): an engine that cannot list does not know what it would add to.
         */
        public Builder maxListAge(Duration maxListAge) {
            this.maxListAge = positive("maxListAge", maxListAge);
            return this;
        }

        /**
         * What to do with instances labelled by this engine's owner for an endpoint or group that is
         * not configured (default: destroy after 10 minutes; see {@link dev.autoscaler.OrphanPolicy}).
         * The grace period may be zero (act at the first sync).
         */
        public Builder orphans(dev.autoscaler.OrphanPolicy policy, Duration grace) {
            this.orphanPolicy = Objects.requireNonNull(policy, "policy");
            if (grace == null || grace.isNegative()) {
                throw new IllegalArgumentException("orphan grace must be >= 0, got " + grace);
            }
            this.orphanGrace = grace;
            return this;
        }

        /** The engine's public base URL, given to workers as {@code REPORT_ADDR}. */
        public Builder publicUrl(String publicUrl) {
            this.publicUrl = Objects.requireNonNull(publicUrl, "publicUrl");
            return this;
        }

        /**
         * The first part of every instance label (default {@code autoscaler}). Two engines sharing a
         * provider account must have different owners: each leaves the other's instances alone.
         *
         * @param owner the new value
         * @return this builder
         */
        public Builder owner(String owner) {
            if (owner == null || !OWNER.matcher(owner).matches()) {
                throw new IllegalArgumentException("owner must match ^[A-Za-z0-9_-]+$, got '" + owner + "'");
            }
            this.owner = owner;
            return this;
        }

        /**
         * The secret workers' mtokens are derived from (at least 16 bytes). Keep it across restarts so
         * that re-adopted workers can still authenticate their reports; default: random per process.
         *
         * @param secret the new value
         * @return this builder
         */
        public Builder secret(byte[] secret) {
            if (secret == null || secret.length < 16) {
                throw new IllegalArgumentException("secret must have at least 16 bytes");
            }
            this.secret = secret.clone();
            return this;
        }

        /**
         * Where provider calls run (default: on the calling thread, which suits tests and simulation).
         *
         * @param executor the new value
         * @return this builder
         */
        public Builder providerExecutor(Executor executor) {
            this.executor = executor;
            return this;
        }

        /**
         * The random source for worker ids and backoff jitter (seed it for reproducible runs).
         *
         * @param random the new value
         * @return this builder
         */
        public Builder random(RandomGenerator random) {
            this.random = random;
            return this;
        }

        /**
         * Sees the traffic this engine's router counts, for a host that shares it with other engines
         * on the same store ({@link Autoscaler#countTraffic}); none by default.
         *
         * @param tap the new value
         * @return this builder
         */
        public Builder trafficTap(TrafficTap tap) {
            this.trafficTap = Objects.requireNonNull(tap, "tap");
            return this;
        }

        /**
         * How policy names are resolved (default: {@link ScalingPolicies#load()}, the {@link ScalingPolicyProvider}s on the class path).
         *
         * @param policies the new value
         * @return this builder
         */
        public Builder policies(BiFunction<String, Settings, ScalingPolicy> policies) {
            this.policies = policies;
            return this;
        }

        /**
         * The engine's spend cap: the $/h of every instance it owns, in every state but destroyed
         * (stopped ones at their storage price, see {@link #storagePriceFraction}), never exceeds it; a
         * create or resume that would cross it is not made, and published as
         * {@link dev.autoscaler.AutoscalerEvent.SpendCapped}. An instance whose price is not known yet counts
         * at its group's {@code max_price_per_hour}; a group without one creates nothing under this cap.
         * Default: none. Each endpoint may have its own too ({@code max_cost_per_hour}).
         *
         * @param dollarsPerHour the cap, $/h, positive
         * @return this builder
         */
        public Builder maxCostPerHour(double dollarsPerHour) {
            if (!(dollarsPerHour > 0) || Double.isInfinite(dollarsPerHour)) {
                throw new IllegalArgumentException("max_cost_per_hour must be positive, got " + dollarsPerHour);
            }
            this.maxCostPerHour = java.util.OptionalDouble.of(dollarsPerHour);
            return this;
        }

        /**
         * The share of its price a stopped instance costs (its disk), for the spend caps (default 0.05).
         *
         * @param fraction in [0, 1]
         * @return this builder
         */
        public Builder storagePriceFraction(double fraction) {
            if (!(fraction >= 0 && fraction <= 1)) {
                throw new IllegalArgumentException("storage_price_fraction must be in [0, 1], got " + fraction);
            }
            this.storagePriceFraction = fraction;
            return this;
        }

        /**
         * The engine, not started yet (see {@link Autoscaler#start()}).
         *
         * @return a new engine
         */
        public Autoscaler build() {
            return new Autoscaler(this);
        }

        private static Duration positive(String name, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, got " + d);
            }
            return d;
        }
    }

}
