package dev.autoscaler.core.engine.internal;

import dev.autoscaler.AutoscalerEvent;
import dev.autoscaler.Clock;
import dev.autoscaler.InstanceAction;
import dev.autoscaler.ProviderException;
import dev.autoscaler.WorkerIntent;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import dev.autoscaler.spi.CreateInstanceRequest;
import dev.autoscaler.spi.Instance;
import dev.autoscaler.spi.InstanceProvider;
import dev.autoscaler.spi.StateStore;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the reconciler's choices into provider calls. Each call first moves the worker into an
 * in-between state (creating, starting, stopping, destroying) in the store, then runs on the
 * provider executor, and its outcome moves the worker on or back. A worker never has two calls in
 * flight. Provider failures are published as events and never escape: the loop goes on.
 */
public final class ProviderActions {
    private static final Logger log = LoggerFactory.getLogger(ProviderActions.class);

    private final StateStore store;
    private final Function<String, InstanceProvider> providers;
    private final Executor executor;
    private final Clock clock;
    private final EventPublisher events;
    private final RandomGenerator random;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    /** Workers being destroyed from stopped: still billed at the storage price until they are gone. */
    private final Set<String> destroyedWhileStopped = ConcurrentHashMap.newKeySet();
    private final Map<String, CreateBackoff> backoffs = new ConcurrentHashMap<>();
    private final Map<String, BootBackoff> bootBackoffs = new ConcurrentHashMap<>();
    private final DestroyRetries destroyRetries = new DestroyRetries();
    /** Workers whose create's outcome is unknown, with when it failed (monotonic nanos). */
    private final Map<String, Long> unknownCreates = new ConcurrentHashMap<>();
    /** Asks for a provider list soon, to settle a create whose outcome is unknown. */
    private volatile Runnable listSoon = () -> { };
    private final java.util.function.BiPredicate<String, String> listFresh;

    /**
     * @param listFresh whether a group ({@code endpoint, group}) may create now as far as the provider
     *                  lists go: its provider's last successful list is recent enough (see {@link ListFreshness})
     */
    public ProviderActions(StateStore store, Function<String, InstanceProvider> providers, Executor executor,
                           Clock clock, EventPublisher events, RandomGenerator random,
                           java.util.function.BiPredicate<String, String> listFresh) {
        this.listFresh = listFresh;
        this.store = store;
        this.providers = providers;
        this.executor = executor;
        this.clock = clock;
        this.events = events;
        this.random = random;
    }

    /** Feeds a worker's measured perf to its provider, for offer ranking. Never throws. */
    public void recordMeasuredPerf(WorkerRecord worker, String providerName) {
        try {
            providers.apply(providerName).recordMeasuredPerf(worker.group(), worker.gpuName(), worker.perf());
        } catch (RuntimeException e) {
            log.warn("provider {} failed to take a perf measurement", providerName, e);
        }
    }

    /** True for a worker being destroyed from stopped (its instance is billed at the storage price until gone). */
    public boolean isDestroyedWhileStopped(String workerId) {
        return destroyedWhileStopped.contains(workerId);
    }

    /** True while a provider call for this worker has not returned. */
    public boolean isInFlight(String workerId) {
        return inFlight.contains(workerId);
    }

    /**
     * True when the group may ask for a new instance now: no failure backoff pending, and its
     * provider's last successful list is recent enough.
     */
    public boolean createAllowed(String endpoint, String group) {
        CreateBackoff backoff = backoffs.get(endpoint + "/" + group);
        BootBackoff boots = bootBackoffs.get(endpoint + "/" + group);
        long now = clock.nanoTime();
        return (backoff == null || backoff.allows(now)) && (boots == null || boots.allows(now))
                && listFresh.test(endpoint, group);
    }

