package dev.autoscaler.sim;

import dev.autoscaler.EndpointConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Several policies played on the same world, workload and seed, plus the perfect-foresight
 * reference ({@link ForesightPolicy}) on that same world: one {@link Simulation} each. The runs
 * share nothing, so they may run on several threads and still give, per seed, the same bytes as one
 * after the other.
 */
public final class PolicyComparison {
    private PolicyComparison() {
    }

    /**
     * What one comparison measured.
     *
     * @param policies one report per policy, in the order asked
     * @param oracle   the perfect-foresight reference, same world and seed
     */
    public record Result(List<SimulationReport> policies, SimulationReport oracle) {
        public Result {
            policies = List.copyOf(policies);
            Objects.requireNonNull(oracle, "oracle");
        }

        /** One JSON document: the workload and seed, the reference, then every policy's figures with its cost ratio. */
        public String toJson(double warmUpSeconds, double coolDownSeconds) {
            StringBuilder b = new StringBuilder(4096).append('{');
            b.append("\"workload\":").append(quote(oracle.workload()));
            b.append(",\"seed\":").append(oracle.seed());
            b.append(",\"warm_up_s\":").append(SimulationReport.fmt(warmUpSeconds, 3));
            b.append(",\"cool_down_s\":").append(SimulationReport.fmt(coolDownSeconds, 3));
            b.append(",\"oracle_cost_usd\":").append(SimulationReport.fmt(oracle.costUsd(), 4));
            b.append(",\"oracle_slo_violation_fraction\":").append(SimulationReport.fmt(oracle.sloViolationFraction(), 6));
            b.append(",\"oracle\":").append(oracle.toJson());
            b.append(",\"policies\":[");
            for (int i = 0; i < policies.size(); i++) {
                b.append(i == 0 ? "" : ",").append(withOracle(policies.get(i).toJson(), oracle, policies.get(i)));
            }
            return b.append("]}").toString();
        }

        /** The policies side by side, the reference last, each policy's cost as a multiple of it. */
        public String toTable(double warmUpSeconds, double coolDownSeconds) {
            StringBuilder b = new StringBuilder(2048);
            b.append("comparison on ").append(oracle.workload()).append(", seed ").append(oracle.seed())
                    .append(", warm-up ").append(SimulationReport.fmt(warmUpSeconds, 0)).append(" s, cool-down ")
                    .append(SimulationReport.fmt(coolDownSeconds, 0)).append(" s\n");
            b.append(String.format(java.util.Locale.ROOT, "  %-14s %9s %10s %11s %9s %9s %6s %6s %8s %5s%n", "policy",
                    "cost $", "vs oracle", "SLO viol %", "p99 q s", "dropped", "flaps", "colds", "resumes", "peak"));
            for (SimulationReport r : policies) {
                row(b, r, ratioText(r.costUsd(), oracle.costUsd()));
            }
            row(b, oracle, "1.00x");
            b.append("  ").append(ForesightPolicy.NAME).append(": the perfect-foresight reference (knows the future"
                    + " arrivals; same world), not a bound\n");
            return b.toString();
        }

        private static void row(StringBuilder b, SimulationReport r, String ratio) {
            b.append(String.format(java.util.Locale.ROOT, "  %-14s %9.4f %10s %11.3f %9.3f %9d %6d %6d %8d %5d%n",
                    r.policy(), r.costUsd(), ratio, 100 * r.sloViolationFraction(), r.queueTimeP99(), r.dropped(),
                    r.flaps(), r.coldStarts(), r.resumes(), r.peakWorkers()));
        }
    }

    /**
     * A report's JSON with the reference's figures appended: {@code oracle_cost_usd},
     * {@code oracle_slo_violation_fraction} and {@code cost_vs_oracle} (the report's cost over the
     * reference's; {@code null} when the reference cost nothing).
     */
    public static String withOracle(String reportJson, SimulationReport oracle, SimulationReport report) {
        double ratio = ratio(report.costUsd(), oracle.costUsd());
        return reportJson.substring(0, reportJson.length() - 1)
                + ",\"oracle_cost_usd\":" + SimulationReport.fmt(oracle.costUsd(), 4)
                + ",\"oracle_slo_violation_fraction\":" + SimulationReport.fmt(oracle.sloViolationFraction(), 6)
                + ",\"cost_vs_oracle\":" + (Double.isNaN(ratio) ? "null" : SimulationReport.fmt(ratio, 4)) + "}";
    }

    /** {@code cost / reference}; NaN when the reference cost nothing. */
    public static double ratio(double cost, double reference) {
        return reference > 0 ? cost / reference : Double.NaN;
    }

    static String ratioText(double cost, double reference) {
        double r = ratio(cost, reference);
        return Double.isNaN(r) ? "-" : SimulationReport.fmt(r, 2) + "x";
    }

    /**
     * The perfect-foresight reference on {@code config}'s world, workload and seed: the same endpoint
     * with the policy {@value ForesightPolicy#NAME} (no policy_params).
     */
    public static SimulationReport runOracle(SimulationConfig config) {
        EndpointConfig endpoint = config.endpoint().toBuilder().policy(ForesightPolicy.NAME).policyParams(Map.of())
                .build();
        SimulationConfig c = config.withEndpoint(endpoint);
        return Simulation.builder(c)
                .policies((name, params) -> new ForesightPolicy(config.workload(), config.world(), config.tickInterval(),
                        endpoint.targetQueueTime()))
                .build().run();
    }

    /**
     * Runs each policy and the reference on the same world and seed.
     *
     * @param config    the world, workload, seed and timing; its endpoint is the base of every run
     * @param policies  the policy names, in the order of the result
     * @param endpoints the endpoint of each policy's run (e.g. the base with that policy and its params)
     * @param threads   how many runs at once (1: one after the other; the result is the same)
     */
    public static Result run(SimulationConfig config, List<String> policies, Function<String, EndpointConfig> endpoints,
                             int threads) {
        List<java.util.concurrent.Callable<SimulationReport>> runs = new ArrayList<>();
        for (String policy : policies) {
            EndpointConfig endpoint = endpoints.apply(policy);
            SimulationConfig c = config.withEndpoint(endpoint);
            runs.add(() -> Simulation.builder(c).build().run());
        }
        runs.add(() -> runOracle(config));
        List<SimulationReport> reports = runAll(runs, threads);
        return new Result(reports.subList(0, policies.size()), reports.get(policies.size()));
    }

    /** Runs the tasks, at most {@code threads} at once, and returns their results in the tasks' order. */
    static <T> List<T> runAll(List<java.util.concurrent.Callable<T>> tasks, int threads) {
        List<T> out = new ArrayList<>(tasks.size());
        if (threads <= 1 || tasks.size() <= 1) {
            for (var task : tasks) {
                try {
                    out.add(task.call());
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            return out;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, tasks.size()), r -> {
            Thread t = new Thread(r, "simulation");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (var task : tasks) {
                futures.add(pool.submit(task));
            }
            for (Future<T> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
