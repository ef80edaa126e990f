package dev.autoscaler.examples.cli;

import dev.autoscaler.EndpointConfig;
import dev.autoscaler.PluginNotFoundException;
import dev.autoscaler.core.compare.ComparisonReport;
import dev.autoscaler.core.policy.ScalingPolicies;
import dev.autoscaler.sim.GroupService;
import dev.autoscaler.sim.RollingUpdateSimulation;
import dev.autoscaler.sim.Scenario;
import dev.autoscaler.sim.Simulation;
import dev.autoscaler.sim.SimulationConfig;
import dev.autoscaler.sim.SimulationReport;
import dev.autoscaler.sim.TraceCost;
import dev.autoscaler.sim.TraceReader;
import dev.autoscaler.sim.Workload;
import dev.autoscaler.sim.WorldModel;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * {@code autoscaler simulate}: a trace or a synthetic scenario played against the engine on a
 * simulated GPU market ({@link Simulation}), with one endpoint of one group, Vast's defaults, the
 * chosen policy and an {@code expected_perf} of 2,000 perf/s (the perf of the offer the simulated
 * market rents; {@link SimulationConfig#defaultEndpoint}), or several groups: one per GPU type
 * ({@code --compare}), a 90/10 rollout ({@code --rollout}) or an overflow group under spikes
 * ({@code --overflow}). With {@code --rolling-update}, the group's template changes halfway through
 * the workload and the run also reports the rolling update ({@link RollingUpdateSimulation}). Prints
 * a table, or one JSON object with {@code --json}; the same arguments print the same bytes.
 */
final class SimulateCommand implements Main.Command {
    /** The trace bundled in the jar, usable by name with {@code --trace}. */
    static final String BUNDLED_TRACE = "azure-llm-2023-conv";
    /** With {@code --rolling-update}, the template changes at this fraction of the workload's duration. */
    static final double ROLLING_UPDATE_AT = 0.5;

    /** A parsed command line. */
    record Options(String trace, Scenario scenario, String policy, long seed, double timeScale, TraceCost cost,
                   boolean json, boolean compare, boolean rollout, boolean overflow, boolean rollingUpdate) {
    }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) {
        Options o = parse(args);
        try {
            ScalingPolicies.load().require(o.policy());
        } catch (PluginNotFoundException e) {
            throw new UsageException("--policy: " + e.getMessage());
        }
        Workload workload = workload(o).timeScaled(o.timeScale());
        EndpointConfig endpoint;
        if (o.compare()) {
            endpoint = SimulationConfig.compareEndpoint(o.policy(), WorldModel.defaults());
        } else if (o.rollout()) {
            endpoint = SimulationConfig.rolloutEndpoint(o.policy());
        } else if (o.overflow()) {
            endpoint = SimulationConfig.overflowEndpoint(o.policy());
        } else {
            endpoint = SimulationConfig.defaultEndpoint(o.policy());
        }
        SimulationConfig config = SimulationConfig.of(endpoint, workload, o.seed());
        if (o.rollingUpdate()) {
            RollingUpdateSimulation.Result result = RollingUpdateSimulation.run(config, ROLLING_UPDATE_AT);
            if (o.json()) {
                String json = result.report().toJson();
                out.println(json.substring(0, json.length() - 1) + ",\"rolling_update\":"
                        + result.rollingUpdate().toJson() + "}");
            } else {
                out.print(result.report().toTable());
                out.println();
                out.print(result.rollingUpdate().toTable());
            }
            return 0;
        }
        Simulation simulation = Simulation.builder(config).build();
        SimulationReport report = simulation.run();
        ComparisonReport comparison = o.compare() ? simulation.comparison() : null;
        GroupService groups = o.rollout() || o.overflow() ? simulation.groupService() : null;
        if (o.json()) {
            String json = comparison == null ? report.toJson() : withComparison(report.toJson(), comparison);
            out.println(groups == null ? json : json.substring(0, json.length() - 1) + ",\"groups\":" + groups.toJson()
                    + "}");
        } else {
            out.print(report.toTable());
            if (comparison != null) {
                out.println();
                out.print(comparison.toTable());
            }
            if (groups != null) {
                out.println();
                out.print(groups.toTable());
            }
        }
        return 0;
    }

    /** DESIGN.md's keys first, then the comparison under {@code "comparison"}. */
    static String withComparison(String reportJson, ComparisonReport comparison) {
        return reportJson.substring(0, reportJson.length() - 1) + ",\"comparison\":" + comparison.toJson() + "}";
    }

    static Options parse(String[] args) {
        String trace = null;
        Scenario scenario = null;
        String policy = "vast";
        long seed = 1;
        double timeScale = 1;
        TraceCost cost = null;
        boolean json = false;
        boolean compare = false;
        boolean rollout = false;
        boolean overflow = false;
        boolean rollingUpdate = false;
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (!option.startsWith("--")) {
                throw new UsageException("unexpected argument '" + option + "'");
            }
            if (!seen.add(option)) {
                throw new UsageException(option + " is given twice");
            }
            switch (option) {
                case "--json" -> json = true;
                case "--compare" -> compare = true;
                case "--rollout" -> rollout = true;
                case "--overflow" -> overflow = true;
                case "--rolling-update" -> rollingUpdate = true;
                case "--trace" -> trace = value(args, ++i, option);
                case "--scenario" -> {
                    String name = value(args, ++i, option);
                    scenario = switch (name.toLowerCase(Locale.ROOT)) {
                        case "step" -> Scenario.STEP;
                        case "spike" -> Scenario.SPIKE;
                        case "diurnal" -> Scenario.DIURNAL;
                        case "sparse" -> Scenario.SPARSE;
                        default -> throw new UsageException("--scenario must be one of step, spike, diurnal, sparse; got '"
                                + name + "'");
                    };
                }
                case "--policy" -> policy = value(args, ++i, option);
                case "--seed" -> {
                    String raw = value(args, ++i, option);
                    try {
                        seed = Long.parseLong(raw);
                    } catch (NumberFormatException e) {
                        throw new UsageException("--seed must be an integer, got '" + raw + "'");
                    }
                }
                case "--time-scale" -> {
                    String raw = value(args, ++i, option);
                    try {
                        timeScale = Double.parseDouble(raw);
                    } catch (NumberFormatException e) {
                        timeScale = Double.NaN;
                    }
                    if (!(timeScale > 0) || Double.isInfinite(timeScale)) {
                        throw new UsageException("--time-scale must be a positive number, got '" + raw + "'");
                    }
                }
                case "--cost" -> {
                    String raw = value(args, ++i, option);
                    try {
                        cost = TraceCost.fromWireName(raw);
                    } catch (RuntimeException e) {
                        throw new UsageException("--cost must be one of total, context, generated; got '" + raw + "'");
                    }
                }
                default -> throw new UsageException("unknown option '" + option + "'");
            }
        }
        if ((trace == null) == (scenario == null)) {
            throw new UsageException("give exactly one of --trace FILE and --scenario NAME");
        }
        if ((compare ? 1 : 0) + (rollout ? 1 : 0) + (overflow ? 1 : 0) + (rollingUpdate ? 1 : 0) > 1) {
            throw new UsageException("give at most one of --compare, --rollout, --overflow and --rolling-update");
        }
        if (cost != null && trace == null) {
            throw new UsageException("--cost applies to --trace only");
        }
        return new Options(trace, scenario, policy, seed, timeScale, cost == null ? TraceCost.TOTAL : cost, json,
                compare, rollout, overflow, rollingUpdate);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new UsageException(option + " needs a value");
        }
        return args[i];
    }

    static Workload workload(Options o) {
        if (o.scenario() != null) {
            return o.scenario().generate(o.seed());
        }
        TraceReader reader = new TraceReader(o.cost());
        Path path = Path.of(o.trace());
        if (Files.isRegularFile(path)) {
            return reader.read(path);
        }
        String name = o.trace().endsWith(".csv") ? o.trace().substring(0, o.trace().length() - 4) : o.trace();
        if (name.equals(BUNDLED_TRACE)) {
            InputStream in = SimulateCommand.class.getResourceAsStream("/traces/" + BUNDLED_TRACE + ".csv");
            if (in != null) {
                return reader.read(in, BUNDLED_TRACE + ".csv");
            }
        }
        throw new UsageException("--trace: no such file '" + o.trace() + "' (bundled: " + BUNDLED_TRACE + ")");
    }

    @Override
    public String usage() {
        return """
                  simulate (--trace FILE | --scenario NAME) [--policy NAME] [--seed N] [--time-scale X] [--cost MODEL] [--compare | --rollout | --overflow | --rolling-update] [--json]
                      play a trace or a synthetic load against the engine on a simulated GPU market
                      --trace FILE      a CSV trace: TIMESTAMP,ContextTokens,GeneratedTokens; the bundled
                                        Azure LLM trace (CC-BY 4.0) is named azure-llm-2023-conv
                      --scenario NAME   step     1 req/s 10 min, 6 req/s 20 min, 1 req/s 20 min, idle 10 min
                                        spike    1.5 req/s for 60 min, 12 req/s from minute 20 to 25
                                        diurnal  0.3 req/s up to 8 req/s at minute 60 and back, 120 min
                                        sparse   2-minute bursts of 2 req/s every 30 min, 90 min
                      --policy NAME     the scaling policy (default vast; see 'autoscaler policies')
                      --seed N          the seed of every random draw (default 1)
                      --time-scale X    arrival times are multiplied by X: 0.5 plays twice as fast (default 1)
                      --cost MODEL      a trace request's cost: total (context + generated tokens, the
                                        default), context or generated
                      --compare         two groups, one per GPU type (rtx-4090: gpu_name=RTX_4090, h100-sxm:
                                        gpu_name=H100_SXM), equal weights; also prints the hardware comparison
                                        (groups ranked by served work per dollar, the best named; under
                                        "comparison" with --json)
                      --rollout         a 90/10 rollout: groups stable (weight 90) and canary (weight 10) on
                                        the default GPU; also prints what each group served and its share
                                        (under "groups" with --json)
                      --overflow        an overflow group under spikes: primary group fast on the H100 SXM,
                                        held at 1 worker (a scarce GPU), overflow group cheap on the RTX 4090,
                                        scaled on spill-over alone; also prints what each group served and
                                        when its service began (under "groups" with --json); try it with
                                        --scenario spike
                      --rolling-update  the group's template changes halfway through the workload: its workers
                                        roll over (surge, then drain); also prints the update (drained
                                        workers, requests routed to draining ones, failed requests, lowest
                                        routable count vs the target; under "rolling_update" with --json)
                      --json            one JSON object instead of a table
                      the endpoint: one group, Vast's defaults, expected_perf 2000; the market rents
                      2,000 perf/s GPUs at $0.40/h (and 3,500 at $0.90/h)
                """;
    }
}
