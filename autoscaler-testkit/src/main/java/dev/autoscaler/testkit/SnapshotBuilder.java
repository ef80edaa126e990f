package dev.autoscaler.testkit;

import dev.autoscaler.EndpointConfig;
import dev.autoscaler.EndpointSnapshot;
import dev.autoscaler.GroupSnapshot;
import dev.autoscaler.GroupTarget;
import dev.autoscaler.LoadStats;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.WorkerIntent;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Builds the {@link EndpointSnapshot} a policy decides on, by named fields, for a policy's unit
 * tests:
 *
 * <pre>{@code
 * EndpointSnapshot snapshot = SnapshotBuilder.endpoint("llm")
 *         .config(c -> c.maxWorkers(6).targetUtil(0.8))
 *         .group("rtx4090", g -> g.perf(1000).serving(2).loadingForService(1).stopped(3))
 *         .arrivalRate(2500)                 // perf units/s, over both windows
 *         .waiting(400, 2)                   // work and requests waiting at the router
 *         .build();
 * }</pre>
 *
 * Defaults: Vast's endpoint defaults except {@code cold_workers}, which is 0 so that a test sees only
 * what it sets; no traffic ever (idle), figures fresh; a group's perf estimate 1,000 perf/s, its
 * current target its workers' counts as the engine takes them at start (active states, cold states);
 * without any group, one named {@code main}. Every worker reported at the snapshot's time, so the
 * figures are fresh unless {@link #stale()} says otherwise.
 */
public final class SnapshotBuilder {
    private final String name;
    private UnaryOperator<EndpointConfig.Builder> config = UnaryOperator.identity();
    private final List<GroupBuilder> groups = new ArrayList<>();
    private double arrivalRateShort;
    private double arrivalRateLong;
    private double servedRateShort;
    private double inFlight;
    private double waitingDemand;
    private int waitingRequests;
    private double queueTimeSeconds;
    private double secondsSinceLastRequest = Double.POSITIVE_INFINITY;
    private boolean fresh = true;
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private long nanoTime = 1_000_000_000_000L;

    private SnapshotBuilder(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /** A snapshot of the endpoint {@code name}. */
    public static SnapshotBuilder endpoint(String name) {
        return new SnapshotBuilder(name);
    }

    /** Changes the endpoint's config, e.g. {@code c -> c.maxWorkers(6).coldWorkers(2)}; changes add up. */
    public SnapshotBuilder config(UnaryOperator<EndpointConfig.Builder> change) {
        UnaryOperator<EndpointConfig.Builder> before = config;
        config = b -> change.apply(before.apply(b));
        return this;
    }

    /** A group with default settings, described by {@code group}, e.g. {@code g -> g.perf(2000).serving(3)}. */
    public SnapshotBuilder group(String groupName, UnaryOperator<GroupBuilder> group) {
        return group(WorkerGroupConfig.builder(groupName).build(), group);
    }

    /** A group of this config (weight, overflow, max_workers...), described by {@code group}. */
    public SnapshotBuilder group(WorkerGroupConfig groupConfig, UnaryOperator<GroupBuilder> group) {
        groups.add(group.apply(new GroupBuilder(groupConfig)));
        return this;
    }

    /** Work arriving, perf units/s, the same over the short and the long window; it arrived just now. */
    public SnapshotBuilder arrivalRate(double perSecond) {
        return arrivalRates(perSecond, perSecond);
    }

    /** Work arriving over the short window ({@code max(10 s, 60 s)}) and over the long one (300 s). */
    public SnapshotBuilder arrivalRates(double shortWindow, double longWindow) {
        this.arrivalRateShort = shortWindow;
        this.arrivalRateLong = longWindow;
        if (shortWindow > 0 || longWindow > 0) {
            secondsSinceLastRequest = 0;
        }
        return this;
    }

    /** Work served, perf units/s, over the short window. */
    public SnapshotBuilder servedRate(double perSecond) {
        this.servedRateShort = perSecond;
        return this;
    }

    /** Work in flight on the workers now. */
    public SnapshotBuilder inFlight(double work) {
        this.inFlight = work;
        return this;
    }

    /** {@code requests} requests waiting at the router for a worker, {@code work} perf units in all. */
    public SnapshotBuilder waiting(double work, int requests) {
        this.waitingDemand = work;
        this.waitingRequests = requests;
        if (requests > 0) {
            secondsSinceLastRequest = 0;
        }
        return this;
    }

    /** The observed queue time now. */
    public SnapshotBuilder queueTime(double seconds) {
        this.queueTimeSeconds = seconds;
        return this;
    }

    /** Seconds since work last arrived (infinite: never). */
    public SnapshotBuilder secondsSinceLastRequest(double seconds) {
        this.secondsSinceLastRequest = seconds;
        return this;
    }

    /** Figures not to be trusted: a ready worker has not reported for a while. A policy should not scale down. */
    public SnapshotBuilder stale() {
        this.fresh = false;
        return this;
    }

    /** The snapshot's wall time and monotonic time. */
    public SnapshotBuilder at(Instant wallTime, long monotonicNanos) {
        this.now = Objects.requireNonNull(wallTime, "wallTime");
        this.nanoTime = monotonicNanos;
        return this;
    }

    public EndpointSnapshot build() {
        List<GroupBuilder> built = groups.isEmpty() ? List.of(new GroupBuilder(WorkerGroupConfig.builder("main").build()))
                : groups;
        EndpointConfig.Builder b = EndpointConfig.builder(name).coldWorkers(0);
        b = config.apply(b);
        b.groups(built.stream().map(g -> g.config).toList());
        EndpointConfig endpointConfig = b.build();
        List<GroupSnapshot> snapshots = new ArrayList<>();
        for (GroupBuilder g : built) {
            snapshots.add(g.build(name, nanoTime));
        }
        LoadStats load = new LoadStats(arrivalRateShort, arrivalRateLong, servedRateShort, inFlight, waitingDemand,
                waitingRequests, queueTimeSeconds, secondsSinceLastRequest, fresh);
        return new EndpointSnapshot(endpointConfig, now, nanoTime, snapshots, load);
    }

    /** One group of the snapshot: its perf estimate, workers by what they are doing, spill-over. */
    public static final class GroupBuilder {
        private final WorkerGroupConfig config;
        private double perf = 1000;
        private final List<WorkerSpec> workers = new ArrayList<>();
        private double spillRateShort;
        private double spillRateLong;
        private GroupTarget currentTarget;

        private GroupBuilder(WorkerGroupConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        /** The perf to expect of a worker (the measured median, else {@code expected_perf}); 0: unknown. Default 1,000. */
        public GroupBuilder perf(double perfPerWorker) {
            this.perf = perfPerWorker;
            return this;
        }

        /** {@code count} ready workers that serve. */
        public GroupBuilder serving(int count) {
            return workers(WorkerState.READY, WorkerIntent.ACTIVE, count);
        }

        /** {@code count} workers loading to serve (state {@code loading}). */
        public GroupBuilder loadingForService(int count) {
            return workers(WorkerState.LOADING, WorkerIntent.ACTIVE, count);
        }

        /** {@code count} workers loading for the cold pool: they will be stopped once loaded. */
        public GroupBuilder loadingForPool(int count) {
            return workers(WorkerState.LOADING, WorkerIntent.COLD, count);
        }

        /** {@code count} busy workers a scale-down drains: stopped once idle. */
        public GroupBuilder drainingToStop(int count) {
            return workers(WorkerState.DRAINING, WorkerIntent.COLD, count);
        }

        /** {@code count} stopped workers: the cold pool. */
        public GroupBuilder stopped(int count) {
            return workers(WorkerState.STOPPED, WorkerIntent.COLD, count);
        }

        /** {@code count} workers in any state, rented for {@code intent}. */
        public GroupBuilder workers(WorkerState state, WorkerIntent intent, int count) {
            if (count < 0) {
                throw new IllegalArgumentException("count must be >= 0, got " + count);
            }
            for (int i = 0; i < count; i++) {
                workers.add(new WorkerSpec(state, intent));
            }
            return this;
        }

        /** Spill-over sent to this (overflow) group, perf units/s, over the short and the long window. */
        public GroupBuilder spill(double shortWindow, double longWindow) {
            this.spillRateShort = shortWindow;
            this.spillRateLong = longWindow;
            return this;
        }

        /** The target the engine works toward now; default: the workers' counts (active states, cold states). */
        public GroupBuilder currentTarget(int active, int cold) {
            this.currentTarget = new GroupTarget(active, cold);
            return this;
        }

        private GroupSnapshot build(String endpoint, long nanoTime) {
            List<WorkerRecord> records = new ArrayList<>();
            int active = 0;
            int cold = 0;
            for (WorkerSpec spec : workers) {
                String id = config.name() + "-" + records.size();
                boolean loaded = spec.state.isLoaded() || spec.state == WorkerState.DRAINING;
                records.add(WorkerRecord.builder(id, endpoint, config.name(), "test:" + endpoint + ":" + id, "mtoken-" + id)
                        .instanceId(Integer.toString(1000 + records.size()))
                        .state(spec.state).intent(spec.intent)
                        .maxPerf(loaded ? perf : 0).reliability(1)
                        .curLoad(spec.state == WorkerState.DRAINING ? perf : 0)
                        .createdAtNanos(nanoTime).stateSinceNanos(nanoTime)
                        .lastReportNanos(spec.state.isActive() ? nanoTime : WorkerRecord.NEVER)
                        .build());
                active += spec.state.isActive() ? 1 : 0;
                cold += spec.state.isCold() ? 1 : 0;
            }
            GroupTarget current = currentTarget != null ? currentTarget : new GroupTarget(active, cold);
            return new GroupSnapshot(config, records, perf, current, spillRateShort, spillRateLong);
        }
    }

    private record WorkerSpec(WorkerState state, WorkerIntent intent) {
    }
}
