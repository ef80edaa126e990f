package dev.autoscaler.benchmarks;

import dev.autoscaler.EndpointConfig;
import dev.autoscaler.LoadReport;
import dev.autoscaler.ManualClock;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import dev.autoscaler.core.Autoscaler;
import dev.autoscaler.spi.CreateInstanceRequest;
import dev.autoscaler.spi.Instance;
import dev.autoscaler.spi.InstanceProvider;
import dev.autoscaler.spi.InstanceStatus;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One control tick of the engine over many endpoints (default 1,000) of 10 ready workers each, in
 * steady state: the {@code fixed} policy asks for the 10 workers there are, so the tick is the
 * engine's own cost (repair pass, snapshot, policy, reconcile), not the provider's. Goal: under
 * 20 ms a tick.
 *
 * <pre>{@code
 * java -jar autoscaler-benchmarks/target/benchmarks.jar EngineTickBenchmark
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
public class EngineTickBenchmark {

    @Param("1000")
    public int endpoints;

    @Param("10")
    public int workersPerEndpoint;

    private Autoscaler engine;

    /** Rents instantly and otherwise does nothing: the benchmark measures the engine. */
    static final class NoOpProvider implements InstanceProvider {
        private long nextId = 1;

        @Override
        public Instance create(CreateInstanceRequest request) {
            long id = nextId++;
            return new Instance(Long.toString(id), request.label(), InstanceStatus.RUNNING, "http://10.0.0.1:" + id,
                    "bench", 0.40, 1.0);
        }

        @Override
        public void start(String instanceId) {
        }

        @Override
        public void stop(String instanceId) {
        }

        @Override
        public void reboot(String instanceId) {
        }

        @Override
        public void destroy(String instanceId) {
        }

        @Override
        public List<Instance> list() {
            return List.of();
        }
    }

    @Setup
    public void fleet() {
        ManualClock clock = new ManualClock();
        Autoscaler.Builder b = Autoscaler.builder().clock(clock).provider(new NoOpProvider())
                .providerExecutor(Runnable::run).random(new SplittableRandom(1));
        for (int i = 0; i < endpoints; i++) {
            b.endpoint(EndpointConfig.builder("e" + i).policy("fixed").coldWorkers(0)
                    .policyParams(Map.of("active", Integer.toString(workersPerEndpoint), "cold", "0"))
                    .addGroup(WorkerGroupConfig.builder("g").build()).build());
        }
        engine = b.build();
        engine.tick(); // creates every worker
        for (WorkerRecord w : engine.stateStore().allWorkers()) {
            engine.report(LoadReport.builder(Long.parseLong(w.instanceId()), w.mtoken()).maxPerf(2000)
                    .url(w.url()).build());
        }
        long ready = engine.stateStore().allWorkers().stream().filter(w -> w.state() == WorkerState.READY).count();
        if (ready != (long) endpoints * workersPerEndpoint) {
            throw new IllegalStateException("expected every worker ready, got " + ready);
        }
    }

    @Benchmark
    public void tick() {
        engine.tick();
    }
}
