package dev.autoscaler.core.router.internal;

import dev.autoscaler.EndpointConfig;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.WorkerRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Narrows the eligible workers to one group, honouring the groups' {@code overflow} and
 * {@code weight}: overflow groups get traffic only when no primary group has room; among the
 * groups with room, one is drawn with probability proportional to its weight (all equal when every
 * weight is 0). With a single group nothing is drawn, so routing stays deterministic.
 */
public final class GroupPicker {
    private GroupPicker() {
    }

    public static List<WorkerRecord> narrow(EndpointConfig config, List<WorkerRecord> eligible, RandomGenerator random) {
        Map<String, List<WorkerRecord>> primary = new LinkedHashMap<>();
        Map<String, List<WorkerRecord>> overflow = new LinkedHashMap<>();
        for (WorkerRecord w : eligible) {
            WorkerGroupConfig group = config.group(w.group()).orElse(null);
            if (group == null) {
                continue;
            }
            (group.overflow() ? overflow : primary).computeIfAbsent(group.name(), g -> new ArrayList<>()).add(w);
        }
        Map<String, List<WorkerRecord>> pool = primary.isEmpty() ? overflow : primary;
        if (pool.isEmpty()) {
            return List.of();
        }
        if (pool.size() == 1) {
            return pool.values().iterator().next();
        }
        double total = 0;
        for (String name : pool.keySet()) {
            total += config.group(name).map(WorkerGroupConfig::weight).orElse(0.0);
        }
        if (total <= 0) {
            List<List<WorkerRecord>> groups = new ArrayList<>(pool.values());
            return groups.get(random.nextInt(groups.size()));
        }
        double draw = random.nextDouble() * total;
        List<WorkerRecord> last = null;
        for (Map.Entry<String, List<WorkerRecord>> e : pool.entrySet()) {
            double weight = config.group(e.getKey()).map(WorkerGroupConfig::weight).orElse(0.0);
            if (weight <= 0) {
                continue;
            }
            last = e.getValue();
            draw -= weight;
            if (draw < 0) {
                return e.getValue();
            }
        }
        return last;
    }
}
