import dev.autoscaler.AutoscalerEvent;
import dev.autoscaler.sim.Scenario;
import dev.autoscaler.sim.Simulation;
import dev.autoscaler.sim.SimulationConfig;
import dev.autoscaler.sim.SimulationReport;
import dev.autoscaler.sim.TraceReader;
import dev.autoscaler.sim.Workload;
import dev.autoscaler.spi.AutoscalerListener;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The policy comparison table of the README: every policy on every workload, the same seeds, run
 * one after the other (the machine is shared). Until the simulator has --warm-up and --cool-down of
 * its own, this plays them through the simulator's Java API: the workload's arrivals are shifted by
 * the warm-up (the endpoint exists that long before the first request, and its cost counts) and
 * the run goes on for the cool-down after the last arrival (the idle tail is costed).
 *
 * <p>Run by scripts/compare-policies.sh (which builds the jar); options:
 * {@code --policies a,b --workloads trace,step,... --seeds 1-5 --warm-up S --cool-down S
 * --param KEY=VALUE (policy_params, repeatable) --decisions} (the last prints every decision of each run, to read a policy's reasons).
 */
public class ComparePolicies {
    public static void main(String[] args) throws Exception {
        List<String> policies = List.of("vast", "knative", "hpa", "ray", "frugal");
        List<String> workloads = List.of("trace", "step", "spike", "diurnal", "sparse");
        long firstSeed = 1;
        long lastSeed = 5;
        double warmUp = 600;
        double coolDown = 600;
        boolean decisions = false;
        java.util.Map<String, String> params = new java.util.LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--policies" -> policies = Arrays.asList(args[++i].split(","));
                case "--workloads" -> workloads = Arrays.asList(args[++i].split(","));
                case "--seeds" -> {
                    String[] range = args[++i].split("-");
                    firstSeed = Long.parseLong(range[0]);
                    lastSeed = Long.parseLong(range[range.length - 1]);
                }
                case "--warm-up" -> warmUp = Double.parseDouble(args[++i]);
                case "--cool-down" -> coolDown = Double.parseDouble(args[++i]);
                case "--decisions" -> decisions = true;
                case "--param" -> {
                    String[] kv = args[++i].split("=", 2);
                    params.put(kv[0], kv[1]);
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        System.out.printf(Locale.ROOT, "seeds %d-%d, warm-up %.0f s, cool-down %.0f s; means over the seeds%n",
                firstSeed, lastSeed, warmUp, coolDown);
        System.out.printf(Locale.ROOT, "%-8s %-8s %8s %10s %7s %7s %6s %6s %7s%n", "workload", "policy", "cost $",
                "violations", "flaps", "peak", "cold", "resume", "gpu-h");
        for (String workload : workloads) {
            for (String policy : policies) {
                double cost = 0;
                double violations = 0;
                double flaps = 0;
                double peak = 0;
                double cold = 0;
                double resumes = 0;
                double gpuHours = 0;
                int n = 0;
                for (long seed = firstSeed; seed <= lastSeed; seed++) {
                    SimulationReport r = run(workload, policy, seed, warmUp, coolDown, decisions, params);
                    cost += r.costUsd();
                    violations += r.sloViolationFraction();
                    flaps += r.flaps();
                    peak += r.peakWorkers();
                    cold += r.coldStarts();
                    resumes += r.resumes();
                    gpuHours += r.gpuHours();
                    n++;
                }
                System.out.printf(Locale.ROOT, "%-8s %-8s %8.3f %9.2f%% %7.1f %7.1f %6.1f %6.1f %7.2f%n", workload, policy,
                        cost / n, 100 * violations / n, flaps / n, peak / n, cold / n, resumes / n, gpuHours / n);
            }
        }
    }

    static SimulationReport run(String workload, String policy, long seed, double warmUp, double coolDown,
                                boolean decisions, java.util.Map<String, String> params) throws Exception {
        Workload w;
        if (workload.equals("trace")) {
            try (InputStream in = ComparePolicies.class.getResourceAsStream("/traces/azure-llm-2023-conv.csv")) {
                w = TraceReader.standard().read(in, "azure-llm-2023-conv.csv");
            }
        } else {
            w = Scenario.fromWireName(workload).generate(seed);
        }
        long shift = Math.round(warmUp * 1e9);
        long[] times = new long[w.size()];
        double[] costs = new double[w.size()];
        for (int i = 0; i < w.size(); i++) {
            times[i] = w.arrivalNanos(i) + shift;
            costs[i] = w.cost(i);
        }
        Workload shifted = new Workload(w.name(), times, costs);
        var endpoint = SimulationConfig.defaultEndpoint(policy).toBuilder().policyParams(params).build();
        SimulationConfig config = SimulationConfig.of(endpoint, shifted, seed)
                .withTailSeconds(coolDown);
        Simulation.Builder b = Simulation.builder(config);
        if (decisions) {
            b.listener(new AutoscalerListener() {
                @Override
                public void onDecision(AutoscalerEvent.DecisionMade e) {
                    System.out.printf(Locale.ROOT, "  %s %s seed %d t=%.0f %s -> %s: %s%n", workload, policy, seed,
                            e.at().toEpochMilli() / 1000.0, e.previous(), e.targets(), e.reason());
                }
            });
        }
        return b.build().run();
    }
}
