package dev.autoscaler.sim;

import dev.autoscaler.AuthenticationException;
import dev.autoscaler.Clock;
import dev.autoscaler.LoadReport;
import dev.autoscaler.ProviderException;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.spi.CreateInstanceRequest;
import dev.autoscaler.spi.Instance;
import dev.autoscaler.spi.InstanceProvider;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * An {@link InstanceProvider} over a simulated GPU market ({@link WorldModel}): instances boot,
 * serve, report, fail and bill on simulated time. Provider calls take effect at once and only
 * schedule what follows (boots, reports) on the {@link EventQueue}; the worker inside each instance
 * reports through the sink given to {@link #reportTo} with the {@code MASTER_TOKEN} of its create
 * request and its instance id, as a real worker posts {@code /worker_status/}.
 *
 * <p>{@link Simulation} drives it. To drive it yourself (e.g. one made by the {@code simulated}
 * {@link SimulatedProviderFactory}), call {@link #reportTo} with the engine's
 * {@code Autoscaler::report}, then {@link #runDue()} whenever the clock has moved.
 *
 * <p>Renting picks the offer with the best perf per dollar among those the group allows: its
 * {@code max_price_per_hour}, and a {@code gpu_name=NAME} term in its {@code search_params}
 * ({@code _} for a space), the only search term this market knows. Not thread safe: one simulation
 * thread drives it.
 */
public final class SimulatedProvider implements InstanceProvider {
    private final WorldModel world;
    private final Clock clock;
    private final EventQueue events;
    private final SplittableRandom random;
    private final Map<String, SimulatedInstance> live = new LinkedHashMap<>();
    private final Map<String, SimulatedInstance> byUrl = new HashMap<>();
    private final Map<String, Integer> liveByEndpoint = new HashMap<>();
    private final List<SimulatedInstance> retired = new ArrayList<>();
    private Consumer<LoadReport> reportSink = r -> { };
    private SimWorldListener listener = SimWorldListener.NONE;
    private long nextId = 1;
    private int stuck;
    private int stalls;
    private double peakCostPerHour;

    /**
     * @param world  the market and the workers' behaviour
     * @param clock  the simulation's clock
     * @param events where boots, reports and completions are scheduled
     * @param seed   the seed of every random draw the world makes
     */
    public SimulatedProvider(WorldModel world, Clock clock, EventQueue events, long seed) {
        this.world = Objects.requireNonNull(world, "world");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.events = Objects.requireNonNull(events, "events");
        this.random = new SplittableRandom(seed);
    }

    /** Where the workers' reports go, e.g. {@code autoscaler::report}. */
    public void reportTo(Consumer<LoadReport> sink) {
        this.reportSink = Objects.requireNonNull(sink, "sink");
    }

    /** Runs the events due at or before the clock's current time. */
    public void runDue() {
        long now = clock.nanoTime();
        while (events.nextNanos() <= now) {
            events.runNext();
        }
    }

    public WorldModel world() {
        return world;
    }

    // ---- InstanceProvider ----

    @Override
    public Instance create(CreateInstanceRequest request) {
        String mtoken = request.env().get("MASTER_TOKEN");
        if (mtoken == null || mtoken.isEmpty()) {
            throw new ProviderException(ProviderException.Kind.INVALID, "env MASTER_TOKEN is required");
        }
        GpuOffer offer = bestOffer(request.group());
        long id = nextId++;
        String url = "http://sim-" + id + ".invalid:" + request.group().workerPort();
        SimulatedInstance instance = new SimulatedInstance(id, request.label(), request.endpoint(), mtoken, url, offer,
                world, this, random.split());
        long now = clock.nanoTime();
        live.put(instance.idString, instance);
        byUrl.put(url, instance);
        if (instance.stuck()) {
            stuck++;
        }
        instance.created(now);
        countChanged(instance.endpoint, +1, now);
        return instance.toInstance();
    }

    @Override
    public void start(String instanceId) {
        SimulatedInstance instance = require(instanceId);
        if (instance.phase() == SimulatedInstance.Phase.STOPPED) {
            instance.start(clock.nanoTime());
            if (instance.phase() == SimulatedInstance.Phase.STALLED) {
                stalls++;
            }
        }
    }

    @Override
    public void stop(String instanceId) {
        require(instanceId).stop(clock.nanoTime());
    }

    @Override
    public void reboot(String instanceId) {
        SimulatedInstance instance = require(instanceId);
        if (instance.phase() == SimulatedInstance.Phase.STOPPED || instance.phase() == SimulatedInstance.Phase.STALLED) {
            throw new ProviderException(ProviderException.Kind.INVALID, "instance " + instanceId + " is not running");
        }
        instance.reboot(clock.nanoTime());
    }

    @Override
    public void destroy(String instanceId) {
        SimulatedInstance instance = live.remove(instanceId);
        if (instance == null) {
            return; // already gone: that is success
        }
        long now = clock.nanoTime();
        instance.destroy(now);
        byUrl.remove(instance.url);
        retired.add(instance);
        countChanged(instance.endpoint, -1, now);
    }

    @Override
    public List<Instance> list() {
        List<Instance> out = new ArrayList<>(live.size());
        for (SimulatedInstance instance : live.values()) {
            out.add(instance.toInstance());
        }
        return out;
    }

    // ---- what the simulation reads ----

    /** The live instance behind a worker URL, or null. */
    SimulatedInstance instanceAt(String url) {
        return byUrl.get(url);
    }

    /** {@return money spent so far, $: full price while loading or running, the storage share while stopped} */
    public double costUsd() {
        long now = clock.nanoTime();
        double sum = 0;
        for (SimulatedInstance i : retired) {
            sum += i.costUsd(now);
        }
        for (SimulatedInstance i : live.values()) {
            sum += i.costUsd(now);
        }
        return sum;
    }

    /** {@return hours billed at the full (GPU) price so far} */
    public double gpuHours() {
        long now = clock.nanoTime();
        double sum = 0;
        for (SimulatedInstance i : retired) {
            sum += i.fullHours(now);
        }
        for (SimulatedInstance i : live.values()) {
            sum += i.fullHours(now);
        }
        return sum;
    }

    /** Of those, how many were doomed to stay loading. */
    public int stuckCount() {
        return stuck;
    }

    /** Of those, how many stalled waiting for their GPU. */
    public int stallCount() {
        return stalls;
    }

    // ---- plumbing for the instances ----

    EventQueue events() {
        return events;
    }

    SimWorldListener listener() {
        return listener;
    }

    void listener(SimWorldListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    void deliverReport(LoadReport report, SimulatedInstance from) {
        try {
            reportSink.accept(report);
        } catch (AuthenticationException e) {
            // a worker the engine no longer knows (or a wrong mtoken): refused, as over HTTP with a 401
        }
    }

    /** An instance's billing rate may have changed (it was rented, changed phase, or is gone): the peak follows. */
    void rateChanged() {
        peakCostPerHour = Math.max(peakCostPerHour, costPerHourNow());
    }

    /** {@return what the live instances are billed per hour now, $/h} */
    public double costPerHourNow() {
        double sum = 0;
        for (SimulatedInstance i : live.values()) {
            sum += i.costPerHourNow();
        }
        return sum;
    }

    /** {@return the most the live instances were billed per hour at any instant, $/h} */
    public double peakCostPerHour() {
        return peakCostPerHour;
    }

    private void countChanged(String endpoint, int delta, long now) {
        rateChanged();
        int count = liveByEndpoint.merge(endpoint, delta, Integer::sum);
        listener.instancesChanged(endpoint, count, now);
    }

    private SimulatedInstance require(String instanceId) {
        SimulatedInstance instance = live.get(instanceId);
        if (instance == null) {
            throw new ProviderException(ProviderException.Kind.NOT_FOUND, "no instance " + instanceId);
        }
        return instance;
    }

    private GpuOffer bestOffer(WorkerGroupConfig group) {
        String gpuName = gpuNameFilter(group.searchParams());
        OptionalDouble maxPrice = group.maxPricePerHour();
        GpuOffer best = null;
        for (GpuOffer offer : world.offers()) {
            if (gpuName != null && !offer.gpuName().equalsIgnoreCase(gpuName)) {
                continue;
            }
            if (maxPrice.isPresent() && offer.pricePerHour() > maxPrice.getAsDouble()) {
                continue;
            }
            if (best == null || offer.perfPerDollar() > best.perfPerDollar()) {
                best = offer;
            }
        }
        if (best == null) {
            throw new ProviderException(ProviderException.Kind.NO_OFFER, "no simulated offer matches group "
                    + group.name() + " (search '" + group.searchParams() + "', max price "
                    + (maxPrice.isPresent() ? maxPrice.getAsDouble() : "none") + ")");
        }
        return best;
    }

    static String gpuNameFilter(String searchParams) {
        for (String term : searchParams.trim().split("\\s+")) {
            int eq = term.indexOf('=');
            if (eq > 0 && term.substring(0, eq).toLowerCase(Locale.ROOT).equals("gpu_name")) {
                return term.substring(eq + 1).replace('_', ' ');
            }
        }
        return null;
    }
}