    /**
     * A worker that never became ready is being replaced (stuck loading, or errored before its first
     * ready report): its group's creates back off after repeated ones ({@link BootBackoff}).
     */
    void bootFailed(WorkerRecord worker, String why) {
        BootBackoff boots = bootBackoffs.computeIfAbsent(worker.endpoint() + "/" + worker.group(), k -> new BootBackoff());
        long wait = boots.failed(clock.nanoTime());
        if (wait > 0) {
            String reason = String.format(java.util.Locale.ROOT, "%d boots in a row failed (last: %s): creates of group %s "
                    + "wait %.0f s", boots.failures(), why, worker.group(), wait / 1e9);
            log.warn("endpoint {}: {}", worker.endpoint(), reason);
            events.publish(new AutoscalerEvent.CreatesBackedOff(clock.now(), worker.endpoint(), worker.group(),
                    boots.failures(), wait / 1e9, reason));
        }
    }

    /** A worker of the group became ready: its boots work, and any boot backoff ends. */
    void booted(WorkerRecord worker) {
        BootBackoff boots = bootBackoffs.get(worker.endpoint() + "/" + worker.group());
        if (boots != null) {
            boots.succeeded();
        }
    }

    /**
     * Inserts a worker in {@link WorkerState#CREATING} and asks its provider for an instance.
     *
     * @param providerName the group's provider
     */
    public void create(WorkerRecord worker, CreateInstanceRequest request, String providerName, String reason) {
        WorkerRecord stored = store.insertWorker(worker);
        inFlight.add(stored.workerId());
        publishState(stored, null, WorkerState.CREATING, reason);
        run(stored.workerId(), () -> {
            Instance instance;
            try {
                instance = providers.apply(providerName).create(request);
            } catch (ProviderException e) {
                backoff(stored).failed(clock.nanoTime(), random);
                failed(stored, InstanceAction.CREATE, e);
                if (e.kind() == ProviderException.Kind.TIMEOUT && !stored.label().isEmpty()) {
                    // The instance may exist (the create's answer was lost and the provider could not
                    // find out). Dropping the record would let the reconciler rent a replacement at
                    // once, past max_workers, while the first one boots; so the worker stays CREATING,
                    // counted against the caps, until a provider list taken after now binds it by
                    // its label or shows it does not exist (resolveUnknownCreates).
                    unknownCreates.put(stored.workerId(), clock.nanoTime());
                    log.info("create of worker {} has an unknown outcome; it stays creating until a provider list "
                            + "shows whether instance labelled {} exists", stored.workerId(), stored.label());
                    listSoon.run();
                    return;
                }
                // The provider made nothing (or, unlabelled, nothing a list could find it by).
                remove(stored.workerId(), "create failed: " + e.getMessage());
                return;
            }
            backoff(stored).succeeded();
            Instance created = instance;
            // Not CREATING any more: a provider sync bound it first, and there is no move to publish.
            var bound = store.updateWorkerIf(stored.workerId(), w -> w.state() == WorkerState.CREATING,
                    w -> w.toBuilder().instanceId(created.id()).url(created.url()).gpuName(created.gpuName())
                            .mtoken(created.hasOwnMtoken() ? created.mtoken() : w.mtoken())
                            .pricePerHour(created.pricePerHour()).reliability(created.reliability())
                            .state(WorkerState.LOADING).stateSinceNanos(clock.nanoTime()).build());
            if (!bound.exists()) {
                // The worker was dropped while its create was in flight (its endpoint was removed):
                // the instance must not live on, billing, with nobody managing it.
                log.info("instance {} was created for a worker that is gone; destroying it", created.id());
                destroyQuietly(providerName, created.id());
                return;
            }
            published(bound.after(), InstanceAction.CREATE, reason);
            if (bound.applied()) {
                publishState(bound.after(), WorkerState.CREATING, WorkerState.LOADING, "instance " + created.id() + " created");
            }
        });
    }

    /** Resumes a stopped worker. */
    public void start(WorkerRecord worker, String providerName, String reason) {
        WorkerRecord moving = transition(worker, WorkerState.STARTING, WorkerIntent.ACTIVE, reason);
        if (moving == null) {
            return;
        }
        run(worker.workerId(), () -> {
            try {
                providers.apply(providerName).start(moving.instanceId());
                published(moving, InstanceAction.START, reason);
            } catch (ProviderException e) {
                failed(moving, InstanceAction.START, e);
                if (e.kind() == ProviderException.Kind.NOT_FOUND) {
                    remove(moving.workerId(), "instance is gone");
                } else {
                    moveBack(moving, WorkerState.STARTING, WorkerState.STOPPED, "start failed: " + e.getMessage());
                }
            }
        });
    }

