package dev.autoscaler.core.engine.internal;

import dev.autoscaler.AutoscalerEvent;
import dev.autoscaler.Clock;
import dev.autoscaler.EndpointConfig;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import dev.autoscaler.spi.StateStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The spend caps: {@code max_cost_per_hour} of an endpoint and of the whole engine. The $/h of the
 * instances they cover never exceeds them: every create and resume is admitted here first, against
 * the store as it is at that moment, and made under the same lock, so that two endpoints' ticks
 * cannot both take the last dollar.
 *
 * <p>What an instance costs ({@link #costPerHour}): its price as the provider reported it, in every
 * state but destroyed (a create in flight, a boot, a stop in flight and a destroy in flight are all
 * billed), at the storage share ({@code storagePriceFraction}) while stopped. A price the provider did
 * not report (an instance still being created) counts at its group's {@code max_price_per_hour}: the
 * provider rents nothing above it, so the bound holds whatever instance comes back.
 *
 * <p>Only creates and resumes are admitted: a cap lowered below what runs, or a fleet adopted after
 * a restart, is not cut by destroying instances (that would fail what they serve); nothing new starts
 * until the cost is back under the cap. With no cap set this class only runs the action: behaviour is
 * unchanged.
 */
public final class SpendCaps {
    private final StateStore store;
    private final Clock clock;
    private final EventPublisher events;
    private final OptionalDouble engineCap;
    private final double storagePriceFraction;
    /** An endpoint's current config, for its groups' price bounds; empty once it is gone. */
    private final Function<String, Optional<EndpointConfig>> configs;
    /** Whether a worker being destroyed was stopped: its instance is still billed at the storage price. */
    private final java.util.function.Predicate<String> destroyedWhileStopped;
    /** Per endpoint: the last cut, as the dashboard shows it. */
    private final Map<String, String> lastCut = new ConcurrentHashMap<>();

    public SpendCaps(StateStore store, Clock clock, EventPublisher events, OptionalDouble engineCap,
                     double storagePriceFraction, Function<String, Optional<EndpointConfig>> configs,
                     java.util.function.Predicate<String> destroyedWhileStopped) {
        this.destroyedWhileStopped = destroyedWhileStopped;
        this.store = store;
        this.clock = clock;
        this.events = events;
        this.engineCap = engineCap;
        this.storagePriceFraction = storagePriceFraction;
        this.configs = configs;
    }

    /** {@return the engine's cap, $/h; empty when it has none} */
    public OptionalDouble engineCap() {
        return engineCap;
    }

    /** {@return the share of its price a stopped instance costs (its storage)} */
    public double storagePriceFraction() {
        return storagePriceFraction;
    }

    /**
     * What one instance costs now, $/h.
     *
     * @param groupMaxPrice  its group's {@code max_price_per_hour}, for a price not reported yet
     * @param stoppedInstance its instance is stopped though the worker's state does not say so (a
     *                        destroy of a stopped worker in flight)
     */
    public static double costPerHour(WorkerRecord w, OptionalDouble groupMaxPrice, double storagePriceFraction,
                                     boolean stoppedInstance) {
        if (w.state() == WorkerState.DESTROYED) {
            return 0;
        }
        double reported = w.pricePerHour();
        double price = reported > 0 && Double.isFinite(reported) ? reported : groupMaxPrice.orElse(0);
        return w.state() == WorkerState.STOPPED || stoppedInstance ? price * storagePriceFraction : price;
    }

    /** {@return what an endpoint's instances cost now, $/h} */
    public double endpointCost(String endpoint) {
        // a create whose answer was lost keeps its worker CREATING until a list settles it
        // (ProviderActions), so it counts here at its group's bound like any other
        return cost(store.workers(endpoint));
    }

    /** {@return what every instance the engine owns costs now, $/h} */
    public double engineCost() {
        return cost(store.allWorkers());
    }

    /** {@return the last cut a cap made at this endpoint, for the dashboard; empty if none} */
    public Optional<String> lastCut(String endpoint) {
        return Optional.ofNullable(lastCut.get(endpoint));
    }

    private double cost(List<WorkerRecord> workers) {
        double sum = 0;
        for (WorkerRecord w : workers) {
            sum += costPerHour(w, maxPrice(w), storagePriceFraction,
                    w.state() == WorkerState.DESTROYING && destroyedWhileStopped.test(w.workerId()));
        }
        return sum;
    }

    private OptionalDouble maxPrice(WorkerRecord w) {
        return configs.apply(w.endpoint()).flatMap(c -> c.group(w.group()))
                .map(WorkerGroupConfig::maxPricePerHour).orElse(OptionalDouble.empty());
    }

    /**
     * Makes a create (when {@code resuming} is null) or a resume if the caps leave room for it.
     *
     * @param action the provider action; runs under the lock, and must put the worker's new state in
     *               the store before it returns (as {@link ProviderActions} does)
     * @return null when it was made; otherwise why not (a cap would be crossed)
     */
    synchronized String admit(EndpointConfig config, WorkerGroupConfig group, WorkerRecord resuming, Runnable action) {
        OptionalDouble endpointCap = config.maxCostPerHour();
        if (endpointCap.isEmpty() && engineCap.isEmpty()) {
            action.run();
            return null;
        }
        double added;
        if (resuming == null) {
            if (group.maxPricePerHour().isEmpty()) {
                return "group " + group.name() + " has no max_price_per_hour: a new instance's price is unknown, and "
                        + "a max_cost_per_hour cannot bound it";
            }
            added = group.maxPricePerHour().getAsDouble();
        } else {
            double full = costPerHour(resuming.toBuilder().state(WorkerState.STARTING).build(),
                    group.maxPricePerHour(), storagePriceFraction, false);
            added = full - costPerHour(resuming, group.maxPricePerHour(), storagePriceFraction, false);
        }
        if (endpointCap.isPresent()) {
            double now = endpointCost(config.name());
            if (now + added > endpointCap.getAsDouble() + 1e-9) {
                return String.format(java.util.Locale.ROOT,
                        "endpoint max_cost_per_hour %.4f $/h: its instances cost %.4f $/h, one more %s adds %.4f",
                        endpointCap.getAsDouble(), now, resuming == null ? "create" : "resume", added);
            }
        }
        if (engineCap.isPresent()) {
            double now = engineCost();
            if (now + added > engineCap.getAsDouble() + 1e-9) {
                return String.format(java.util.Locale.ROOT,
                        "engine max_cost_per_hour %.4f $/h: its instances cost %.4f $/h, one more %s adds %.4f",
                        engineCap.getAsDouble(), now, resuming == null ? "create" : "resume", added);
            }
        }
        action.run();
        return null;
    }

    /** Publishes that a cap cut {@code cut} creates or resumes of a group in one tick. */
    void publishCut(EndpointConfig config, WorkerGroupConfig group, int cut, String firstReason) {
        boolean engineBound = firstReason.startsWith("engine") || firstReason.startsWith("group");
        double cap = engineBound ? engineCap.orElse(Double.NaN) : config.maxCostPerHour().orElse(Double.NaN);
        double cost = engineBound ? engineCost() : endpointCost(config.name());
        String reason = "spend cap: " + cut + " create(s)/resume(s) of group " + group.name() + " cut (" + firstReason + ")";
        lastCut.put(config.name(), clock.now() + " " + reason);
        events.publish(new AutoscalerEvent.SpendCapped(clock.now(), config.name(), group.name(),
                engineBound ? "engine" : "endpoint", cap, cost, cut, reason));
    }
}
