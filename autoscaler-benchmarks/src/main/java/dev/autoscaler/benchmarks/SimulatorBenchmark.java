package dev.autoscaler.benchmarks;

import dev.autoscaler.sim.Simulation;
import dev.autoscaler.sim.SimulationConfig;
import dev.autoscaler.sim.SimulationReport;
import dev.autoscaler.sim.TraceReader;
import dev.autoscaler.sim.Workload;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How fast the simulator plays the bundled one-hour Azure trace (19,366 requests, 3,502 simulated
 * seconds) through the real engine with the {@code vast} policy and the default world. The
 * {@code simulatedSeconds} secondary result is the speed: simulated seconds per wall-clock second
 * (goal: at least 1,000, aim 10,000). The primary result is whole simulations per second.
 *
 * <pre>{@code
 * mvn -B -q -DskipTests package -pl autoscaler-benchmarks -am
 * java -jar autoscaler-benchmarks/target/benchmarks.jar SimulatorBenchmark
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 4, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
public class SimulatorBenchmark {

    @Param("vast")
    public String policy;

    private Workload trace;

    /** Simulated seconds, counted as operations: JMH reports them per wall-clock second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Speed {
        public long simulatedSeconds;

        @Setup(Level.Iteration)
        public void reset() {
            simulatedSeconds = 0;
        }
    }

    @Setup
    public void loadTrace() {
        InputStream in = SimulatorBenchmark.class.getResourceAsStream("/traces/azure-llm-2023-conv.csv");
        if (in == null) {
            throw new IllegalStateException("the bundled trace is not on the class path");
        }
        trace = TraceReader.standard().read(in, "azure-llm-2023-conv.csv");
    }

    @Benchmark
    public SimulationReport oneHourTrace(Speed speed) {
        SimulationReport report = Simulation.builder(
                SimulationConfig.of(SimulationConfig.defaultEndpoint(policy), trace, 1)).build().run();
        speed.simulatedSeconds += Math.round(report.simulatedSeconds());
        return report;
    }
}