    /** Stops a worker: it joins the cold pool. */
    public void stop(WorkerRecord worker, String providerName, String reason) {
        stop(worker, providerName, reason, w -> true);
    }

    /**
     * Stops a worker only if it holds no work: the same conditional update that moves it to stopping
     * re-checks that it has no reservation, no {@code cur_load} and no request working. A route that
     * reserved on it since the caller looked wins: the worker is left serving. A route that comes after
     * the move finds it stopping, not routable, and goes to another worker.
     *
     * @return true when the stop went out
     */
    public boolean stopIfIdle(WorkerRecord worker, String providerName, String reason) {
        return stop(worker, providerName, reason, WorkerDrain::isIdle);
    }

    private boolean stop(WorkerRecord worker, String providerName, String reason,
                         java.util.function.Predicate<WorkerRecord> still) {
        WorkerState before = worker.state();
        WorkerRecord moving = transition(worker, WorkerState.STOPPING, WorkerIntent.COLD, reason, still);
        if (moving == null) {
            return false;
        }
        run(worker.workerId(), () -> {
            try {
                providers.apply(providerName).stop(moving.instanceId());
            } catch (ProviderException e) {
                failed(moving, InstanceAction.STOP, e);
                if (e.kind() == ProviderException.Kind.NOT_FOUND) {
                    remove(moving.workerId(), "instance is gone");
                } else {
                    moveBack(moving, WorkerState.STOPPING, before, "stop failed: " + e.getMessage());
                }
                return;
            }
            published(moving, InstanceAction.STOP, reason);
            moveBack(moving, WorkerState.STOPPING, WorkerState.STOPPED, "stopped");
        });
        return true;
    }

    /** Reboots a worker that reported an error. */
    public void reboot(WorkerRecord worker, String providerName, String reason) {
        WorkerRecord moving = transition(worker, WorkerState.REBOOTING, worker.intent(), reason);
        if (moving == null) {
            return;
        }
        run(worker.workerId(), () -> {
            try {
                providers.apply(providerName).reboot(moving.instanceId());
                published(moving, InstanceAction.REBOOT, reason);
            } catch (ProviderException e) {
                failed(moving, InstanceAction.REBOOT, e);
                // A worker that cannot even be rebooted is replaced: counting this as its second
                // error makes the next tick destroy it.
                store.updateWorker(moving.workerId(), w -> w.state() != WorkerState.REBOOTING ? w
                        : w.toBuilder().state(WorkerState.ERROR).stateSinceNanos(clock.nanoTime())
                                .errorCount(Math.max(2, w.errorCount() + 1)).build());
            }
        });
    }

    /**
     * Destroys a worker's instance for good. A failed destroy leaves the worker DESTROYING;
     * {@link #retryDestroys} tries again, with backoff, until the provider confirms it gone, whatever
     * happened to its endpoint or group meanwhile.
     */
    public void destroy(WorkerRecord worker, String providerName, String reason) {
        destroy(worker, providerName, reason, w -> true);
    }

    /**
     * Destroys a worker only if it holds no work, re-checked in the same conditional update that
     * moves it to destroying (see {@link #stopIfIdle}).
     *
     * @return true when the destroy went out
     */
    public boolean destroyIfIdle(WorkerRecord worker, String providerName, String reason) {
        return destroy(worker, providerName, reason, WorkerDrain::isIdle);
    }

