package dev.autoscaler.core;

import dev.autoscaler.AlreadyExistsException;
import dev.autoscaler.EndpointConfig;
import dev.autoscaler.InvalidConfigException;
import dev.autoscaler.NotFoundException;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.spi.EndpointConfigStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Changes a running engine's endpoints and worker groups, group by group. Each change is an atomic
 * {@link Autoscaler#updateEndpoint} of the endpoint's whole configuration, validated like any other,
 * and takes effect at the next control tick (the router sees it at once):
 * <ul>
 *   <li>a new group is scaled by the policy like the others;</li>
 *   <li>a removed group takes no new requests; its workers are drained (a busy one is left alone
 *       until it is idle) and then destroyed, so that nothing is left billing;</li>
 *   <li>a weight change shifts the share of new requests at once;</li>
 *   <li>a template change rolls the group's workers over to the new template without downtime:
 *       stopped workers are replaced first, then each serving worker only once a current one has
 *       taken its place, drained of its work before it is destroyed; {@link #rollout} tells how far
 *       it is.</li>
 * </ul>
 *
 * <p>With an {@link EndpointConfigStore}, every accepted change saves the whole endpoint set before
 * the method returns, so that a restart finds it (the admin API answers only after that). Changes
 * run one at a time, so that the saved set is always the latest one.
 */
public final class AutoscalerAdmin {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(AutoscalerAdmin.class);
    private final Autoscaler engine;
    private final EndpointConfigStore store;

    /**
     * An admin whose changes live as long as the engine does.
     *
     * @param engine the engine to change
     */
    public AutoscalerAdmin(Autoscaler engine) {
        this(engine, null);
    }

    /**
     * An admin that saves the endpoint set to {@code store} after every change.
     *
     * @param store where to save; null: nothing is saved
     */
    public AutoscalerAdmin(Autoscaler engine, EndpointConfigStore store) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.store = store;
    }

    /**
     * Runs one change and saves the endpoint set after it. A change that fails saves nothing; a save
     * that fails throws (the change is applied in memory but would not survive a restart).
     */
    private synchronized <T> T saved(Supplier<T> change) {
        if (store == null) {
            return change.get();
        }
        return store.exclusively(() -> {
            if (store.shared()) {
                // another replica may have saved a change this engine has not followed yet: start from
                // it, or this save of the whole set would undo that change
                store.load().ifPresent(latest -> follow(engine, latest));
            }
            T result = change.get();
            store.save(engine.endpointNames().stream().map(engine::endpoint).toList());
            return result;
        });
    }

    /**
     * Brings {@code engine} to a saved endpoint set: endpoints added or changed there are put, endpoints
     * not there are removed; an endpoint equal to the saved one (compared as stored) is left alone.
     * For replicas that follow what another replica's admin API saved.
     *
     * @param engine the engine to change
     * @param saved  the endpoint set as saved
     */
    public static void follow(Autoscaler engine, List<EndpointConfig> saved) {
        java.util.Map<String, EndpointConfig> wanted = new java.util.LinkedHashMap<>();
        saved.forEach(e -> wanted.put(e.name(), e));
        for (EndpointConfig e : wanted.values()) {
            EndpointConfig have;
            try {
                have = engine.endpoint(e.name());
            } catch (NotFoundException absent) {
                have = null;
            }
            // compared as stored, so that a round trip through the store is not a change
            if (have == null || !dev.autoscaler.core.json.EndpointConfigJson.toStoredJson(have)
                    .equals(dev.autoscaler.core.json.EndpointConfigJson.toStoredJson(e))) {
                log.info("endpoint {} {} as saved by another replica's admin API", e.name(), have == null ? "added" : "changed");
                engine.putEndpoint(e);
            }
        }
        for (String name : engine.endpointNames()) {
            if (!wanted.containsKey(name)) {
                log.info("endpoint {} removed as saved by another replica's admin API", name);
                engine.removeEndpoint(name);
            }
        }
    }

    /**
     * The engine this administers.
     *
     * @return the engine
     */
    public Autoscaler engine() {
        return engine;
    }

    /** Adds an endpoint; {@link AlreadyExistsException} when its name is taken. */
    public void createEndpoint(EndpointConfig config) {
        saved(() -> {
            engine.createEndpoint(config);
            return null;
        });
    }

    /** Replaces an existing endpoint's whole configuration; {@link NotFoundException} when it does not exist. */
    public EndpointConfig replaceEndpoint(EndpointConfig config) {
        return saved(() -> engine.updateEndpoint(config.name(), current -> config));
    }

    /** Removes an endpoint: see {@link Autoscaler#removeEndpoint}. */
    public void removeEndpoint(String endpoint) {
        saved(() -> {
            engine.removeEndpoint(endpoint);
            return null;
        });
    }

    /** Adds a group that the endpoint does not have yet; {@link AlreadyExistsException} when it does. */
    public EndpointConfig createGroup(String endpoint, WorkerGroupConfig group) {
        return saved(() -> engine.updateEndpoint(endpoint, current -> {
            if (current.group(group.name()).isPresent()) {
                throw new AlreadyExistsException("endpoint '" + endpoint + "' already has a group '" + group.name() + "'");
            }
            List<WorkerGroupConfig> groups = new ArrayList<>(current.groups());
            groups.add(group);
            return current.toBuilder().groups(groups).build();
        }));
    }

    /** Adds a group, or replaces the group of that name in place (keeping its position). */
    public EndpointConfig putGroup(String endpoint, WorkerGroupConfig group) {
        return saved(() -> engine.updateEndpoint(endpoint, current -> withGroup(current, group, true)));
    }

    /** Replaces an existing group; {@link NotFoundException} when the endpoint has no such group. */
    public EndpointConfig replaceGroup(String endpoint, WorkerGroupConfig group) {
        return saved(() -> engine.updateEndpoint(endpoint, current -> withGroup(current, group, false)));
    }

    /**
     * Removes a group: no new requests reach its workers, which are drained and then destroyed.
     *
     * @throws NotFoundException when the endpoint or the group does not exist
     * @throws InvalidConfigException ({@code group_name}) for the endpoint's last group: remove the endpoint instead
     */
    public EndpointConfig removeGroup(String endpoint, String group) {
        return saved(() -> engine.updateEndpoint(endpoint, current -> {
            requireGroup(current, group);
            if (current.groups().size() == 1) {
                throw new InvalidConfigException("group_name", "'" + group + "' is the last group of endpoint '"
                        + endpoint + "'; remove the endpoint instead");
            }
            List<WorkerGroupConfig> groups = current.groups().stream().filter(g -> !g.name().equals(group)).toList();
            return current.toBuilder().groups(groups).build();
        }));
    }

    /** Sets a group's routing weight ({@code weight}, >= 0); new requests follow it at once. */
    public EndpointConfig setWeight(String endpoint, String group, double weight) {
        return saved(() -> engine.updateEndpoint(endpoint, current -> withGroup(current,
                requireGroup(current, group).toBuilder().weight(weight).build(), false)));
    }

    /**
     * A group's rolling-update progress.
     *
     * @throws NotFoundException when the endpoint or the group does not exist
     */
    public dev.autoscaler.RolloutStatus rollout(String endpoint, String group) {
        requireGroup(engine.endpoint(endpoint), group);
        return engine.rollout(endpoint).stream().filter(r -> r.group().equals(group)).findFirst()
                .orElseThrow(() -> new NotFoundException("endpoint '" + endpoint + "' has no group named '" + group + "'"));
    }

    private static EndpointConfig withGroup(EndpointConfig current, WorkerGroupConfig group, boolean addIfMissing) {
        List<WorkerGroupConfig> groups = new ArrayList<>(current.groups());
        boolean replaced = false;
        for (int i = 0; i < groups.size(); i++) {
            if (groups.get(i).name().equals(group.name())) {
                groups.set(i, group);
                replaced = true;
            }
        }
        if (!replaced) {
            if (!addIfMissing) {
                requireGroup(current, group.name());
            }
            groups.add(group);
        }
        return current.toBuilder().groups(groups).build();
    }

    private static WorkerGroupConfig requireGroup(EndpointConfig endpoint, String group) {
        return endpoint.group(group).orElseThrow(() ->
                new NotFoundException("endpoint '" + endpoint.name() + "' has no group named '" + group + "'"));
    }
}
