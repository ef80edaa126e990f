package dev.autoscaler.core.policy;

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
import java.util.function.UnaryOperator;

/**
 * Builds {@link EndpointSnapshot}s by hand for policy tests. Vast's defaults apply except
 * {@code cold_workers}, which starts at 0 so that a test sees only the parameter it sets; traffic
 * starts idle and fresh. Workers added with {@link #workers} join the last group added; without any
 * group, one named {@code main} with perf 1,000/s is added.
 */
final class SnapshotFixture {
    static final String ENDPOINT = "ep";

    private EndpointConfig.Builder config = EndpointConfig.builder(ENDPOINT).coldWorkers(0);
    private final List<GroupSpec> groups = new ArrayList<>();
    private double shortRate;
    private double longRate;
    private double waitingDemand;
    private int waitingRequests;
    private double queueTime;
    private double secondsSinceLastRequest = Double.POSITIVE_INFINITY;
    private boolean fresh = true;
    private double burstRate = Double.NaN;
    private double atSeconds;

    static SnapshotFixture endpoint() {
        return new SnapshotFixture();
    }

    /** Changes the endpoint config, e.g. {@code c -> c.targetUtil(0.5)}. */
    SnapshotFixture config(UnaryOperator<EndpointConfig.Builder> change) {
        config = change.apply(config);
        return this;
    }

    /** A group with default settings whose perf estimate is {@code perf} (0 = unknown). */
    SnapshotFixture group(String name, double perf) {
        return group(WorkerGroupConfig.builder(name).build(), perf);
    }

    SnapshotFixture group(WorkerGroupConfig group, double perf) {
        groups.add(new GroupSpec(group, perf));
        return this;
    }

    /** {@code count} workers in {@code state} in the last group added. */
    SnapshotFixture workers(WorkerState state, int count) {
        GroupSpec group = lastGroup();
        for (int i = 0; i < count; i++) {
            String id = group.config.name() + "-" + group.workers.size();
            group.workers.add(WorkerRecord.builder(id, ENDPOINT, group.config.name(), "autoscaler:" + id, "mtoken-" + id)
                    .state(state)
                    .intent(state.isCold() ? WorkerIntent.COLD : WorkerIntent.ACTIVE)
                    .maxPerf(state.isLoaded() ? group.perf : 0)
                    .build());
        }
        return this;
    }

    /** {@code count} workers a scale-down drains to stop (draining, intent cold) in the last group added. */
    SnapshotFixture drainingToStop(int count) {
        GroupSpec group = lastGroup();
        for (int i = 0; i < count; i++) {
            String id = group.config.name() + "-" + group.workers.size();
            group.workers.add(WorkerRecord.builder(id, ENDPOINT, group.config.name(), "autoscaler:" + id, "mtoken-" + id)
                    .state(WorkerState.DRAINING).intent(WorkerIntent.COLD).maxPerf(group.perf).curLoad(100).build());
        }
        return this;
    }

    /** {@code count} workers loading to join the cold pool (loading, intent cold) in the last group added. */
    SnapshotFixture loadingForPool(int count) {
        GroupSpec group = lastGroup();
        for (int i = 0; i < count; i++) {
            String id = group.config.name() + "-" + group.workers.size();
            group.workers.add(WorkerRecord.builder(id, ENDPOINT, group.config.name(), "autoscaler:" + id, "mtoken-" + id)
                    .state(WorkerState.LOADING).intent(WorkerIntent.COLD).build());
        }
        return this;
    }

    /** {@code count} ready workers of the last group added, each holding {@code load} of work (its cur_load). */
    SnapshotFixture readyHolding(int count, double load) {
        GroupSpec group = lastGroup();
        for (int i = 0; i < count; i++) {
            String id = group.config.name() + "-" + group.workers.size();
            group.workers.add(WorkerRecord.builder(id, ENDPOINT, group.config.name(), "autoscaler:" + id, "mtoken-" + id)
                    .state(WorkerState.READY).intent(WorkerIntent.ACTIVE).maxPerf(group.perf).curLoad(load).build());
        }
        return this;
    }

