package dev.autoscaler.core.policy;

import dev.autoscaler.GroupTarget;
import dev.autoscaler.WorkerGroupConfig;
import java.util.List;

/**
 * Holds a decision to {@code max_workers} over all groups: trims cold workers first (a stopped
 * worker only saves a future boot; an active one serves now), then active ones. Overflow groups give
 * up workers before primary ones; within each, the group with the most of that kind gives up first
 * (levelling them down together), and on a tie the later group in config order, so the trim spreads
 * over groups and is deterministic.
 *
 * <p>A group's own {@code max_workers} is applied first ({@link #applyGroupCaps}), so that the
 * endpoint's room is shared out among wishes each group can actually have: a capped primary's
 * uncapped wish does not crowd the overflow group out.
 */
final class MaxWorkersCap {
    private MaxWorkersCap() {
    }

    /**
     * Holds each group with a {@code max_workers} of its own to it, cold first, then active, in place
     * (one slot per group, in config order).
     *
     * @return the clamped groups, for the reason ({@code "group max_workers: fast 1"}); empty when none was
     */
    static String applyGroupCaps(List<WorkerGroupConfig> groups, int[] active, int[] cold) {
        StringBuilder note = new StringBuilder();
        for (int i = 0; i < active.length; i++) {
            WorkerGroupConfig group = groups.get(i);
            if (group.maxWorkers().isEmpty() || (long) active[i] + cold[i] <= group.maxWorkers().getAsInt()) {
                continue;
            }
            int cap = group.maxWorkers().getAsInt();
            GroupTarget capped = new GroupTarget(active[i], cold[i]).cappedAt(cap);
            active[i] = capped.active();
            cold[i] = capped.cold();
            note.append(note.isEmpty() ? "group max_workers: " : ", ").append(group.name()).append(' ').append(cap);
        }
        return note.toString();
    }

    /**
     * Trims {@code active} and {@code cold} (one slot per group, in config order) in place.
     *
     * @param overflow which groups are overflow groups
     * @return what was trimmed, for the reason; empty when the decision fit
     */
    static String apply(int maxWorkers, List<Boolean> overflow, int[] active, int[] cold) {
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
        StringBuilder note = new StringBuilder("max_workers ").append(maxWorkers).append(" -> ");
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
    private static long trim(int[] counts, List<Boolean> overflow, boolean ofOverflow, long wanted) {
        long trimmed = 0;
        while (trimmed < wanted) {
            int top = 0;
            for (int i = 0; i < counts.length; i++) {
                if (overflow.get(i) == ofOverflow) {
                    top = Math.max(top, counts[i]);
                }
            }
            if (top == 0) {
                break;
            }
            int next = 0;
            int tied = 0;
            for (int i = 0; i < counts.length; i++) {
                if (overflow.get(i) == ofOverflow) {
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
                    if (overflow.get(i) == ofOverflow && counts[i] == top - each) {
                        counts[i]--;
                        extra--;
                    }
                }
                trimmed = wanted;
            }
        }
        return trimmed;
    }

    private static void lower(int[] counts, List<Boolean> overflow, boolean ofOverflow, int top, int by, int tied) {
        for (int i = 0; i < counts.length && tied > 0; i++) {
            if (overflow.get(i) == ofOverflow && counts[i] == top) {
                counts[i] -= by;
                tied--;
            }
        }
    }
}
