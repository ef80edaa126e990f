package dev.autoscaler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The one rule that holds a decision to {@code max_workers}, the endpoint's and each group's. The
 * engine applies it to every policy's decision after the policy returns (a policy need not cap its
 * own answer, and should not: the engine's cap is the one that counts), and a policy's tests can
 * apply it to see what the engine will work toward.
 *
 * <ol>
 * <li>A group with a {@code max_workers} of its own is held to it: cold first (a stopped worker only
 *     saves a future boot; an active one serves now), then active. This runs first, so that the
 *     endpoint's room is shared among wishes each group can actually have: a capped primary's
 *     uncapped wish does not crowd an overflow group out.</li>
 * <li>The sum over groups is held to the endpoint's {@code max_workers}: cold targets are trimmed
 *     before active ones, and overflow groups give up workers before primary ones (the overflow group
 *     is the fallback), in this order: overflow cold, primary cold, overflow active, primary active.
 *     Within each step the group with the most of that kind gives up first, levelling the groups down
 *     together; on a tie the later group in config order gives up first. So {@code (4, 0) + (4, 0)}
 *     under a cap of 6 is {@code (3, 0) + (3, 0)}, not {@code (4, 0) + (2, 0)}.</li>
 * </ol>
 * Pure and deterministic; the result keeps the groups in the endpoint's config order.
 */
public final class WorkerCaps {
    private WorkerCaps() {
    }

    /**
     * A decision's targets after the caps.
     *
     * @param targets the capped targets, one per group that had one, in config order
     * @param groupNote what the groups' own caps changed, e.g. {@code "h100 2, canary 1"}; empty when nothing
     * @param endpointNote what the endpoint's cap changed, e.g. {@code "max_workers 6: 2 fewer active"};
     *                     empty when nothing
     */
    public record Capped(Map<String, GroupTarget> targets, String groupNote, String endpointNote) {
        public Capped {
            targets = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(targets));
        }

        /** True when a cap changed something. */
        public boolean changed() {
            return !groupNote.isEmpty() || !endpointNote.isEmpty();
        }

        /** One text for a decision's reason: {@code "group max_workers: h100 2; max_workers 6: 2 fewer active"}. */
        public String note() {
            String group = groupNote.isEmpty() ? "" : "group max_workers: " + groupNote;
            return group.isEmpty() ? endpointNote : endpointNote.isEmpty() ? group : group + "; " + endpointNote;
        }
    }

    /**
     * Holds {@code targets} to {@code config}'s caps. Targets of groups the endpoint does not have are
     * dropped; groups without a target are left out (they count for nothing).
     */
    public static Capped apply(EndpointConfig config, Map<String, GroupTarget> targets) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(targets, "targets");
        List<WorkerGroupConfig> groups = new ArrayList<>();
        for (WorkerGroupConfig group : config.groups()) {
            if (targets.containsKey(group.name())) {
                groups.add(group);
            }
        }
        int n = groups.size();
        int[] active = new int[n];
        int[] cold = new int[n];
        boolean[] overflow = new boolean[n];
        StringBuilder groupNote = new StringBuilder();
        for (int i = 0; i < n; i++) {
            WorkerGroupConfig group = groups.get(i);
            GroupTarget target = targets.get(group.name());
            if (group.maxWorkers().isPresent() && target.total() > group.maxWorkers().getAsInt()) {
                int cap = group.maxWorkers().getAsInt();
                target = target.cappedAt(cap);
                groupNote.append(groupNote.isEmpty() ? "" : ", ").append(group.name()).append(' ').append(cap);
            }
            active[i] = target.active();
            cold[i] = target.cold();
            overflow[i] = group.overflow();
        }
        String endpointNote = capTotal(config.maxWorkers(), overflow, active, cold);
        Map<String, GroupTarget> capped = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            capped.put(groups.get(i).name(), new GroupTarget(active[i], cold[i]));
        }
        return new Capped(capped, groupNote.toString(), endpointNote);
    }

    /** Trims the counts (one slot per group, config order) in place; returns the note, empty when they fit. */
    private static String capTotal(int maxWorkers, boolean[] overflow, int[] active, int[] cold) {
        long total = 0;
        for (int i = 0; i < active.length; i++) {
            total += (long) active[i] + cold[i];
        }
        long excess = total - maxWorkers;
        if (excess <= 0) {
            return "";
        }
        long coldTrimmed = trim(cold, overflow, true, excess);
        coldTrimmed += trim(cold, overflow, false, excess - coldTrimmed);
        long activeTrimmed = trim(active, overflow, true, excess - coldTrimmed);
        activeTrimmed += trim(active, overflow, false, excess - coldTrimmed - activeTrimmed);
        StringBuilder note = new StringBuilder("max_workers ").append(maxWorkers).append(": ");
        if (coldTrimmed > 0) {
            note.append(coldTrimmed).append(" fewer cold");
        }
        if (activeTrimmed > 0) {
            note.append(coldTrimmed > 0 ? ", " : "").append(activeTrimmed).append(" fewer active");
        }
        return note.toString();
    }

    /**
     * Removes up to {@code wanted} from the groups whose overflow flag is {@code ofOverflow}, always from
     * the largest: lowers the largest counts to the next level down, level by level, and splits the last
     * partial level among the tied groups, later groups first. At most one round per group.
     */
    private static long trim(int[] counts, boolean[] overflow, boolean ofOverflow, long wanted) {
        long trimmed = 0;
        while (trimmed < wanted) {
            int top = 0;
            for (int i = 0; i < counts.length; i++) {
                if (overflow[i] == ofOverflow) {
                    top = Math.max(top, counts[i]);
                }
            }
            if (top == 0) {
                break;
            }
            int next = 0;
            int tied = 0;
            for (int i = 0; i < counts.length; i++) {
                if (overflow[i] == ofOverflow) {
                    if (counts[i] == top) {
                        tied++;
                    } else {
                        next = Math.max(next, counts[i]);
                    }
                }
            }
            long left = wanted - trimmed;
            long level = (long) (top - next) * tied;
            if (level <= left) {
                lower(counts, overflow, ofOverflow, top, top - next, tied);
                trimmed += level;
            } else {
                int each = (int) (left / tied);
                int extra = (int) (left % tied);
                lower(counts, overflow, ofOverflow, top, each, tied);
                // the later groups in config order give the one more
                for (int i = counts.length - 1; i >= 0 && extra > 0; i--) {
                    if (overflow[i] == ofOverflow && counts[i] == top - each) {
                        counts[i]--;
                        extra--;
                    }
                }
                trimmed = wanted;
            }
        }
        return trimmed;
    }

    private static void lower(int[] counts, boolean[] overflow, boolean ofOverflow, int top, int by, int tied) {
        for (int i = 0; i < counts.length && tied > 0; i++) {
            if (overflow[i] == ofOverflow && counts[i] == top) {
                counts[i] -= by;
                tied--;
            }
        }
    }
}