    /** {@code count} ready workers of the last group added, each with {@code requests} in flight. */
    SnapshotFixture readyWorking(int count, long requests) {
        GroupSpec group = lastGroup();
        for (int i = 0; i < count; i++) {
            String id = group.config.name() + "-" + group.workers.size();
            group.workers.add(WorkerRecord.builder(id, ENDPOINT, group.config.name(), "autoscaler:" + id, "mtoken-" + id)
                    .state(WorkerState.READY).intent(WorkerIntent.ACTIVE).maxPerf(group.perf)
                    .numRequestsWorking(requests).build());
        }
        return this;
    }

    /** The rate over the last 10 s alone (default: the short rate). */
    SnapshotFixture burst(double perSecond) {
        this.burstRate = perSecond;
        if (perSecond > 0) {
            this.secondsSinceLastRequest = 0;
        }
        return this;
    }

    /** The snapshot's monotonic time, seconds (default 0): stateful policies read time from it. */
    SnapshotFixture at(double seconds) {
        this.atSeconds = seconds;
        return this;
    }

    /** Spill-over rates of the last group added (meaningful for an overflow group). */
    SnapshotFixture spill(double shortWindow, double longWindow) {
        GroupSpec group = lastGroup();
        group.spillShort = shortWindow;
        group.spillLong = longWindow;
        return this;
    }

    /** The same arrival rate over both windows. */
    SnapshotFixture rate(double perSecond) {
        return rates(perSecond, perSecond);
    }

    SnapshotFixture rates(double shortWindow, double longWindow) {
        this.shortRate = shortWindow;
        this.longRate = longWindow;
        this.secondsSinceLastRequest = shortWindow > 0 || longWindow > 0 ? 0 : secondsSinceLastRequest;
        return this;
    }

    SnapshotFixture waiting(double demand, int requests) {
        this.waitingDemand = demand;
        this.waitingRequests = requests;
        return this;
    }

    SnapshotFixture queueTime(double seconds) {
        this.queueTime = seconds;
        return this;
    }

    SnapshotFixture secondsSinceLastRequest(double seconds) {
        this.secondsSinceLastRequest = seconds;
        return this;
    }

    SnapshotFixture stale() {
        this.fresh = false;
        return this;
    }

    EndpointSnapshot build() {
        if (groups.isEmpty()) {
            group("main", 1000);
        }
        EndpointConfig.Builder builder = config;
        builder.groups(groups.stream().map(g -> g.config).toList());
        EndpointConfig built = builder.build();
        List<GroupSnapshot> snapshots = groups.stream()
                .map(g -> new GroupSnapshot(g.config, g.workers, g.perf, new GroupTarget(
                        (int) g.workers.stream().filter(w -> w.state().isActive()).count(),
                        (int) g.workers.stream().filter(w -> w.state().isCold()).count()), g.spillShort, g.spillLong))
                .toList();
        LoadStats load = new LoadStats(shortRate, longRate, shortRate, 0, waitingDemand, waitingRequests, queueTime,
                secondsSinceLastRequest, fresh, Double.isNaN(burstRate) ? shortRate : burstRate);
        long nanos = Math.round(atSeconds * 1e9);
        return new EndpointSnapshot(built, Instant.parse("2026-01-01T00:00:00Z").plusNanos(nanos), nanos, snapshots,
                load);
    }

    private GroupSpec lastGroup() {
        if (groups.isEmpty()) {
            group("main", 1000);
        }
        return groups.get(groups.size() - 1);
    }

    private static final class GroupSpec {
        final WorkerGroupConfig config;
        final double perf;
        final List<WorkerRecord> workers = new ArrayList<>();
        double spillShort;
        double spillLong;

        GroupSpec(WorkerGroupConfig config, double perf) {
            this.config = config;
            this.perf = perf;
        }
    }
}
