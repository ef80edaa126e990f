package dev.autoscaler.server;

import dev.autoscaler.EndpointConfig;
import dev.autoscaler.TaskScheduler;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.core.Autoscaler;
import dev.autoscaler.spi.CreateInstanceRequest;
import dev.autoscaler.spi.Instance;
import dev.autoscaler.core.TrafficTap;
import dev.autoscaler.spi.InstanceProvider;
import dev.autoscaler.spi.RequestRecord;
import dev.autoscaler.spi.StateStore;
import dev.autoscaler.store.postgres.LeaseLostException;
import dev.autoscaler.store.postgres.PostgresStore;
import dev.autoscaler.store.postgres.ReplicaStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several {@code serve} replicas on one PostgreSQL database, one of them the leader.
 *
 * <p>Every replica serves {@code /route/}, {@code /worker_status/}, {@code /delete_requests/} and the
 * admin API on the shared store. Only the holder of the lease {@value #LEASE} runs the control loop
 * (ticks, provider syncs, wake-ups) and calls the provider. The lease is renewed every third of its
 * time to live; a replica counts itself leader only until the lease it last renewed would expire,
 * measured on its own monotonic clock from before it asked, so that it stops acting as leader no
 * later than the database lets another replica take over.
 *
 * <p>Fencing: each control-loop task runs with the epoch of the lease it started under (a thread
 * local, carried into the provider calls it hands to other threads). Its worker writes are
 * conditional on that epoch in the same SQL statement, and each provider mutation is preceded by a
 * check of the epoch in the database: a leader paused past its lease (a long GC, a SIGSTOP) that
 * wakes up mid-tick writes nothing and calls nothing. The provider call itself cannot be made
 * conditional (the Vast API takes no fencing token): a pause of more than the lease between the check
 * and the call, both within one thread's few instructions, is the window left; the next leader's
 * provider sync finds what such a call made by its label, binds or destroys it.
 */
final class Replication implements AutoCloseable {
    static final String LEASE = "leader";
    private static final Logger log = LoggerFactory.getLogger(Replication.class);
    /** The fence of the control-loop task running on this thread; null outside the control loop. */
    private static final ThreadLocal<PostgresStore.Fence> FENCE = new ThreadLocal<>();

    private final PostgresStore store;
    /** The hot path's view of {@link #store}: routes, reports and the engine's reads go through it. */
    private final ReplicaStore routing;
    private final ScheduledExecutorService flushThread;
    private final PostgresSettings settings;
    private final ScheduledExecutorService leaseThread;
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong staleSkipped = new AtomicLong();
    private volatile long epoch; // 0: never held
    private volatile long validUntilNanos;
    private volatile boolean leader;
    private volatile Consumer<PostgresStore.Fence> onElected = f -> { };
    private final TrafficExchange traffic;
    private volatile Autoscaler trafficEngine;

    Replication(PostgresSettings settings) {
        this.settings = settings;
        PostgresStore.Builder b = PostgresStore.builder().url(settings.url()).schema(settings.schema())
                .maxPoolSize(settings.poolSize());
        settings.user().ifPresent(b::user);
        settings.password().ifPresent(b::password);
        this.store = b.build();
        this.routing = ReplicaStore.builder(store).flushInterval(settings.flushInterval())
                .maxStaleness(settings.maxStaleness()).build();
        this.traffic = new TrafficExchange(store, settings.replicaId());
        this.flushThread = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "autoscaler-flush");
            t.setDaemon(true);
            return t;
        });
        // its own thread, so that a slow database delays no lease renewal
        flushThread.scheduleWithFixedDelay(() -> {
            try {
                routing.flush();
            } catch (RuntimeException e) {
                log.warn("replica {}: flushing the routing state failed; the next flush retries", settings.replicaId(), e);
            }
            Autoscaler engine = trafficEngine;
            if (engine != null) {
                try {
                    traffic.exchange(engine);
                } catch (RuntimeException e) {
                    log.warn("replica {}: sharing the traffic counts failed; the next flush retries: {}",
                            settings.replicaId(), e.getMessage());
                }
            }
        }, settings.flushInterval().toNanos(), settings.flushInterval().toNanos(), TimeUnit.NANOSECONDS);
        this.leaseThread = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "autoscaler-lease");
            t.setDaemon(true);
            return t;
        });
    }

    PostgresStore store() {
        return store;
    }

    /** What the engine's router counts, to share with the other replicas ({@link Autoscaler.Builder#trafficTap}). */
    TrafficTap trafficTap() {
        return traffic;
    }

    /** From now on every flush also shares the traffic counts with the other replicas, into {@code engine}. */
    void shareTraffic(Autoscaler engine) {
        this.trafficEngine = engine;
    }

    String replicaId() {
        return settings.replicaId();
    }

    /**
     * Starts renewing (or trying to take) the lease; {@code elected} runs on the lease thread, under
     * the new epoch's fence, each time this replica becomes leader.
     */
    void start(Consumer<PostgresStore.Fence> elected) {
        this.onElected = elected;
        long every = Math.max(1, settings.leaseTtl().toMillis() / 3);
        leaseThread.scheduleWithFixedDelay(this::renew, 0, every, TimeUnit.MILLISECONDS);
    }

    /** One attempt to take or renew the lease. */
    void renew() {
        long asked = System.nanoTime();
        Optional<Long> held;
        try {
            held = store.acquireLease(LEASE, settings.replicaId(), settings.leaseTtl());
        } catch (RuntimeException e) {
            // the lease runs out on its own (isLeader() turns false at validUntilNanos)
            log.warn("replica {}: cannot renew the leader lease: {}", settings.replicaId(), e.getMessage());
            return;
        }
        if (held.isEmpty()) {
            if (leader) {
                log.warn("replica {}: lost the leader lease (epoch {}); following", settings.replicaId(), epoch);
            }
            leader = false;
            return;
        }
        boolean newTerm = !isLeader() || held.get() != epoch;
        epoch = held.get();
        validUntilNanos = asked + settings.leaseTtl().toNanos();
        leader = true;
        if (newTerm) {
            PostgresStore.Fence fence = new PostgresStore.Fence(LEASE, settings.replicaId(), held.get());
            log.info("replica {}: leader at epoch {}", settings.replicaId(), held.get());
            runFenced(fence, () -> onElected.accept(fence));
        }
    }

    /** Whether this replica holds the lease now, by its own clock (never past the lease's end). */
    boolean isLeader() {
        return leader && System.nanoTime() - validUntilNanos < 0;
    }

    /** The fence of the current term, when this replica leads now. */
    Optional<PostgresStore.Fence> currentFence() {
        return isLeader() ? Optional.of(new PostgresStore.Fence(LEASE, settings.replicaId(), epoch)) : Optional.empty();
    }

    long epoch() {
        return epoch;
    }

    /** How many provider mutations and control-loop writes were refused since start (a stale leader's). */
    long refused() {
        return refused.get();
    }

    private static void runFenced(PostgresStore.Fence fence, Runnable task) {
        PostgresStore.Fence before = FENCE.get();
        FENCE.set(fence);
        try {
            task.run();
        } catch (LeaseLostException e) {
            log.warn("{}", e.getMessage());
        } finally {
            if (before == null) {
                FENCE.remove();
            } else {
                FENCE.set(before);
            }
        }
    }

    /**
     * The control loop's scheduler: each run happens only on the leader, under its term's fence. The
     * engine's one-shot schedules are its early provider syncs, asked for when a worker reports from an
     * address no list has shown yet; on a follower {@code followerInstead} runs (a list that only
     * records the addresses), so that the worker's reports are accepted there too.
     */
    TaskScheduler leaderOnly(TaskScheduler scheduler, Runnable followerInstead) {
        return new TaskScheduler() {
            @Override
            public Cancellable scheduleAtFixedRate(Runnable task, Duration initialDelay, Duration period) {
                return scheduler.scheduleAtFixedRate(() -> asLeader(task), initialDelay, period);
            }

            @Override
            public Cancellable schedule(Runnable task, Duration delay) {
                return scheduler.schedule(() -> {
                    if (isLeader()) {
                        asLeader(task);
                    } else {
                        followerInstead.run();
                    }
                }, delay);
            }
        };
    }

    /** Wake-ups of the router (a tick of one endpoint): run on the leader only. */
    Executor leaderOnly(Executor executor) {
        return task -> {
            if (isLeader()) {
                executor.execute(() -> asLeader(task));
            }
        };
    }

    /** Provider calls handed to other threads keep the fence of the task that handed them over. */
    Executor carryingFence(Executor executor) {
        return task -> {
            PostgresStore.Fence fence = FENCE.get();
            executor.execute(fence == null ? task : () -> runFenced(fence, task));
        };
    }

    private void asLeader(Runnable task) {
        Optional<PostgresStore.Fence> fence = currentFence();
        if (fence.isPresent()) {
            runFenced(fence.get(), task);
        } else if (epoch != 0) {
            staleSkipped.incrementAndGet(); // a former leader's tick, after its lease's end
        }
    }

    /** How many control-loop runs were skipped because this replica's lease had run out (a former leader's). */
    long staleTicksSkipped() {
        return staleSkipped.get();
    }

    /** The fence a mutation made on this thread must hold: the task's, or the current term's. */
    private PostgresStore.Fence requiredFence(String what) {
        PostgresStore.Fence fence = FENCE.get();
        if (fence == null) {
            fence = currentFence().orElse(null);
        }
        if (fence == null) {
            throw new LeaseLostException("refused to " + what + ": replica " + settings.replicaId() + " is not the leader");
        }
        return fence;
    }

    /** The provider, each mutation checked against the lease first (lists are free to every replica). */
    InstanceProvider fenced(InstanceProvider provider) {
        return new InstanceProvider() {
            /** A refusal is a provider failure to the engine, so that its usual failure path (no retry storm) applies. */
            private void check(String what) {
                try {
                    store.requireFence(requiredFence(what), what);
                } catch (LeaseLostException e) {
                    refused.incrementAndGet();
                    log.warn("{}", e.getMessage());
                    throw new dev.autoscaler.ProviderException(dev.autoscaler.ProviderException.Kind.UNAVAILABLE,
                            e.getMessage(), e);
                } catch (dev.autoscaler.StoreUnavailableException e) {
                    throw new dev.autoscaler.ProviderException(dev.autoscaler.ProviderException.Kind.UNAVAILABLE,
                            "cannot check the leader lease: " + e.getMessage(), e);
                }
            }

            @Override
            public Instance create(CreateInstanceRequest request) {
                String what = "create an instance (" + request.label() + ")";
                check(what);
                // and before each later offer the provider tries: a pause past the lease in between
                // must not rent one more
                return dev.autoscaler.spi.ProviderMutations.guarded(() -> check(what), () -> provider.create(request));
            }

            @Override
            public void start(String instanceId) {
                check("start instance " + instanceId);
                provider.start(instanceId);
            }

            @Override
            public void stop(String instanceId) {
                check("stop instance " + instanceId);
                provider.stop(instanceId);
            }

            @Override
            public void reboot(String instanceId) {
                check("reboot instance " + instanceId);
                provider.reboot(instanceId);
            }

            @Override
            public void destroy(String instanceId) {
                check("destroy instance " + instanceId);
                provider.destroy(instanceId);
            }

            @Override
            public List<Instance> list() {
                return provider.list();
            }

            @Override
            public void recordMeasuredPerf(String group, String gpuName, double perf) {
                provider.recordMeasuredPerf(group, gpuName, perf);
            }

            @Override
            public void close() {
                provider.close();
            }
        };
    }

    /**
     * The shared store as the engine sees it, through this replica's {@link ReplicaStore} (routes in
     * memory, records and reservations flushed every {@code flush_interval}): the control loop's worker
     * writes (on a thread with a fence) conditional on the epoch; the hot path's (routes, reports,
     * deletes) plain.
     */
    StateStore engineStore() {
        return new StateStore() {
            private <T> T counted(java.util.function.Supplier<T> write) {
                try {
                    return write.get();
                } catch (LeaseLostException e) {
                    refused.incrementAndGet();
                    throw e;
                }
            }

            @Override
            public long nextReqnum(String endpoint) {
                return routing.nextReqnum(endpoint);
            }

            @Override
            public long nextRequestIdx() {
                return routing.nextRequestIdx();
            }

            @Override
            public Optional<WorkerRecord> worker(String workerId) {
                return routing.worker(workerId);
            }

            @Override
            public Optional<WorkerRecord> workerByInstanceId(String instanceId) {
                return routing.workerByInstanceId(instanceId);
            }

            @Override
            public List<WorkerRecord> workers(String endpoint) {
                return routing.workers(endpoint);
            }

            @Override
            public List<WorkerRecord> allWorkers() {
                return routing.allWorkers();
            }

            @Override
            public WorkerRecord insertWorker(WorkerRecord worker) {
                PostgresStore.Fence fence = FENCE.get();
                return fence == null ? routing.insertWorker(worker) : counted(() -> routing.insertWorker(worker, fence));
            }

            @Override
            public WorkerRecord replaceWorker(WorkerRecord current, WorkerRecord next) {
                PostgresStore.Fence fence = FENCE.get();
                return fence == null ? routing.replaceWorker(current, next)
                        : counted(() -> routing.replaceWorker(current, next, fence));
            }

            @Override
            public void removeWorker(String workerId) {
                PostgresStore.Fence fence = FENCE.get();
                if (fence == null) {
                    routing.removeWorker(workerId);
                } else {
                    counted(() -> {
                        routing.removeWorker(workerId, fence);
                        return null;
                    });
                }
            }

            @Override
            public Optional<WorkerRecord> reserve(String workerId,
                                                  java.util.function.Predicate<? super WorkerRecord> condition, double cost) {
                return routing.reserve(workerId, condition, cost);
            }

            @Override
            public void unreserve(String workerId, double cost) {
                routing.unreserve(workerId, cost);
            }

            @Override
            public boolean reservationsFollowRequests() {
                return routing.reservationsFollowRequests();
            }

            @Override
            public boolean mayBlock() {
                return routing.mayBlock();
            }

            @Override
            public void checkAvailable() {
                routing.checkAvailable();
            }

            @Override
            public void requestEndedUnseen(String workerId, long requestIdx) {
                routing.requestEndedUnseen(workerId, requestIdx);
            }

            @Override
            public List<RequestRecord> removeRoutedTo(String workerId, java.util.Collection<Long> requestIdxs) {
                return routing.removeRoutedTo(workerId, requestIdxs);
            }

            @Override
            public Optional<RequestRecord> putRequestIfAbsent(RequestRecord request) {
                return routing.putRequestIfAbsent(request);
            }

            @Override
            public Optional<RequestRecord> request(long requestIdx) {
                return routing.request(requestIdx);
            }

            @Override
            public boolean replaceRequest(RequestRecord current, RequestRecord next) {
                return routing.replaceRequest(current, next);
            }

            @Override
            public Optional<RequestRecord> removeRequest(long requestIdx) {
                return routing.removeRequest(requestIdx);
            }

            @Override
            public List<RequestRecord> requests(String endpoint) {
                return routing.requests(endpoint);
            }
        };
    }

    /** Gives the lease up when held, so that another replica takes over at once, and closes the pool. */
    @Override
    public void close() {
        leaseThread.shutdownNow();
        try {
            leaseThread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (isLeader()) {
            try {
                store.releaseLease(LEASE, settings.replicaId(), epoch);
            } catch (RuntimeException e) {
                log.warn("replica {}: could not release the lease: {}", settings.replicaId(), e.getMessage());
            }
        }
        leader = false;
        flushThread.shutdownNow();
        try {
            flushThread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        routing.close(); // a last flush, then the pool

    }
}
