package dev.autoscaler.sim;

import dev.autoscaler.EndpointConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * The comparison bench: every workload x every seed x every policy, plus the perfect-foresight
 * reference ({@link ForesightPolicy}) on each workload and seed, then the means per workload and
 * policy. Each run is one {@link Simulation} with the endpoint created {@code warmUpSeconds} before
 * the first request and played on for {@code coolDownSeconds} after the last, both billed. Runs share
 * nothing, so any number of threads gives the same bytes.
 */
public final class BenchSuite {
    private BenchSuite() {
    }

    /** A named workload, generated per seed (a trace is the same for every seed; its world is not). */
    public record NamedWorkload(String name, LongFunction<Workload> forSeed) {
        public NamedWorkload {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(forSeed, "forSeed");
        }
    }

    /**
     * The means of one policy (or the reference) on one workload over the seeds.
     *
     * @param costVsOracle mean cost / the reference's mean cost (NaN when the reference cost nothing)
     */
    public record Row(String workload, String policy, double costUsd, double sloViolationFraction, double flaps,
                      double queueTimeP99, double costVsOracle) {
    }

    /** What the bench measured: the mean rows (per workload: the policies in order, then the reference) and every run. */
    public record Result(List<Row> rows, List<String> runs, List<Long> seeds, double warmUpSeconds,
                         double coolDownSeconds) {
        public Result {
            rows = List.copyOf(rows);
            runs = List.copyOf(runs);
            seeds = List.copyOf(seeds);
        }

        /** A Markdown table of the means, ready to quote. */
        public String toTable() {
            StringBuilder b = new StringBuilder(2048);
            b.append("bench: means of ").append(seeds.size()).append(" seed").append(seeds.size() == 1 ? "" : "s")
                    .append(" (").append(seedText()).append("), warm-up ").append(SimulationReport.fmt(warmUpSeconds, 0))
                    .append(" s, cool-down ").append(SimulationReport.fmt(coolDownSeconds, 0)).append(" s; ")
                    .append(ForesightPolicy.NAME).append(" = the perfect-foresight reference (not a bound)\n\n");
            b.append("| workload | policy | cost $ | SLO violations | flaps | queue p99 s | cost / oracle |\n");
            b.append("|---|---|---:|---:|---:|---:|---:|\n");
            String last = null;
            for (Row r : rows) {
                b.append("| ").append(r.workload().equals(last) ? "" : r.workload()).append(" | ").append(r.policy())
                        .append(" | ").append(SimulationReport.fmt(r.costUsd(), 3))
                        .append(" | ").append(SimulationReport.fmt(100 * r.sloViolationFraction(), 2)).append("%")
                        .append(" | ").append(SimulationReport.fmt(r.flaps(), 1))
                        .append(" | ").append(SimulationReport.fmt(r.queueTimeP99(), 1))
                        .append(" | ").append(Double.isNaN(r.costVsOracle()) ? "-"
                                : SimulationReport.fmt(r.costVsOracle(), 2) + "x")
                        .append(" |\n");
                last = r.workload();
            }
            return b.toString();
        }

        /** One JSON document: the settings, the mean rows, then every run's figures (reference included). */
        public String toJson() {
            StringBuilder b = new StringBuilder(16384).append('{');
            b.append("\"seeds\":").append(seeds.toString().replace(" ", ""));
            b.append(",\"warm_up_s\":").append(SimulationReport.fmt(warmUpSeconds, 3));
            b.append(",\"cool_down_s\":").append(SimulationReport.fmt(coolDownSeconds, 3));
            b.append(",\"means\":[");
            for (int i = 0; i < rows.size(); i++) {
                Row r = rows.get(i);
                b.append(i == 0 ? "" : ",").append("{\"workload\":\"").append(r.workload()).append("\",\"policy\":\"")
                        .append(r.policy()).append("\",\"cost_usd\":").append(SimulationReport.fmt(r.costUsd(), 4))
                        .append(",\"slo_violation_fraction\":").append(SimulationReport.fmt(r.sloViolationFraction(), 6))
                        .append(",\"flaps\":").append(SimulationReport.fmt(r.flaps(), 2))
                        .append(",\"queue_time_p99_s\":").append(SimulationReport.fmt(r.queueTimeP99(), 3))
                        .append(",\"cost_vs_oracle\":").append(Double.isNaN(r.costVsOracle()) ? "null"
                                : SimulationReport.fmt(r.costVsOracle(), 4))
                        .append('}');
            }
            b.append("],\"runs\":[").append(String.join(",", runs)).append("]}");
            return b.toString();
        }

        private String seedText() {
            if (seeds.size() > 1 && seeds.get(seeds.size() - 1) - seeds.get(0) == seeds.size() - 1) {
                return seeds.get(0) + "-" + seeds.get(seeds.size() - 1);
            }
            return String.join(", ", seeds.stream().map(String::valueOf).toList());
        }
    }