    private boolean destroy(WorkerRecord worker, String providerName, String reason,
                            java.util.function.Predicate<WorkerRecord> still) {
        if (worker.instanceId().isEmpty()) {
            return false; // still creating: the reconciler waits for the instance before it destroys it
        }
        WorkerRecord moving = worker.state() == WorkerState.DESTROYING
                ? claim(worker)
                : transition(worker, WorkerState.DESTROYING, worker.intent(), reason, still);
        if (moving == null) {
            return false;
        }
        if (worker.state() == WorkerState.STOPPED) {
            destroyedWhileStopped.add(worker.workerId());
        }
        run(worker.workerId(), () -> {
            try {
                providers.apply(providerName).destroy(moving.instanceId());
            } catch (ProviderException e) {
                if (e.kind() != ProviderException.Kind.NOT_FOUND) {
                    destroyRetries.failed(moving.workerId(), clock.nanoTime(), random);
                    failed(moving, InstanceAction.DESTROY, e);
                    return; // stays DESTROYING; retryDestroys tries again after a backoff
                }
            }
            destroyRetries.forget(moving.workerId());
            published(moving, InstanceAction.DESTROY, reason);
            remove(moving.workerId(), reason);
        });
        return true;
    }

    /**
     * Tries again every destroy that failed, of every endpoint (configured, removed or unknown), each
     * after its own backoff (full jitter, 2 s doubling up to 5 min). The engine runs it every tick.
     *
     * @param providerOf the provider a worker's instance lives on
     * @return how many workers are still waiting for their instance to be confirmed gone
     */
    public int retryDestroys(Function<WorkerRecord, String> providerOf) {
        long now = clock.nanoTime();
        int pending = 0;
        for (WorkerRecord w : store.allWorkers()) {
            if (w.state() != WorkerState.DESTROYING) {
                continue;
            }
            pending++;
            if (!isInFlight(w.workerId()) && destroyRetries.due(w.workerId(), now)) {
                destroy(w, providerOf.apply(w), "retrying destroy (failed " + destroyRetries.failures(w.workerId())
                        + " times so far)");
            }
        }
        destroyRetries.retainOnly(store);
        return pending;
    }

    /**
     * After a provider list that started at {@code listedAtNanos} and did not show the instance of a
     * worker whose create's outcome was unknown (it would have bound it, by label): when that create
     * failed before the list started, the instance does not exist and the worker is dropped (the
     * reconciler replaces it). Called by the provider sync for the workers of {@code providerName}.
     *
     * @param providerOf the provider a worker's instance lives on
     * @return how many workers were dropped
     */
    public int resolveUnknownCreates(String providerName, long listedAtNanos, Function<WorkerRecord, String> providerOf) {
        int dropped = 0;
        for (Map.Entry<String, Long> entry : unknownCreates.entrySet()) {
            String workerId = entry.getKey();
            WorkerRecord w = store.worker(workerId).orElse(null);
            if (w == null || w.state() != WorkerState.CREATING || !w.instanceId().isEmpty()) {
                unknownCreates.remove(workerId); // bound by its label, or gone
                continue;
            }
            if (entry.getValue() < listedAtNanos && providerName.equals(providerOf.apply(w)) && !isInFlight(workerId)) {
                unknownCreates.remove(workerId);
                remove(workerId, "create's outcome was unknown and the provider lists no instance labelled " + w.label());
                dropped++;
            }
        }
        return dropped;
    }

    /**
     * What to run when a create's outcome turns out unknown: the engine schedules a provider list
     * soon, so that the worker is bound (or replaced) within seconds, not at the next periodic sync.
     */
    public void onUnknownCreate(Runnable listSoon) {
        this.listSoon = java.util.Objects.requireNonNull(listSoon, "listSoon");
    }

    /** True while some worker's create has an unknown outcome that no provider list has settled yet. */
    public boolean hasUnknownCreates() {
        unknownCreates.keySet().removeIf(id -> store.worker(id).map(w -> w.state() != WorkerState.CREATING
                || !w.instanceId().isEmpty()).orElse(true));
        return !unknownCreates.isEmpty();
    }

    /** How many destroys have failed and wait for their retry now. */
    public int failingDestroys() {
        return destroyRetries.size();
    }

    // ---- plumbing ----

    private WorkerRecord claim(WorkerRecord worker) {
        return inFlight.add(worker.workerId()) ? worker : null;
    }

