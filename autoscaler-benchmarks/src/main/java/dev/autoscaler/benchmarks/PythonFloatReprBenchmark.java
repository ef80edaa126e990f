package dev.autoscaler.benchmarks;

import dev.autoscaler.core.ticket.internal.PythonFloat;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The cost of printing a ticket's {@code cost} as Python would (part of every {@code ed25519} ticket
 * and every {@code all-fields-sorted} signature), against Java's {@link Double#toString} as the
 * baseline. Run: {@code java -jar autoscaler-benchmarks/target/benchmarks.jar PythonFloatRepr -f 1 -wi 2 -i 3 -w 1s -r 1s}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PythonFloatReprBenchmark {
    /** Integral (fast path), a short fraction, and a 17-digit one (the longest search). */
    @Param({"242.0", "242.37", "0.30000000000000004"})
    public double value;

    @Benchmark
    public String pythonRepr() {
        return PythonFloat.repr(value);
    }

    @Benchmark
    public String javaToStringBaseline() {
        return Double.toString(value);
    }
}
