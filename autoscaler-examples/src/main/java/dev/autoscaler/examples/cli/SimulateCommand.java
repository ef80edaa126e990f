package dev.autoscaler.examples.cli;

import dev.autoscaler.EndpointConfig;
import dev.autoscaler.InvalidConfigException;
import dev.autoscaler.PluginNotFoundException;
import dev.autoscaler.core.compare.ComparisonReport;
import dev.autoscaler.core.policy.ScalingPolicies;
import dev.autoscaler.sim.GroupService;
import dev.autoscaler.sim.PolicyComparison;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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
                   boolean json, boolean compare, boolean rollout, boolean overflow, boolean rollingUpdate,
                   double warmUp, double coolDown, List<EndpointParams.Param> params, String config, String endpoint,
                   List<String> policies) {
        /** The policies to play: {@code --policies}, else {@code --policy}, else the config's, else vast. */
        List<String> policiesToRun(EndpointConfig base) {
            if (policies != null) {
                return policies;
            }
            return List.of(policy != null ? policy : base.policy());
        }
    }

    /** Default of {@code --warm-up}: the endpoint exists 10 minutes before the first request. */
    static final double DEFAULT_WARM_UP = 600;
    /** Default of {@code --cool-down}: the run goes on 10 minutes after the last request, costed. */
    static final double DEFAULT_COOL_DOWN = 600;

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) {
        Options o = parse(args);
        EndpointConfig base = baseEndpoint(o);
        EndpointParams params = new EndpointParams(o.params());
        List<String> policies = o.policiesToRun(base);
        List<EndpointConfig> endpoints = endpointsFor(base, policies, params);
        Workload workload = workload(o).timeScaled(o.timeScale()).startingAt(o.warmUp());
        SimulationConfig config = SimulationConfig.of(endpoints.get(0), workload, o.seed()).withTailSeconds(o.coolDown());
        if (o.config() != null) {
            config = config.withTickInterval(configTick(o));
        }
        if (o.policies() != null) {
            PolicyComparison.Result result = PolicyComparison.run(config, policies,
                    name -> endpoints.get(policies.indexOf(name)), THREADS);
            out.print(o.json() ? result.toJson(o.warmUp(), o.coolDown()) + "\n"
                    : result.toTable(o.warmUp(), o.coolDown()));
            return 0;
        }
        SimulationReport oracle = PolicyComparison.runOracle(config);
        if (o.rollingUpdate()) {
            RollingUpdateSimulation.Result result = RollingUpdateSimulation.run(config, ROLLING_UPDATE_AT);
            if (o.json()) {
                String json = result.report().toJson();
                json = json.substring(0, json.length() - 1) + ",\"rolling_update\":" + result.rollingUpdate().toJson() + "}";
                out.println(PolicyComparison.withOracle(json, oracle, result.report()));
            } else {
                out.print(result.report().toTable());
                out.print(oracleRows(result.report(), oracle));
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
            json = groups == null ? json : json.substring(0, json.length() - 1) + ",\"groups\":" + groups.toJson() + "}";
            out.println(PolicyComparison.withOracle(json, oracle, report)); // the reference's keys last
        } else {
            out.print(report.toTable());
            out.print(oracleRows(report, oracle));
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

    /** Runs at once with {@code --policies}: the machine's cores, at most two (the result is the same). */
    static final int THREADS = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));

    /** The perfect-foresight reference under a policy's table. */
    static String oracleRows(SimulationReport report, SimulationReport oracle) {
        return String.format(Locale.ROOT, "  %-34s%.4f $ at %.3f %% SLO violations (%s)%n  %-34s%s%n",
                "perfect-foresight reference", oracle.costUsd(), 100 * oracle.sloViolationFraction(),
                "knows the future arrivals; a reference, not a bound", "cost vs the reference",
                PolicyComparison.ratio(report.costUsd(), oracle.costUsd()) > 0
                        ? String.format(Locale.ROOT, "%.2fx", report.costUsd() / oracle.costUsd()) : "-");
    }

    /** The endpoint every run starts from: the config file's, or the one the mode names. */
    static EndpointConfig baseEndpoint(Options o) {
        if (o.config() != null) {
            return ConfigEndpoint.load(Path.of(o.config()), o.endpoint());
        }
        String policy = o.policy() != null ? o.policy() : EndpointConfig.DEFAULT_POLICY;
        if (o.compare()) {
            return SimulationConfig.compareEndpoint(policy, WorldModel.defaults());
        } else if (o.rollout()) {
            return SimulationConfig.rolloutEndpoint(policy);
        } else if (o.overflow()) {
            return SimulationConfig.overflowEndpoint(policy);
        }
        return SimulationConfig.defaultEndpoint(policy);
    }

    private static java.time.Duration configTick(Options o) {
        return ConfigEndpoint.tickInterval(Path.of(o.config()));
    }

    /**
     * Each policy's endpoint: {@code base} with that policy and the {@code --param} overrides, its
     * policy made once to check its parameters (a usage error naming the parameter).
     */
    static List<EndpointConfig> endpointsFor(EndpointConfig base, List<String> policies, EndpointParams params) {
        ScalingPolicies registry = ScalingPolicies.load();
        List<EndpointConfig> out = new ArrayList<>();
        for (String policy : policies) {
            try {
                registry.require(policy);
            } catch (PluginNotFoundException e) {
                throw new UsageException((policies.size() > 1 ? "--policies: " : "--policy: ") + e.getMessage());
            }
            EndpointConfig endpoint = params.apply(base, policy);
            try {
                registry.create(policy, endpoint.policyParams());
            } catch (InvalidConfigException e) {
                throw new UsageException("--param " + e.getMessage() + " (policy " + policy + ")");
            }
            out.add(endpoint);
        }
        return out;
    }

    /** The simulation figures' keys first (docs/DESIGN.md#the-simulators-world-model), then the comparison under {@code "comparison"}. */
    static String withComparison(String reportJson, ComparisonReport comparison) {
        return reportJson.substring(0, reportJson.length() - 1) + ",\"comparison\":" + comparison.toJson() + "}";
    }

    static Options parse(String[] args) {
        String trace = null;
        Scenario scenario = null;
        String policy = null;
        List<String> policies = null;
        double warmUp = DEFAULT_WARM_UP;
        double coolDown = DEFAULT_COOL_DOWN;
        List<EndpointParams.Param> params = new ArrayList<>();
        String config = null;
        String endpointName = null;
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
            if (!option.equals("--param") && !seen.add(option)) {
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
                case "--policies" -> policies = policyList(value(args, ++i, option));
                case "--warm-up" -> warmUp = seconds(value(args, ++i, option), option);
                case "--cool-down" -> coolDown = seconds(value(args, ++i, option), option);
                case "--param" -> params.add(EndpointParams.parse(value(args, ++i, option)));
                case "--config" -> config = value(args, ++i, option);
                case "--endpoint" -> endpointName = value(args, ++i, option);
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
        if (policy != null && policies != null) {
            throw new UsageException("give --policy NAME or --policies A,B,..., not both");
        }
        if (policies != null && (compare || rollout || overflow || rollingUpdate)) {
            throw new UsageException("--policies cannot be combined with --compare, --rollout, --overflow or --rolling-update");
        }
        if (config != null && (compare || rollout || overflow)) {
            throw new UsageException("--config gives the endpoint: it cannot be combined with --compare, --rollout or --overflow");
        }
        if (endpointName != null && config == null) {
            throw new UsageException("--endpoint applies to --config only");
        }
        return new Options(trace, scenario, policy, seed, timeScale, cost == null ? TraceCost.TOTAL : cost, json,
                compare, rollout, overflow, rollingUpdate, warmUp, coolDown, params, config, endpointName, policies);
    }

    /** {@code --warm-up} and {@code --cool-down}: a number of seconds >= 0. */
    static double seconds(String raw, String option) {
        double v;
        try {
            v = Double.parseDouble(raw);
        } catch (NumberFormatException e) {
            v = Double.NaN;
        }
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new UsageException(option + " must be a number of seconds >= 0, got '" + raw + "'");
        }
        return v;
    }

    /** {@code --policies a,b,c}: names, none empty, none twice. */
    static List<String> policyList(String raw) {
        List<String> names = new ArrayList<>();
        for (String part : raw.split(",", -1)) {
            String name = part.trim();
            if (name.isEmpty()) {
                throw new UsageException("--policies must be a comma-separated list of policy names, got '" + raw + "'");
            }
            if (name.equals(dev.autoscaler.sim.ForesightPolicy.NAME)) {
                throw new UsageException("--policies: " + name + " is the perfect-foresight reference, in every report already");
            }
            if (names.contains(name)) {
                throw new UsageException("--policies names '" + name + "' twice");
            }
            names.add(name);
        }
        return names;
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
                  simulate (--trace FILE | --scenario NAME) [--policy NAME | --policies A,B,...] [--seed N] [--warm-up S] [--cool-down S] [--param KEY=VALUE]... [--config FILE [--endpoint NAME]] [--time-scale X] [--cost MODEL] [--compare | --rollout | --overflow | --rolling-update] [--json]
                      play a trace or a synthetic load against the engine on a simulated GPU market; every
                      report also gives the perfect-foresight reference (oracle_cost_usd,
                      oracle_slo_violation_fraction, cost_vs_oracle): a schedule that knows the future
                      arrivals, played in the same world (a reference, not a bound)
                      --trace FILE      a CSV trace: TIMESTAMP,ContextTokens,GeneratedTokens; the bundled
                                        Azure LLM trace (CC-BY 4.0) is named azure-llm-2023-conv
                      --scenario NAME   step     1 req/s 10 min, 6 req/s 20 min, 1 req/s 20 min, idle 10 min
                                        spike    1.5 req/s for 60 min, 12 req/s from minute 20 to 25
                                        diurnal  0.3 req/s up to 8 req/s at minute 60 and back, 120 min
                                        sparse   2-minute bursts of 2 req/s every 30 min, 90 min
                      --policy NAME     the scaling policy (default vast, or the config's; see 'autoscaler policies')
                      --policies A,B    one run per policy on the same world and seed, side by side with the
                                        reference (one JSON document with --json)
                      --seed N          the seed of every random draw (default 1)
                      --warm-up S       the endpoint exists S seconds before the first request, and is
                                        billed for them (default 600)
                      --cool-down S     the run goes on S seconds after the last request, billed (default 600)
                      --param K=V       an endpoint parameter by its wire name (cold_workers=1,
                                        max_workers=10), groups.NAME.K=V for a group's, policy_params.K=V for
                                        every policy's, POLICY:policy_params.K=V for one policy's; repeatable
                      --config FILE     simulate an endpoint of a serve config (JSON or YAML) as written:
                                        its parameters, groups, policy, policy_params and tick_interval
                      --endpoint NAME   which endpoint of --config, when it has several
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
                      the endpoint (without --config): one group, Vast's defaults, expected_perf 2000; the market rents
                      2,000 perf/s GPUs at $0.40/h (and 3,500 at $0.90/h)
                """;
    }
}
