package dev.autoscaler.sim;

import dev.autoscaler.EndpointConfig;
import dev.autoscaler.InvalidConfigException;
import dev.autoscaler.WorkerGroupConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything a {@link Simulation} needs besides the policy: the endpoint (one, with its groups and
 * policy name), the world, the workload, the seed and the clients' behaviour.
 *
 * @param endpoint         the endpoint under test
 * @param world            the simulated market and workers
 * @param workload         the requests to play
 * @param seed             the seed of every random draw (world, engine); the same seed gives the same run
 * @param tickInterval     the engine's control tick
 * @param syncInterval     the engine's provider sync
 * @param repollSeconds    how often a waiting client re-polls {@code /route/}
 * @param dropAfterSeconds how long a client waits for a worker before it gives up (a drop)
 * @param tailSeconds      how long to go on after the last arrival, at least (default 0: stop once the
 *                         last request is served or dropped)
 * @param maxDrainSeconds  a safety net: stop this long after the last arrival even with requests left
 */
public record SimulationConfig(EndpointConfig endpoint, WorldModel world, Workload workload, long seed,
                               Duration tickInterval, Duration syncInterval, double repollSeconds,
                               double dropAfterSeconds, double tailSeconds, double maxDrainSeconds) {

    /** The endpoint's name in {@link #defaultEndpoint(String)}. */
    public static final String ENDPOINT = "sim";
    /** The group's name in {@link #defaultEndpoint(String)}. */
    public static final String GROUP = "gpus";
    /**
     * The {@code expected_perf} hint of {@link #defaultEndpoint(String)}: the perf of the offer the
     * default world rents (the best perf per dollar, 2,000 perf/s), so that a policy can size its
     * first scale-up from zero before any worker has benchmarked.
     */
    public static final double EXPECTED_PERF = 2000;

    public SimulationConfig {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(world, "world");
        Objects.requireNonNull(workload, "workload");
        if (endpoint.groups().isEmpty()) {
            throw new InvalidConfigException("groups", "the simulated endpoint needs at least one worker group");
        }
        positive("tick_interval", tickInterval);
        positive("sync_interval", syncInterval);
        positive("repoll_seconds", repollSeconds);
        positive("drop_after_seconds", dropAfterSeconds);
        if (!(tailSeconds >= 0) || !Double.isFinite(tailSeconds)) {
            throw new InvalidConfigException("tail_seconds", "must be >= 0, got " + tailSeconds);
        }
        positive("max_drain_seconds", maxDrainSeconds);
    }

    /**
     * The defaults: DESIGN.md's world, the engine's 5 s tick and 60 s sync, clients that re-poll every
     * second and give up after 120 s.
     */
    public static SimulationConfig of(EndpointConfig endpoint, Workload workload, long seed) {
        return new SimulationConfig(endpoint, WorldModel.defaults(), workload, seed, Duration.ofSeconds(5),
                Duration.ofSeconds(60), 1, 120, 0, 3600);
    }

    /**
     * The endpoint {@code ./autoscaler simulate} uses: {@value #ENDPOINT}, Vast's defaults, the given
     * policy, and one group {@value #GROUP} with {@code expected_perf} {@value #EXPECTED_PERF}.
     */
    public static EndpointConfig defaultEndpoint(String policy) {
        return EndpointConfig.builder(ENDPOINT).policy(policy)
                .addGroup(WorkerGroupConfig.builder(GROUP).expectedPerf(EXPECTED_PERF).build())
                .build();
    }

    /**
     * The endpoint {@code ./autoscaler simulate --compare} uses to compare hardware: {@value #ENDPOINT},
     * Vast's defaults, the given policy, and one group per GPU offer of the world, equal weights, each
     * limited to its GPU type by {@code search_params} {@code gpu_name=NAME} (spaces as underscores) with
     * the offer's perf as {@code expected_perf}. A group is named after its GPU: lower case, runs of
     * other characters as {@code -} ({@code RTX 4090} gives {@code rtx-4090}).
     */
    public static EndpointConfig compareEndpoint(String policy, WorldModel world) {
        EndpointConfig.Builder b = EndpointConfig.builder(ENDPOINT).policy(policy);
        for (GpuOffer offer : world.offers()) {
            b.addGroup(WorkerGroupConfig.builder(groupNameFor(offer.gpuName()))
                    .searchParams("gpu_name=" + offer.gpuName().replace(' ', '_'))
                    .expectedPerf(offer.perf()).build());
        }
        return b.build();
    }

    /** The groups of {@link #rolloutEndpoint(String)}: the current version and the one rolled out. */
    public static final String STABLE = "stable";
    public static final String CANARY = "canary";
    /** The groups of {@link #overflowEndpoint(String)}. */
    public static final String FAST = "fast";
    public static final String CHEAP = "cheap";
    /** The {@code max_workers} of group {@link #FAST} in {@link #overflowEndpoint(String)}: a scarce GPU type. */
    public static final int FAST_CAP = 1;

    /**
     * A 90/10 rollout, {@code ./autoscaler simulate --rollout}: {@value #ENDPOINT}, Vast's defaults, the
     * given policy, and two primary groups on the default GPU ({@code expected_perf}
     * {@value #EXPECTED_PERF}): {@value #STABLE} with weight 90 and {@value #CANARY} with weight 10.
     */
    public static EndpointConfig rolloutEndpoint(String policy) {
        return EndpointConfig.builder(ENDPOINT).policy(policy)
                .addGroup(WorkerGroupConfig.builder(STABLE).weight(90).expectedPerf(EXPECTED_PERF).build())
                .addGroup(WorkerGroupConfig.builder(CANARY).weight(10).expectedPerf(EXPECTED_PERF).build())
                .build();
    }

    /**
     * An overflow group under spikes, {@code ./autoscaler simulate --overflow}: {@value #ENDPOINT},
     * Vast's defaults, the given policy; the primary group {@value #FAST} on the expensive fast GPU
     * ({@code gpu_name=H100_SXM}, 3,500 perf/s), held at {@value #FAST_CAP} worker by its own
     * {@code max_workers} (a scarce GPU type), and the overflow group {@value #CHEAP} on the cheap one
     * ({@code gpu_name=RTX_4090}, 2,000 perf/s), with no cold floor so that it rents nothing until
     * work spills over. The endpoint's {@code max_workers} is Vast's default.
     */
    public static EndpointConfig overflowEndpoint(String policy) {
        return EndpointConfig.builder(ENDPOINT).policy(policy)
                .addGroup(WorkerGroupConfig.builder(FAST).maxWorkers(FAST_CAP).searchParams("gpu_name=H100_SXM")
                        .expectedPerf(3500.0).build())
                .addGroup(WorkerGroupConfig.builder(CHEAP).overflow(true).coldWorkers(0)
                        .searchParams("gpu_name=RTX_4090").expectedPerf(EXPECTED_PERF).build())
                .build();
    }

    static String groupNameFor(String gpuName) {
        String name = gpuName.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
                .replaceAll("^-|-$", "");
        return name.isEmpty() ? "gpu" : name;
    }

    public SimulationConfig withWorld(WorldModel w) {
        return new SimulationConfig(endpoint, w, workload, seed, tickInterval, syncInterval, repollSeconds,
                dropAfterSeconds, tailSeconds, maxDrainSeconds);
    }

    private static void positive(String field, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new InvalidConfigException(field, "must be a positive duration, got " + d);
        }
    }

    private static void positive(String field, double v) {
        if (!(v > 0) || !Double.isFinite(v)) {
            throw new InvalidConfigException(field, "must be > 0, got " + v);
        }
    }
}
