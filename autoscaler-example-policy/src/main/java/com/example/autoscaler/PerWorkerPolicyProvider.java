package com.example.autoscaler;

import dev.autoscaler.GroupSnapshot;
import dev.autoscaler.GroupTarget;
import dev.autoscaler.LoadStats;
import dev.autoscaler.ScalingDecision;
import dev.autoscaler.Settings;
import dev.autoscaler.WholeWorkers;
import dev.autoscaler.spi.ScalingPolicy;
import dev.autoscaler.spi.ScalingPolicyProvider;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** One active worker per {@code per_worker} perf units/s of work arriving or waiting, in each group. */
public final class PerWorkerPolicyProvider implements ScalingPolicyProvider {
    public String name() { return "per-worker"; }
    public String description() { return "one active worker per per_worker perf units/s of load (default 1000)"; }

    public ScalingPolicy create(Settings params) {
        params.rejectUnknown("the per-worker policy", Set.of("per_worker"));    // a typo is an error
        double perWorker = params.getDoubleAtLeast("per_worker", 1000, 1);     // errors name policy_params.per_worker
        return snapshot -> {
            LoadStats load = snapshot.load();
            int wanted = WholeWorkers.forCapacity(load.arrivalRateShort() + load.waitingDemand(), perWorker);
            wanted = Math.max(wanted, load.waitingRequests() > 0 ? 1 : 0);  // free requests need a worker too
            Map<String, GroupTarget> targets = new LinkedHashMap<>();
            for (GroupSnapshot g : snapshot.groups()) {
                int serving = (int) (g.servingCount() + g.loadingForServiceCount());
                // stale figures read as no load: never scale down on them; max_workers is the engine's
                targets.put(g.name(), new GroupTarget(load.fresh() ? wanted : Math.max(wanted, serving), 0));
            }
            return ScalingDecision.of(targets, "load / " + perWorker + " -> " + wanted + " active");
        };
    }
}
