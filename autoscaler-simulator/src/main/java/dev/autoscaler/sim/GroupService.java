package dev.autoscaler.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which worker group served what in a simulation: per group, the requests it served, their work,
 * and when its first and last service began. It is how a weighted rollout shows each group's share
 * and how an overflow group shows that it served only during spikes.
 */
public final class GroupService {
    private final Map<String, Tally> groups = new LinkedHashMap<>();

    /** Groups in config order, so that a group that served nothing still shows. */
    GroupService(List<String> groupNames) {
        for (String name : groupNames) {
            groups.put(name, new Tally());
        }
    }

    void served(String group, double cost, long startNanos) {
        Tally t = groups.computeIfAbsent(group, g -> new Tally());
        t.requests++;
        t.work += cost;
        double start = startNanos / 1e9;
        t.firstStart = Math.min(t.firstStart, start);
        t.lastStart = Math.max(t.lastStart, start);
    }

    /** Per group, in config order. */
    public List<GroupServed> groups() {
        int total = 0;
        for (Tally t : groups.values()) {
            total += t.requests;
        }
        List<GroupServed> out = new ArrayList<>(groups.size());
        for (Map.Entry<String, Tally> e : groups.entrySet()) {
            Tally t = e.getValue();
            out.add(new GroupServed(e.getKey(), t.requests, t.work, total == 0 ? 0 : (double) t.requests / total,
                    t.requests == 0 ? Double.NaN : t.firstStart, t.requests == 0 ? Double.NaN : t.lastStart));
        }
        return out;
    }

    /** One group's figures, or an exception naming the group when there is none of that name. */
    public GroupServed group(String name) {
        return groups().stream().filter(g -> g.group().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no group named '" + name + "'"));
    }

    /** A JSON array, one object per group, fixed decimals: the same run prints the same bytes. */
    public String toJson() {
        StringBuilder b = new StringBuilder("[");
        for (GroupServed g : groups()) {
            if (b.length() > 1) {
                b.append(',');
            }
            b.append("{\"group\":\"").append(g.group()).append("\",\"served\":").append(g.requests())
                    .append(",\"served_work\":").append(fmt(g.work(), 1))
                    .append(",\"served_share\":").append(fmt(g.share(), 4))
                    .append(",\"first_start_s\":").append(g.requests() == 0 ? "null" : fmt(g.firstStartSeconds(), 3))
                    .append(",\"last_start_s\":").append(g.requests() == 0 ? "null" : fmt(g.lastStartSeconds(), 3))
                    .append('}');
        }
        return b.append(']').toString();
    }

    /** A table for people. */
    public String toTable() {
        StringBuilder b = new StringBuilder("served by group\n");
        b.append(String.format(Locale.ROOT, "  %-12s %9s %8s %14s %22s%n", "group", "served", "share", "work",
                "service began (s)"));
        for (GroupServed g : groups()) {
            String span = g.requests() == 0 ? "-"
                    : fmt(g.firstStartSeconds(), 1) + " .. " + fmt(g.lastStartSeconds(), 1);
            b.append(String.format(Locale.ROOT, "  %-12s %9d %7s%% %14s %22s%n", g.group(), g.requests(),
                    fmt(100 * g.share(), 2), fmt(g.work(), 0), span));
        }
        return b.toString();
    }

    private static String fmt(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /**
     * One group's service.
     *
     * @param requests          requests whose service completed on its workers
     * @param work              their cost, perf units
     * @param share             its share of every served request, 0..1
     * @param firstStartSeconds when its first service began, s from the start (NaN when none)
     * @param lastStartSeconds  when its last service began (NaN when none)
     */
    public record GroupServed(String group, int requests, double work, double share, double firstStartSeconds,
                              double lastStartSeconds) {
    }

    private static final class Tally {
        int requests;
        double work;
        double firstStart = Double.POSITIVE_INFINITY;
        double lastStart = Double.NEGATIVE_INFINITY;
    }
}
