package dev.autoscaler.core.engine.internal;

import dev.autoscaler.AutoscalerEvent;
import dev.autoscaler.EndpointConfig;
import dev.autoscaler.InstanceAction;
import dev.autoscaler.ProviderException;
import dev.autoscaler.StaleStateException;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.WorkerIntent;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import dev.autoscaler.spi.Instance;
import dev.autoscaler.spi.InstanceProvider;
import dev.autoscaler.spi.InstanceStatus;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares what a provider lists with what the engine knows, at start (adoption) and then
 * periodically:
 * <ul>
 *   <li>an instance with our owner's label and no worker is adopted (after a restart, or after a
 *       create whose answer was lost), its mtoken derived again from its label;</li>
 *   <li>an instance whose label names a worker still creating binds that worker; a worker whose
 *       create's outcome was unknown and whose label this list (taken after the failure) does not
 *       show is dropped, to be replaced ({@link ProviderActions#resolveUnknownCreates});</li>
 *   <li>a second instance with the label of a worker that already has one is a duplicate: destroyed;</li>
 *   <li>an instance the provider reports failed is destroyed; a worker whose instance is no longer
 *       listed is dropped; both are then replaced by the reconciler;</li>
 *   <li>an unlabelled or foreign instance is never touched;</li>
 *   <li>one of ours for an endpoint or group that is not configured here is an orphan: shown, then
 *       after a grace period destroyed, stopped or kept as the {@link dev.autoscaler.OrphanPolicy}
 *       says ({@link Orphans}).</li>
 * </ul>
 */
public final class ProviderSync {
    private static final Logger log = LoggerFactory.getLogger(ProviderSync.class);

    private final EngineContext ctx;
    private final Function<String, InstanceProvider> providers;
    private final Set<String> warnedUnknown = new HashSet<>();
    private final Orphans orphans;
    /** Declared, unlabelled instances with their own token, by instance id (a static fleet's free workers). */
    private final Map<String, Standby> standby = new java.util.concurrent.ConcurrentHashMap<>();

    public ProviderSync(EngineContext ctx, Function<String, InstanceProvider> providers,
                        dev.autoscaler.OrphanPolicy orphanPolicy, java.time.Duration orphanGrace) {
        this.ctx = ctx;
        this.providers = providers;
        this.orphans = new Orphans(ctx, orphanPolicy, orphanGrace);
    }

    /** What one sync saw: the providers in use, those whose list succeeded, and the first error. */
    public record Result(Set<String> providers, Set<String> succeeded, long startedAtNanos, String error) {
        public boolean complete() {
            return succeeded.containsAll(providers);
        }
    }

    /** The providers the configured endpoints use (the default one always). */
    public Set<String> providersInUse(Map<String, EndpointConfig> endpoints) {
        Set<String> providerNames = new HashSet<>();
        providerNames.add(ctx.defaultProviderName());
        for (EndpointConfig e : endpoints.values()) {
            for (WorkerGroupConfig g : e.groups()) {
                providerNames.add(ctx.providerFor(g));
            }
        }
        return providerNames;
    }

    /** Syncs every provider that the configured endpoints use. Never throws. */
    public Result sync(Map<String, EndpointConfig> endpoints) {
        long startedAt = ctx.clock().nanoTime();
        Set<String> providerNames = providersInUse(endpoints);
        Set<String> succeeded = new HashSet<>();
        String error = null;
        for (String name : providerNames) {
            try {
                syncProvider(name, endpoints);
                succeeded.add(name);
            } catch (ProviderException e) {
                log.warn("listing instances of provider {} failed: {}; retried with backoff", name, e.getMessage());
                ctx.events().publish(new AutoscalerEvent.ProviderFailed(ctx.clock().now(), "", "", "", null, e));
                error = error != null ? error : name + ": " + e.getMessage();
            } catch (RuntimeException e) {
                log.error("sync with provider {} failed unexpectedly", name, e);
                error = error != null ? error : name + ": " + e;
            }
        }
        return new Result(Set.copyOf(providerNames), Set.copyOf(succeeded), startedAt, error == null ? "" : error);
    }

    private void syncProvider(String providerName, Map<String, EndpointConfig> endpoints) {
        long listedAt = ctx.clock().nanoTime();
        List<Instance> instances = providers.apply(providerName).list();
        if (instances == null) {
            throw new ProviderException(ProviderException.Kind.OTHER, "provider " + providerName
                    + " answered its list with nothing: taken as a failed list, not as an empty account");
        }
        Set<String> listed = new HashSet<>();
        standby.values().removeIf(s -> s.provider().equals(providerName));
        for (Instance instance : instances) {
            listed.add(instance.id());
            Optional<WorkerLabel> label = WorkerLabel.parse(instance.label()).filter(l -> l.owner().equals(ctx.owner()));
            if (label.isEmpty()) {
                if (instance.label().isEmpty() && instance.hasOwnMtoken()) {
                    standby.put(instance.id(), new Standby(providerName, instance.mtoken()));
                }
                continue; // unlabelled or foreign: not ours to touch
            }
            EndpointConfig endpoint = endpoints.get(label.get().endpoint());
            Optional<WorkerGroupConfig> group = endpoint == null ? Optional.empty() : endpoint.group(label.get().group());
            if (group.isEmpty() && ctx.store().workerByInstanceId(instance.id()).isEmpty()) {
                orphans.seen(providerName, instance, label.get());
                continue;
            }
            if (group.isEmpty() || !ctx.providerFor(group.get()).equals(providerName)) {
                if (warnedUnknown.add(instance.id())) {
                    log.warn("instance {} is labelled {} but that endpoint/group is not configured here; left alone",
                            instance.id(), instance.label());
                }
                continue;
            }
            reconcileInstance(providerName, instance, label.get(), group.get());
        }
        dropVanished(providerName, endpoints, listed, listedAt);
        ctx.actions().resolveUnknownCreates(providerName, listedAt, w -> providerOf(w, endpoints));
        orphans.resolve(providerName, listed, providers.apply(providerName));
    }

    /**
     * A declared worker of a fixed fleet that no group uses yet (listed unlabelled, with its own
     * token), when {@code mtoken} is its token: its reports are accepted (and change nothing) instead
     * of being refused until a tick hands it out.
     */
    public Optional<WorkerRecord> standbyWorker(long instanceId, String mtoken) {
        String id = Long.toString(instanceId);
        Standby s = standby.get(id);
        if (s == null || !MtokenMinter.matches(s.mtoken(), mtoken)) {
            return Optional.empty();
        }
        return Optional.of(WorkerRecord.builder("standby-" + id, "", "", "", s.mtoken()).instanceId(id)
                .state(WorkerState.STOPPED).build());
    }

    private record Standby(String provider, String mtoken) {
    }

    /** The orphans the last syncs saw and have not resolved yet. */
    public List<dev.autoscaler.OrphanInstance> orphans() {
        return orphans.list();
    }

    private void reconcileInstance(String providerName, Instance instance, WorkerLabel label, WorkerGroupConfig group) {
        Optional<WorkerRecord> byInstance = ctx.store().workerByInstanceId(instance.id());
        if (byInstance.isPresent()) {
            if (instance.status() == InstanceStatus.FAILED && byInstance.get().state() != WorkerState.DESTROYING
                    && !ctx.actions().isInFlight(byInstance.get().workerId())) {
                ctx.actions().destroy(byInstance.get(), providerName, "provider reports the instance failed");
            }
            return;
        }
        Optional<WorkerRecord> byLabel = ctx.store().worker(label.uid());
        if (byLabel.isPresent()) {
            WorkerRecord w = byLabel.get();
            if (w.state() == WorkerState.CREATING && w.instanceId().isEmpty()) {
                bind(w, instance);
            } else {
                log.warn("instance {} duplicates worker {} (instance {}); destroying the duplicate", instance.id(),
                        w.workerId(), w.instanceId());
                destroyUnrecorded(providerName, instance, label, "duplicate of worker " + w.workerId());
            }
            return;
        }
        adopt(providerName, instance, label, group);
    }

    private void bind(WorkerRecord w, Instance instance) {
        long now = ctx.clock().nanoTime();
        ctx.store().updateWorkerIf(w.workerId(), current -> current.state() == WorkerState.CREATING,
                        current -> fromInstance(current.toBuilder(), instance).state(WorkerState.LOADING)
                                .stateSinceNanos(now).build())
                .ifApplied()
                .ifPresent(bound -> ctx.actions().publishState(bound, WorkerState.CREATING, WorkerState.LOADING,
                        "found instance " + instance.id() + " by its label"));
    }

    /**
     * Adopts an instance with the template revision its label carries; one labelled before revisions
     * existed is taken to run its group's current template, so that an upgrade alone replaces nothing.
     */
    private void adopt(String providerName, Instance instance, WorkerLabel label, WorkerGroupConfig group) {
        long now = ctx.clock().nanoTime();
        WorkerState state = switch (instance.status()) {
            case STOPPED -> WorkerState.STOPPED;
            case FAILED -> WorkerState.DESTROYING;
            default -> WorkerState.LOADING; // ready again once it reports max_perf
        };
        WorkerRecord record = fromInstance(WorkerRecord.builder(label.uid(), label.endpoint(), label.group(),
                        label.toString(), ctx.minter().mint(label.toString())), instance)
                .state(state).intent(state == WorkerState.STOPPED ? WorkerIntent.COLD : WorkerIntent.ACTIVE)
                .templateRevision(label.templateRevision().orElse(group.templateRevision()))
                .createdAtNanos(now).stateSinceNanos(now).build();
        WorkerRecord stored;
        try {
            stored = ctx.store().insertWorker(record);
        } catch (StaleStateException raced) {
            return;
        }
        log.info("adopted instance {} ({}) as worker {} in state {}", instance.id(), instance.label(), stored.workerId(),
                state.wireName());
        ctx.events().publish(new AutoscalerEvent.InstanceActionTaken(ctx.clock().now(), stored.endpoint(),
                stored.group(), stored.workerId(), stored.instanceId(), InstanceAction.ADOPT,
                "found in the provider's list with our label"));
        ctx.actions().publishState(stored, null, state, "adopted");
        if (state == WorkerState.DESTROYING) {
            ctx.actions().destroy(stored, providerName, "adopted instance had failed");
        }
    }

    private void destroyUnrecorded(String providerName, Instance instance, WorkerLabel label, String reason) {
        try {
            providers.apply(providerName).destroy(instance.id());
            ctx.events().publish(new AutoscalerEvent.InstanceActionTaken(ctx.clock().now(), label.endpoint(),
                    label.group(), label.uid(), instance.id(), InstanceAction.DESTROY, reason));
        } catch (ProviderException e) {
            log.warn("destroying duplicate instance {} failed: {}; the next sync retries", instance.id(), e.getMessage());
        }
    }

    private String providerOf(WorkerRecord w, Map<String, EndpointConfig> endpoints) {
        EndpointConfig endpoint = endpoints.get(w.endpoint());
        return endpoint == null ? ctx.defaultProviderName()
                : endpoint.group(w.group()).map(ctx::providerFor).orElse(ctx.defaultProviderName());
    }

    private void dropVanished(String providerName, Map<String, EndpointConfig> endpoints, Set<String> listed, long listedAt) {
        for (WorkerRecord w : ctx.store().allWorkers()) {
            EndpointConfig endpoint = endpoints.get(w.endpoint());
            String owner = endpoint == null ? ctx.defaultProviderName()
                    : endpoint.group(w.group()).map(ctx::providerFor).orElse(ctx.defaultProviderName());
            if (!owner.equals(providerName) || w.instanceId().isEmpty() || listed.contains(w.instanceId())
                    || w.stateSinceNanos() > listedAt || w.createdAtNanos() > listedAt
                    || ctx.actions().isInFlight(w.workerId())) {
                continue;
            }
            ctx.store().removeWorker(w.workerId());
            ctx.actions().publishState(w, w.state(), WorkerState.DESTROYED, "the provider lists its instance no more");
        }
    }

    private static WorkerRecord.Builder fromInstance(WorkerRecord.Builder b, Instance instance) {
        if (instance.hasOwnMtoken()) {
            b.mtoken(instance.mtoken()); // a static fleet's worker holds a configured token, not our derived one
        }
        return b.instanceId(instance.id()).url(instance.url()).gpuName(instance.gpuName())
                .pricePerHour(instance.pricePerHour()).reliability(instance.reliability());
    }
}