    /**
     * Runs the suite.
     *
     * @param workloads       what to play
     * @param policies        the policy names, in the order of the rows
     * @param endpoints       the endpoint of each policy's runs
     * @param seeds           the seeds; each workload is played once per seed and policy
     * @param warmUpSeconds   how long the endpoint exists before each workload's first request
     * @param coolDownSeconds how long each run goes on after the last request
     * @param threads         runs at once (1: one after the other; the result is the same)
     */
    public static Result run(List<NamedWorkload> workloads, List<String> policies,
                             Function<String, EndpointConfig> endpoints, List<Long> seeds, double warmUpSeconds,
                             double coolDownSeconds, int threads) {
        List<Callable<SimulationReport>> tasks = new ArrayList<>();
        List<SimulationConfig> configs = new ArrayList<>();
        for (NamedWorkload nw : workloads) {
            for (long seed : seeds) {
                Workload w = nw.forSeed().apply(seed).startingAt(warmUpSeconds);
                SimulationConfig base = SimulationConfig.of(endpoints.apply(policies.get(0)), w, seed)
                        .withTailSeconds(coolDownSeconds);
                configs.add(base);
                for (String policy : policies) {
                    SimulationConfig c = base.withEndpoint(endpoints.apply(policy));
                    tasks.add(() -> Simulation.builder(c).build().run());
                }
                tasks.add(() -> PolicyComparison.runOracle(base));
            }
        }
        List<SimulationReport> reports = PolicyComparison.runAll(tasks, threads);

        List<Row> rows = new ArrayList<>();
        List<String> runs = new ArrayList<>();
        int perSeed = policies.size() + 1;
        int at = 0;
        for (NamedWorkload nw : workloads) {
            double[][] sums = new double[perSeed][4];
            for (int s = 0; s < seeds.size(); s++) {
                SimulationReport oracle = reports.get(at + policies.size());
                for (int p = 0; p < perSeed; p++) {
                    SimulationReport r = reports.get(at + p);
                    sums[p][0] += r.costUsd();
                    sums[p][1] += r.sloViolationFraction();
                    sums[p][2] += r.flaps();
                    sums[p][3] += r.queueTimeP99();
                    String json = PolicyComparison.withOracle(r.toJson(), oracle, r);
                    runs.add("{\"bench_workload\":\"" + nw.name() + "\"," + json.substring(1));
                }
                at += perSeed;
            }
            int n = seeds.size();
            double oracleCost = sums[policies.size()][0] / n;
            for (int p = 0; p < perSeed; p++) {
                String name = p < policies.size() ? policies.get(p) : ForesightPolicy.NAME;
                rows.add(new Row(nw.name(), name, sums[p][0] / n, sums[p][1] / n, sums[p][2] / n, sums[p][3] / n,
                        PolicyComparison.ratio(sums[p][0] / n, oracleCost)));
            }
        }
        return new Result(rows, runs, seeds, warmUpSeconds, coolDownSeconds);
    }

    /** The scenarios as bench workloads, named by their wire names. */
    public static List<NamedWorkload> scenarios() {
        List<NamedWorkload> out = new ArrayList<>();
        for (Scenario s : Scenario.values()) {
            out.add(new NamedWorkload(s.name().toLowerCase(Locale.ROOT), s::generate));
        }
        return out;
    }
}
