package dev.autoscaler.server;

import dev.autoscaler.Clock;
import dev.autoscaler.EndpointConfig;
import dev.autoscaler.InvalidConfigException;
import dev.autoscaler.core.Autoscaler;
import dev.autoscaler.core.ExecutorTaskScheduler;
import dev.autoscaler.core.compare.HardwareComparison;
import dev.autoscaler.core.history.DecisionHistory;
import dev.autoscaler.core.history.EndpointTimeline;
import dev.autoscaler.core.http.ApiResponse;
import dev.autoscaler.core.http.AutoscalerApi;
import dev.autoscaler.core.http.ApiServer;
import dev.autoscaler.core.http.ApiServers;
import dev.autoscaler.core.http.AutoscalerHttpServer;
import dev.autoscaler.core.json.EndpointConfigJson;
import dev.autoscaler.core.provider.InstanceProviderFactories;
import dev.autoscaler.core.router.Router;
import dev.autoscaler.core.store.FileEndpointConfigStore;
import dev.autoscaler.core.ticket.TicketFormats;
import dev.autoscaler.micrometer.AutoscalerMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import dev.autoscaler.TaskScheduler;
import dev.autoscaler.spi.EndpointConfigStore;
import dev.autoscaler.spi.InstanceProvider;
import java.util.concurrent.Executor;
import dev.autoscaler.spi.InstanceProviderFactory;
import dev.autoscaler.spi.ProviderContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine, the router and the HTTP surface, built from a {@link ServerConfig}: what
 * {@code ./autoscaler serve} runs. The HTTP surface starts before the engine, because a worker gives
 * up fetching {@code /pubkey/} after about 15 s (docs/PROTOCOL.md#get-pubkey); provider calls and wake-up ticks run
 * on their own threads so that a slow provider never holds a request.
 */
public final class ConfiguredServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConfiguredServer.class);

    private final ExecutorTaskScheduler scheduler;
    private final ExecutorService providerCalls;
    private final ExecutorService wakes;
    private final InstanceProvider provider;
    private final Autoscaler engine;
    private final Router router;
    private final ApiServer http;
    private final ServerConfig config;
    /** Present with {@code store: {postgres: ...}}: the shared store and the leader lease. */
    private final Replication replication;
    private volatile dev.autoscaler.ShutdownSummary shutdownSummary;

    private ConfiguredServer(ServerConfig config, DecisionLog decisionLog) {
        this.config = config;
        AutoscalerHttpServer.configureJdkServer();
        // replicas compare each other's times (a report written by one, checked for silence by the
        // leader): the monotonic times must share an origin across machines
        Clock clock = config.postgres().isPresent() ? Clock.systemAnchored() : Clock.system();
        InstanceProviderFactory factory = InstanceProviderFactories.load().require(config.providerName());
        TicketFormats.Builder ticketKeys = TicketFormats.builder();
        createStateDir(config.stateDir()); // before the keys: by default they live in it
        config.rsaKeyFile().ifPresent(ticketKeys::rsaKeyFile);
        config.ed25519KeyFile().ifPresent(ticketKeys::ed25519KeyFile);
        TicketFormats tickets = ticketKeys.build();
        // The admin API's changes outlive the process: once it has saved the endpoint set, that set is
        // the truth and the config file's endpoints only seeded it (a corrupt state file stops the start).
        try {
            Files.createDirectories(config.stateDir()); // now rather than at the first admin change
        } catch (IOException e) {
            throw new InvalidConfigException("state_dir", "cannot create " + config.stateDir() + ": " + e);
        }
        this.replication = config.postgres().map(Replication::new).orElse(null);
        EndpointConfigStore endpointStore = replication != null ? replication.store()
                : new FileEndpointConfigStore(config.stateDir(), new EndpointConfigJson());
        String savedWhere = replication != null ? "the PostgreSQL store"
                : ((FileEndpointConfigStore) endpointStore).file().toString();
        List<EndpointConfig> endpoints = endpointStore.load().map(saved -> {
            log.warn("endpoints from {} ({}), as the admin API left them; the config file's endpoints are not used "
                    + "(delete that file to start from them again)", savedWhere, saved.size());
            return saved;
        }).orElse(config.endpoints());
        for (EndpointConfig e : endpoints) {
            tickets.signer(e.ticketFormat()); // an unknown ticket_format fails here, before anything runs
        }
        InstanceProvider created = factory.create(config.providerSettings(), new ProviderContext(clock, config.publicUrl()));
        this.provider = replication != null ? replication.fenced(created) : created;
        this.scheduler = new ExecutorTaskScheduler("autoscaler-control");
        this.providerCalls = Executors.newFixedThreadPool(4, daemon("autoscaler-provider"));
        this.wakes = Executors.newSingleThreadExecutor(daemon("autoscaler-wake"));
        // With replicas, the control loop runs on the leader only, under its lease's epoch (Replication)
        TaskScheduler control = replication != null
                ? replication.leaderOnly(scheduler, () -> refreshAddresses()) : scheduler;
        Executor calls = replication != null ? replication.carryingFence(providerCalls) : providerCalls;
        Autoscaler.Builder b = Autoscaler.builder().clock(clock).scheduler(control).provider(provider)
                .secret(config.engineSecret()).owner(config.owner()).publicUrl(config.publicUrl())
                .tickInterval(config.tickInterval()).syncInterval(config.syncInterval()).providerExecutor(calls)
                .workerUrlHosts(config.workerUrlHosts())
                .orphans(config.orphans(), config.orphanGrace())
                .storagePriceFraction(config.spendCap().storagePriceFraction());
        config.spendCap().maxCostPerHour().ifPresent(b::maxCostPerHour);
        endpoints.forEach(b::endpoint);
        if (replication != null) {
            b.stateStore(replication.engineStore()).trafficTap(replication.trafficTap());
        }
        this.engine = b.build();
        if (replication != null) {
            replication.shareTraffic(engine);
        }
        this.router = Router.builder(engine).tickets(tickets).strategy(config.routingStrategy())
                .wakeExecutor(replication != null ? replication.leaderOnly(wakes) : wakes).build();
        router.scheduleSweeps(scheduler, Duration.ofSeconds(1));
        // attached before start, so that adopted workers are counted from their adoption
        HardwareComparison comparison = HardwareComparison.attach(engine);
        engine.addListener(decisionLog);
        AutoscalerApi.Builder api = AutoscalerApi.builder(router).apiKeys(config.apiKeys()).tickets(tickets)
                .maxBodyBytes(config.maxBodyBytes()).dashboard(config.dashboard()).comparison(comparison)
                .decisions(DecisionHistory.attach(engine)).timeline(EndpointTimeline.attach(engine))
                .adminKey(config.adminKey().orElse(null)).defaultTicketFormat(config.defaultTicketFormat())
                .endpointStore(endpointStore);
        if (config.metrics()) {
            serveMetrics(engine, api);
        }
        if (replication != null) {
            api.controlLoopHere(replication::isLeader);
            api.get(REPLICA, request -> ApiResponse.json(200, replicaJson().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        config.ed25519Rotation().ifPresent(every -> scheduler.scheduleAtFixedRate(() -> {
            try {
                tickets.ed25519KeyRing().rotate();
            } catch (RuntimeException e) {
                log.error("scheduled Ed25519 key rotation failed; the keys stay as they are", e);
            }
        }, every, every));
        this.http = ApiServers.start(config.httpServer(), api.build(),
                new InetSocketAddress(config.listenHost(), config.listenPort()), config.httpOptions());
        if (replication == null) {
            engine.start();
        } else {
            // the leader adopts and ticks; every replica follows the endpoint set the admin API saved
            replication.start(fence -> control.schedule(this::takeOver, Duration.ZERO));
            scheduler.scheduleAtFixedRate(this::followSavedEndpoints, config.postgres().get().refreshInterval(),
                    config.postgres().get().refreshInterval());
            // followers check the URLs workers report against the provider's addresses too: a list now and then
            scheduler.scheduleAtFixedRate(() -> {
                if (!replication.isLeader()) {
                    refreshAddresses();
                }
            }, Duration.ZERO, config.syncInterval());
        }
        log.info("serving {} endpoint(s) with provider {} at {} (public {})", endpoints.size(),
                config.providerName(), http.baseUrl(), config.publicUrl());
    }

    /** With replicas: this replica's name, whether it leads, its epoch, and how many mutations were refused. */
    public static final String REPLICA = "/replica";

    /** A new term: the first starts the engine (adopting the fleet), later ones list the provider again first. */
    private void takeOver() {
        if (engine.running()) {
            engine.syncWithProviders();
        } else {
            engine.start();
        }
        // A worker still creating with no instance after the list was the previous leader's create that
        // never reached the provider (or whose instance the list has not shown yet: the next sync adopts
        // that one by its label). Left, it would hold a place in its group for ever.
        if (engine.hasListedProviders()) {
            for (dev.autoscaler.WorkerRecord w : engine.stateStore().allWorkers()) {
                if (w.state() == dev.autoscaler.WorkerState.CREATING && w.instanceId().isEmpty()) {
                    log.info("worker {} was being created by the previous leader and has no instance; dropped", w.workerId());
                    engine.stateStore().removeWorker(w.workerId());
                }
            }
        }
    }

    private void refreshAddresses() {
        Autoscaler e = engine;
        if (e != null) {
            e.refreshInstanceAddresses();
        }
    }

    private void followSavedEndpoints() {
        try {
            replication.store().load().ifPresent(saved -> dev.autoscaler.core.AutoscalerAdmin.follow(engine, saved));
        } catch (RuntimeException e) {
            log.warn("cannot reload the endpoint set from the store: {}", e.getMessage());
        }
    }

    private String replicaJson() {
        return "{\"replica_id\":\"" + replication.replicaId().replace("\\", "\\\\").replace("\"", "\\\"")
                + "\",\"leader\":" + replication.isLeader() + ",\"epoch\":" + replication.epoch()
                + ",\"refused\":" + replication.refused() + ",\"stale_ticks_skipped\":" + replication.staleTicksSkipped() + "}";
    }

    /** Where the Prometheus text exposition is served (no key, like the dashboard; {@code metrics: false} turns it off). */
    public static final String METRICS = "/metrics";
    public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    /**
     * Puts the engine's metrics ({@link AutoscalerMetrics}) in a Prometheus registry and serves its
     * text exposition at {@value #METRICS} on {@code api}. Call before {@code engine.start()}.
     */
    public static void serveMetrics(Autoscaler engine, AutoscalerApi.Builder api) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AutoscalerMetrics.attach(engine, registry);
        api.get(METRICS, request -> ApiResponse.text(200, PROMETHEUS_TEXT, registry.scrape()));
    }

    /** Builds everything and starts serving; decisions are logged as text at INFO. */
    public static ConfiguredServer start(ServerConfig config) {
        return start(config, DecisionLog.standard(DecisionLog.Format.TEXT));
    }

    /** Builds everything and starts serving, with decisions logged by {@code decisionLog}. */
    public static ConfiguredServer start(ServerConfig config, DecisionLog decisionLog) {
        return new ConfiguredServer(config, decisionLog);
    }

    public Autoscaler engine() {
        return engine;
    }

    /** What the shutdown left, once {@link #close()} has run; empty before. */
    public java.util.Optional<dev.autoscaler.ShutdownSummary> shutdownSummary() {
        return java.util.Optional.ofNullable(shutdownSummary);
    }

    public Router router() {
        return router;
    }

    /** {@return {@code http://host:port} of the HTTP surface} */
    public String baseUrl() {
        return http.baseUrl();
    }

    /**
     * Stops serving and the loops, then does what {@code shutdown} says with the instances (keep, the
     * default: left as they are, for the next start to adopt; stop; destroy), within
     * {@code shutdown_timeout}, and logs a summary of what it left. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (shutdownSummary != null) {
            return;
        }
        http.close();
        shutdownSummary = engine.shutdown(config.shutdown(), config.shutdownTimeout(), dev.autoscaler.Sleeper.system());
        scheduler.close();
        wakes.shutdownNow();
        providerCalls.shutdownNow();
        provider.close();
        if (replication != null) {
            replication.close();
        }
    }

    /** The state directory, made when missing, readable by its owner only (it holds private keys). */
    private static void createStateDir(java.nio.file.Path dir) {
        try {
            if (!java.nio.file.Files.isDirectory(dir)) {
                java.nio.file.Files.createDirectories(dir);
                try {
                    java.nio.file.Files.setPosixFilePermissions(dir,
                            java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
                } catch (UnsupportedOperationException notPosix) {
                    // the file system has no POSIX permissions: the key files themselves are still written privately
                }
                log.info("created state directory {} (keys kept across restarts)", dir.toAbsolutePath());
            }
        } catch (java.io.IOException e) {
            throw new dev.autoscaler.InvalidConfigException("state_dir", dir + ": cannot create it: " + e.getMessage());
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
