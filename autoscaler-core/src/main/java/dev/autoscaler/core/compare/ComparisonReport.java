package dev.autoscaler.core.compare;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * An endpoint's hardware comparison at one instant: its groups and its GPU types, each list ranked
 * best first by {@value #RANKED_BY} (served work per dollar, highest first; ties by name). Entries
 * that cost nothing or served nothing cannot be ranked and come last, by name. The best group is
 * the first ranked one; there is none until some group has both cost and served.
 *
 * @param endpoint the endpoint
 * @param at       when it was taken, on the engine's clock
 * @param groups   per worker group, ranked
 * @param gpuTypes per GPU type, ranked
 */
public record ComparisonReport(String endpoint, Instant at, List<HardwareFigures> groups,
                               List<HardwareFigures> gpuTypes) {

    /** The ranking key, also its JSON field. */
    public static final String RANKED_BY = "served_work_per_dollar";

    private static final Comparator<HardwareFigures> RANKING = Comparator
            .comparing((HardwareFigures f) -> !f.isRankable())
            .thenComparing(f -> f.isRankable() ? -f.servedWorkPerDollar() : 0)
            .thenComparing(HardwareFigures::name);

    public ComparisonReport {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(at, "at");
        groups = List.copyOf(groups);
        gpuTypes = List.copyOf(gpuTypes);
    }

    /** Sorts the entries into ranking order. */
    public static ComparisonReport ranked(String endpoint, Instant at, List<HardwareFigures> groups,
                                          List<HardwareFigures> gpuTypes) {
        return new ComparisonReport(endpoint, at, sorted(groups), sorted(gpuTypes));
    }

    private static List<HardwareFigures> sorted(List<HardwareFigures> figures) {
        List<HardwareFigures> copy = new ArrayList<>(figures);
        copy.sort(RANKING);
        return copy;
    }

    /** {@return the group with the most served work per dollar, if any could be ranked} */
    public Optional<String> bestGroup() {
        return best(groups);
    }

    /** {@return the GPU type with the most served work per dollar, if any could be ranked} */
    public Optional<String> bestGpuType() {
        return best(gpuTypes);
    }

    private static Optional<String> best(List<HardwareFigures> ranked) {
        return ranked.isEmpty() || !ranked.get(0).isRankable() ? Optional.empty() : Optional.of(ranked.get(0).name());
    }

    /**
     * One JSON object on one line, fixed keys and decimals, so a run prints the same bytes:
     * {@code endpoint}, {@code at}, {@code ranked_by}, {@code best_group}, {@code best_gpu_type} (null
     * when none), {@code groups} and {@code gpu_types} (arrays in rank order, each entry with
     * {@code rank}, {@code name}, {@code rankable} and the figures; undefined figures are null).
     */
    public String toJson() {
        StringBuilder b = new StringBuilder(2048).append('{');
        Json.field(b, "endpoint").append(Json.quote(endpoint));
        Json.field(b, "at").append(Json.quote(at.toString()));
        Json.field(b, "ranked_by").append(Json.quote(RANKED_BY));
        Json.field(b, "best_group").append(bestGroup().map(Json::quote).orElse("null"));
        Json.field(b, "best_gpu_type").append(bestGpuType().map(Json::quote).orElse("null"));
        Json.field(b, "groups");
        array(b, groups);
        Json.field(b, "gpu_types");
        array(b, gpuTypes);
        return b.append('}').toString();
    }

    private static void array(StringBuilder b, List<HardwareFigures> list) {
        b.append('[');
        for (int i = 0; i < list.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            HardwareFigures f = list.get(i);
            b.append('{');
            Json.field(b, "rank").append(i + 1);
            Json.field(b, "name").append(Json.quote(f.name()));
            Json.field(b, "rankable").append(f.isRankable());
            Json.field(b, "workers").append(f.workers());
            Json.field(b, "served_work").append(Json.num(f.servedWork(), 1));
            Json.field(b, "cost_usd").append(Json.num(f.costUsd(), 6));
            Json.field(b, RANKED_BY).append(Json.num(f.servedWorkPerDollar(), 1));
            Json.field(b, "max_perf");
            distribution(b, f.maxPerf(), true);
            Json.field(b, "cold_start_s");
            distribution(b, f.coldStartSeconds(), false);
            Json.field(b, "resume_s");
            distribution(b, f.resumeSeconds(), false);
            Json.field(b, "errors").append(f.errors());
            Json.field(b, "errors_per_worker_hour").append(Json.num(f.errorsPerWorkerHour(), 4));
            Json.field(b, "ready_hours").append(Json.num(f.readyHours(), 4));
            Json.field(b, "billed_hours").append(Json.num(f.billedHours(), 4));
            Json.field(b, "utilization").append(Json.num(f.utilization(), 4));
            b.append('}');
        }
        b.append(']');
    }

    /** max_perf: median and spread (min, p10, p90, max); boot times: p50 and p95. */
    private static void distribution(StringBuilder b, Distribution d, boolean spread) {
        b.append('{');
        Json.field(b, "count").append(d.count());
        if (spread) {
            Json.field(b, "min").append(Json.num(d.min(), 1));
            Json.field(b, "p10").append(Json.num(d.p10(), 1));
            Json.field(b, "median").append(Json.num(d.p50(), 1));
            Json.field(b, "p90").append(Json.num(d.p90(), 1));
            Json.field(b, "max").append(Json.num(d.max(), 1));
        } else {
            Json.field(b, "p50").append(Json.num(d.p50(), 3));
            Json.field(b, "p95").append(Json.num(d.p95(), 3));
        }
        b.append('}');
    }

    /** {@return a table for people: one row per group, best first, then one per GPU type, and the best named} */
    public String toTable() {
        StringBuilder b = new StringBuilder(1024);
        b.append("hardware comparison of ").append(endpoint).append(", ranked by served work per dollar\n");
        table(b, "group", groups);
        table(b, "GPU type", gpuTypes);
        b.append("  best group: ").append(bestGroup().orElse("none yet (no group has both cost and served work)"))
                .append('\n');
        bestGpuType().ifPresent(g -> b.append("  best GPU type: ").append(g).append('\n'));
        return b.toString();
    }

    private static void table(StringBuilder b, String kind, List<HardwareFigures> list) {
        b.append(String.format(Locale.ROOT, "  %-4s %-14s %7s %12s %9s %12s %22s %18s %15s %8s %6s%n", "rank", kind,
                "workers", "work/$", "cost $", "served work", "max_perf p50 [p10-p90]", "cold start p50/p95",
                "resume p50/p95", "err/w-h", "util"));
        for (int i = 0; i < list.size(); i++) {
            HardwareFigures f = list.get(i);
            Distribution p = f.maxPerf();
            b.append(String.format(Locale.ROOT, "  %-4s %-14s %7d %12s %9s %12s %22s %18s %15s %8s %6s%n",
                    f.isRankable() ? Integer.toString(i + 1) : "-", f.name(), f.workers(),
                    text(f.servedWorkPerDollar(), 0), text(f.costUsd(), 4), text(f.servedWork(), 0),
                    p.isEmpty() ? "-" : text(p.p50(), 0) + " [" + text(p.p10(), 0) + "-" + text(p.p90(), 0) + "]",
                    pair(f.coldStartSeconds()), pair(f.resumeSeconds()), text(f.errorsPerWorkerHour(), 3),
                    f.utilization() >= 0 ? text(100 * f.utilization(), 1) + "%" : "-"));
        }
    }

    private static String pair(Distribution d) {
        return d.isEmpty() ? "-" : text(d.p50(), 1) + "/" + text(d.p95(), 1) + " s";
    }

    private static String text(double v, int decimals) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + decimals + "f", v) : "-";
    }

    /** Fixed-decimal JSON pieces; NaN and infinities are null. */
    private static final class Json {
        static StringBuilder field(StringBuilder b, String key) {
            char last = b.charAt(b.length() - 1);
            if (last != '{' && last != '[') {
                b.append(',');
            }
            return b.append(quote(key)).append(':');
        }

        static String num(double v, int decimals) {
            return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + decimals + "f", v) : "null";
        }

        static String quote(String s) {
            StringBuilder b = new StringBuilder(s.length() + 2).append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '"' || c == '\\') {
                    b.append('\\').append(c);
                } else if (c < 0x20) {
                    b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                } else {
                    b.append(c);
                }
            }
            return b.append('"').toString();
        }
    }
}
