package dev.autoscaler.benchmarks;

import dev.autoscaler.core.router.RouteAnswer;
import dev.autoscaler.core.router.Router;
import dev.autoscaler.core.store.InMemoryStateStore;
import dev.autoscaler.core.ticket.TicketFormats;
import dev.autoscaler.spi.StateStore;
import dev.autoscaler.store.postgres.PostgresStore;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Routing decisions per second in process (no HTTP, {@code vast-rsa} tickets from the per-URL cache)
 * with the state in memory and on PostgreSQL, in the same run: each {@code route} is one
 * {@link Router#route} on an endpoint of 8 ready workers plus the release a worker's report would do.
 * {@code route[postgres] / route[memory]} is what the shared store costs a replica.
 *
 * <p>Run (a throwaway PostgreSQL from {@code scripts/postgres-throwaway.sh start}):
 * {@code mvn -B -q -pl autoscaler-benchmarks -am package -DskipTests && java
 * -Dautoscaler.bench.jdbc=jdbc:postgresql://127.0.0.1:55432/postgres -jar
 * autoscaler-benchmarks/target/benchmarks.jar StoreRouting -f 1 -wi 2 -i 3 -w 2s -r 2s -t 8}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class StoreRoutingBenchmark {
    @Param({"memory", "postgres"})
    public String store;

    private StateStore stateStore;
    private Router router;

    @Setup
    public void setUp() {
        if (store.equals("postgres")) {
            String url = System.getProperty("autoscaler.bench.jdbc", "jdbc:postgresql://127.0.0.1:55432/postgres");
            stateStore = PostgresStore.builder().url(url).user(System.getProperty("autoscaler.bench.user", "postgres"))
                    .password(System.getProperty("autoscaler.bench.password"))
                    .schema("bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12))
                    .maxPoolSize(16).build();
        } else {
            stateStore = new InMemoryStateStore();
        }
        router = HttpBenchServer.readyRouter("vast-rsa", TicketFormats.builder().build().signer("vast-rsa"), 8, false,
                stateStore);
    }

    @TearDown
    public void tearDown() {
        stateStore.close();
    }

    @Benchmark
    public Object route() {
        RouteAnswer answer = router.route("bench", 100L, 0);
        router.abandon(answer.requestIdx());
        return answer;
    }
}