    /** Moves a worker into an in-between state and marks it in flight; null when that lost a race. */
    private WorkerRecord transition(WorkerRecord worker, WorkerState next, WorkerIntent intent, String reason) {
        return transition(worker, next, intent, reason, w -> true);
    }

    /** As above, and only while {@code still} holds for the stored record, in the same conditional update. */
    private WorkerRecord transition(WorkerRecord worker, WorkerState next, WorkerIntent intent, String reason,
                                    java.util.function.Predicate<WorkerRecord> still) {
        if (!inFlight.add(worker.workerId())) {
            return null;
        }
        long now = clock.nanoTime();
        var moved = store.updateWorkerIf(worker.workerId(),
                w -> w.state() == worker.state() && w.state().canMoveTo(next) && still.test(w),
                w -> w.toBuilder().state(next).intent(intent).stateSinceNanos(now).build()).ifApplied();
        if (moved.isEmpty()) {
            inFlight.remove(worker.workerId());
            return null;
        }
        publishState(moved.get(), worker.state(), next, reason);
        return moved.get();
    }

    private void moveBack(WorkerRecord worker, WorkerState expected, WorkerState next, String reason) {
        long now = clock.nanoTime();
        store.updateWorkerIf(worker.workerId(), w -> w.state() == expected, w -> {
            WorkerRecord.Builder b = w.toBuilder().state(next).stateSinceNanos(now);
            if (next == WorkerState.STOPPED) {
                b.curLoad(0).reservedLoad(0).reservedRequests(0).numRequestsWorking(0);
            }
            return b.build();
        }).ifApplied().ifPresent(w -> publishState(w, expected, next, reason));
    }

    private void remove(String workerId, String reason) {
        WorkerRecord gone = store.worker(workerId).orElse(null);
        store.removeWorker(workerId);
        destroyedWhileStopped.remove(workerId);
        if (gone != null) {
            publishState(gone, gone.state(), WorkerState.DESTROYED, reason);
        }
    }

    private void run(String workerId, Runnable call) {
        Runnable guarded = () -> {
            try {
                call.run();
            } catch (RuntimeException e) {
                log.error("provider action for worker {} failed unexpectedly", workerId, e);
            } finally {
                inFlight.remove(workerId);
            }
        };
        try {
            executor.execute(guarded);
        } catch (RuntimeException rejected) {
            inFlight.remove(workerId);
            log.warn("provider executor refused an action for worker {}", workerId, rejected);
        }
    }

    private void destroyQuietly(String providerName, String instanceId) {
        try {
            providers.apply(providerName).destroy(instanceId);
        } catch (ProviderException e) {
            log.warn("could not destroy orphan instance {}: {}; the next provider sync retries", instanceId, e.getMessage());
        }
    }

    private CreateBackoff backoff(WorkerRecord worker) {
        return backoffs.computeIfAbsent(worker.endpoint() + "/" + worker.group(), k -> new CreateBackoff());
    }

    private void failed(WorkerRecord worker, InstanceAction action, ProviderException e) {
        log.warn("{} of worker {} (endpoint {}, group {}) failed: {}", action, worker.workerId(), worker.endpoint(),
                worker.group(), e.getMessage());
        events.publish(new AutoscalerEvent.ProviderFailed(clock.now(), worker.endpoint(), worker.group(),
                worker.workerId(), action, e));
    }

    private void published(WorkerRecord worker, InstanceAction action, String reason) {
        events.publish(new AutoscalerEvent.InstanceActionTaken(clock.now(), worker.endpoint(), worker.group(),
                worker.workerId(), worker.instanceId(), action, reason));
    }

    void publishReportRejected(WorkerRecord worker, String field, String reason) {
        events.publish(new AutoscalerEvent.WorkerReportRejected(clock.now(), worker.endpoint(), worker.group(),
                worker.workerId(), worker.instanceId(), field, reason));
    }

    void publishState(WorkerRecord worker, WorkerState from, WorkerState to, String reason) {
        events.publish(new AutoscalerEvent.WorkerStateChanged(clock.now(), worker.endpoint(), worker.group(),
                worker.workerId(), worker.instanceId(), from, to, reason));
    }
}
