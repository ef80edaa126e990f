package dev.autoscaler.core.engine.internal;

import dev.autoscaler.EndpointConfig;
import dev.autoscaler.EndpointSnapshot;
import dev.autoscaler.GroupSnapshot;
import dev.autoscaler.GroupTarget;
import dev.autoscaler.LoadStats;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import dev.autoscaler.spi.RequestRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds the immutable {@link EndpointSnapshot} a policy decides on. */
final class SnapshotBuilder {
    private SnapshotBuilder() {
    }

    static EndpointSnapshot build(EndpointConfig config, List<WorkerRecord> workers, List<RequestRecord> requests,
                                  Map<String, GroupTarget> targets, Map<String, Double> rememberedPerf,
                                  LoadTracker tracker, Map<String, LoadTracker> spillTrackers, Instant now,
                                  long nanoTime) {
        List<GroupSnapshot> groups = new ArrayList<>(config.groups().size());
        for (WorkerGroupConfig group : config.groups()) {
            List<WorkerRecord> members = new ArrayList<>();
            for (WorkerRecord w : workers) {
                if (w.group().equals(group.name()) && w.state() != WorkerState.DESTROYED) {
                    members.add(w);
                }
            }
            double perf = medianPerf(members);
            if (perf > 0) {
                rememberedPerf.put(group.name(), perf);
            } else {
                perf = rememberedPerf.getOrDefault(group.name(), group.expectedPerf().orElse(0));
            }
            GroupTarget current = targets.getOrDefault(group.name(), countsOf(members));
            LoadTracker spill = spillTrackers.get(group.name());
            double spillShort = spill == null ? 0 : spill.shortArrivalRate(nanoTime);
            double spillLong = spill == null ? 0 : spill.arrivalRate(LoadStats.LONG_WINDOW_SECONDS, nanoTime);
            groups.add(new GroupSnapshot(group, members, perf, current, spillShort, spillLong));
        }
        // a ready worker silent past stale_after makes the figures stale: policies and the engine then scale nothing down
        return new EndpointSnapshot(config, now, nanoTime, groups, loadStats(workers, requests, tracker, nanoTime,
                config.staleAfter().toNanos() / 1e9));
    }

    static GroupTarget countsOf(List<WorkerRecord> members) {
        int active = 0;
        int cold = 0;
        for (WorkerRecord w : members) {
            if (w.state().isCold()) {
                cold++;
            } else if (w.state().isActive()) {
                active++;
            }
        }
        return new GroupTarget(active, cold);
    }

    static double medianPerf(List<WorkerRecord> members) {
        double[] perfs = new double[members.size()];
        int n = 0;
        for (WorkerRecord w : members) {
            double p = w.perf();
            if (p > 0) {
                perfs[n++] = p;
            }
        }
        if (n == 0) {
            return 0;
        }
        perfs = java.util.Arrays.copyOf(perfs, n);
        java.util.Arrays.sort(perfs);
        int mid = perfs.length / 2;
        return perfs.length % 2 == 1 ? perfs[mid] : (perfs[mid - 1] + perfs[mid]) / 2;
    }

    private static LoadStats loadStats(List<WorkerRecord> workers, List<RequestRecord> requests, LoadTracker tracker,
                                       long now, double staleAfterSeconds) {
        double inFlight = 0;
        double queueSum = 0;
        int ready = 0;
        boolean fresh = true;
        for (WorkerRecord w : workers) {
            if (w.state().isActive()) {
                inFlight += w.curLoad() + w.reservedLoad();
            }
            if (w.state() == WorkerState.READY) {
                ready++;
                queueSum += w.expectedQueueSeconds();
            }
            if (EndpointSnapshot.isStale(w, now, staleAfterSeconds)) {
                fresh = false;
            }
        }
        double waitingDemand = 0;
        int waiting = 0;
        long oldest = Long.MAX_VALUE;
        for (RequestRecord r : requests) {
            if (r.isWaiting()) {
                waiting++;
                waitingDemand += r.cost();
                oldest = Math.min(oldest, r.firstSeenNanos());
            }
        }
        double oldestWait = waiting == 0 ? 0 : (now - oldest) / 1e9;
        double meanQueue = ready == 0 ? 0 : queueSum / ready;
        double sinceLast = waiting > 0 ? 0 : tracker.secondsSinceLastArrival(now);
        return new LoadStats(tracker.shortArrivalRate(now), tracker.arrivalRate(LoadStats.LONG_WINDOW_SECONDS, now),
                tracker.servedRate(LoadStats.SHORT_WINDOW_SECONDS, now), inFlight, waitingDemand, waiting,
                Math.max(oldestWait, meanQueue), sinceLast, fresh,
                tracker.arrivalRate(LoadStats.BURST_WINDOW_SECONDS, now));
    }

}
