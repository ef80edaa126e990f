package dev.autoscaler.examples.cli;

import dev.autoscaler.EndpointConfig;
import dev.autoscaler.core.policy.ScalingPolicies;
import dev.autoscaler.sim.BenchSuite;
import dev.autoscaler.sim.Scenario;
import dev.autoscaler.sim.SimulationConfig;
import dev.autoscaler.sim.TraceCost;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code autoscaler bench}: the comparison suite ({@link BenchSuite}): the bundled trace and the four
 * scenarios, seeds 1 to N, every policy on the class path (or {@code --policies}), each with the
 * perfect-foresight reference, on the default endpoint ({@code --param} as for {@code simulate});
 * prints the table of means (Markdown), or one JSON document with {@code --json}. The same arguments
 * print the same bytes, whatever {@code --threads}.
 */
final class BenchCommand implements Main.Command {
    /** The workloads of the suite, by name, in the order of the table. */
    static final List<String> WORKLOADS = List.of(SimulateCommand.BUNDLED_TRACE, "step", "spike", "diurnal", "sparse");
    static final int DEFAULT_SEEDS = 5;

    /** A parsed command line. */
    record Options(List<String> policies, List<String> workloads, int seeds, double warmUp, double coolDown,
                   List<EndpointParams.Param> params, int threads, boolean json) {
    }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) {
        Options o = parse(args);
        List<String> policies = o.policies() != null ? o.policies() : everyPolicy();
        EndpointConfig base = SimulationConfig.defaultEndpoint(policies.get(0));
        List<EndpointConfig> endpoints = SimulateCommand.endpointsFor(base, policies, new EndpointParams(o.params()));
        Map<String, EndpointConfig> byPolicy = new LinkedHashMap<>();
        for (int i = 0; i < policies.size(); i++) {
            byPolicy.put(policies.get(i), endpoints.get(i));
        }
        List<BenchSuite.NamedWorkload> workloads = new ArrayList<>();
        for (String name : o.workloads()) {
            workloads.add(workload(name));
        }
        List<Long> seeds = new ArrayList<>();
        for (long s = 1; s <= o.seeds(); s++) {
            seeds.add(s);
        }
        BenchSuite.Result result = BenchSuite.run(workloads, policies, byPolicy::get, seeds, o.warmUp(), o.coolDown(),
                o.threads());
        out.print(o.json() ? result.toJson() + "\n" : result.toTable());
        return 0;
    }

    /** Every policy on the class path: the default ({@code vast}) first, the others by name. */
    static List<String> everyPolicy() {
        List<String> names = new ArrayList<>(ScalingPolicies.load().names().stream().sorted().toList());
        if (names.remove(EndpointConfig.DEFAULT_POLICY)) {
            names.add(0, EndpointConfig.DEFAULT_POLICY);
        }
        return names;
    }

    private static BenchSuite.NamedWorkload workload(String name) {
        if (name.equals(SimulateCommand.BUNDLED_TRACE)) {
            SimulateCommand.Options trace = new SimulateCommand.Options(name, null, null, 1, 1, TraceCost.TOTAL, false,
                    false, false, false, false, 0, 0, List.of(), null, null, null);
            var w = SimulateCommand.workload(trace);
            return new BenchSuite.NamedWorkload(name, seed -> w);
        }
        Scenario s = Scenario.fromWireName(name);
        return new BenchSuite.NamedWorkload(s.wireName(), s::generate);
    }

    static Options parse(String[] args) {
        List<String> policies = null;
        List<String> workloads = WORKLOADS;
        int seeds = DEFAULT_SEEDS;
        double warmUp = SimulateCommand.DEFAULT_WARM_UP;
        double coolDown = SimulateCommand.DEFAULT_COOL_DOWN;
        List<EndpointParams.Param> params = new ArrayList<>();
        int threads = SimulateCommand.THREADS;
        boolean json = false;
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (!option.startsWith("--")) {
                throw new UsageException("unexpected argument '" + option + "'");
            }
            if (!option.equals("--param") && !seen.add(option)) {
                throw new UsageException(option + " is given twice");
            }
            switch (option) {
                case "--json" -> json = true;
                case "--policies" -> policies = SimulateCommand.policyList(value(args, ++i, option));
                case "--workloads" -> workloads = workloadList(value(args, ++i, option));
                case "--seeds" -> seeds = positiveInt(value(args, ++i, option), option);
                case "--threads" -> threads = positiveInt(value(args, ++i, option), option);
                case "--warm-up" -> warmUp = SimulateCommand.seconds(value(args, ++i, option), option);
                case "--cool-down" -> coolDown = SimulateCommand.seconds(value(args, ++i, option), option);
                case "--param" -> params.add(EndpointParams.parse(value(args, ++i, option)));
                default -> throw new UsageException("unknown option '" + option + "'");
            }
        }
        return new Options(policies, workloads, seeds, warmUp, coolDown, params, threads, json);
    }

    private static List<String> workloadList(String raw) {
        List<String> names = new ArrayList<>();
        for (String part : raw.split(",", -1)) {
            String name = part.trim();
            if (!WORKLOADS.contains(name)) {
                throw new UsageException("--workloads must name some of " + String.join(", ", WORKLOADS) + "; got '"
                        + name + "'");
            }
            if (names.contains(name)) {
                throw new UsageException("--workloads names '" + name + "' twice");
            }
            names.add(name);
        }
        return names;
    }

    private static int positiveInt(String raw, String option) {
        try {
            int v = Integer.parseInt(raw);
            if (v >= 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new UsageException(option + " must be a whole number >= 1, got '" + raw + "'");
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new UsageException(option + " needs a value");
        }
        return args[i];
    }

    @Override
    public String usage() {
        return """
                  bench [--policies A,B,...] [--workloads W,...] [--seeds N] [--warm-up S] [--cool-down S] [--param KEY=VALUE]... [--threads N] [--json]
                      the comparison suite: the bundled trace and the step, spike, diurnal and sparse scenarios,
                      seeds 1..N, every policy, each with the perfect-foresight reference (oracle) on the same
                      world; prints the means (cost, SLO violations, flaps, queue p99, cost / oracle) as a
                      Markdown table, or one JSON document (means and every run) with --json
                      --policies A,B    the policies (default: every policy on the class path)
                      --workloads W,... some of azure-llm-2023-conv, step, spike, diurnal, sparse (default all)
                      --seeds N         seeds 1 to N (default 5)
                      --warm-up S       as for simulate (default 600)
                      --cool-down S     as for simulate (default 600)
                      --param K=V       as for simulate, for every run
                      --threads N       runs at once (default: the cores, at most 2); the output is the same
                      --json            one JSON document instead of the table
                """;
    }
}
