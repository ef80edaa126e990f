package dev.autoscaler.benchmarks;

import dev.autoscaler.core.router.RouteAnswer;
import dev.autoscaler.core.router.Router;
import dev.autoscaler.core.store.InMemoryStateStore;
import dev.autoscaler.core.ticket.TicketFormats;
import dev.autoscaler.spi.StateStore;
import dev.autoscaler.store.postgres.PostgresStore;
import dev.autoscaler.store.postgres.ReplicaStore;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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
 * {@code route[postgres] / route[memory]} is what the shared store costs a replica;
 * {@code postgres-3} spreads the same threads over three replicas in this JVM (each its own store,
 * connection pool, engine and router, on one schema; one leads and made the workers, two follow),
 * so {@code route[postgres-3] / route[postgres]} says whether more replicas add throughput or
 * contend for the same rows. Each replica routes through its {@link ReplicaStore} (counters from
 * per-replica blocks, reservations and request records in memory, flushed every 100 ms on a thread of
 * its own), as {@code serve} does.
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
    @Param({"memory", "postgres", "postgres-3"})
    public String store;

    private final List<StateStore> stateStores = new ArrayList<>();
    private final List<Router> routers = new ArrayList<>();
    private final AtomicInteger nextThread = new AtomicInteger();
    private ScheduledExecutorService flushes;

    @Setup
    public void setUp() {
        var signer = TicketFormats.builder().build().signer("vast-rsa");
        if (store.startsWith("postgres")) {
            String schema = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            int replicas = store.equals("postgres-3") ? 3 : 1;
            flushes = Executors.newScheduledThreadPool(1, r -> {
                Thread t = new Thread(r, "bench-flush");
                t.setDaemon(true);
                return t;
            });
            for (int i = 0; i < replicas; i++) {
                ReplicaStore replica = ReplicaStore.builder(postgres(schema)).build();
                flushes.scheduleWithFixedDelay(replica::flush, 100, 100, TimeUnit.MILLISECONDS);
                stateStores.add(replica);
            }
        } else {
            stateStores.add(new InMemoryStateStore());
        }
        routers.add(HttpBenchServer.readyRouter("vast-rsa", signer, 8, false, stateStores.get(0)));
        for (int i = 1; i < stateStores.size(); i++) {
            routers.add(HttpBenchServer.followerRouter("vast-rsa", signer, stateStores.get(i)));
        }
    }

    private static PostgresStore postgres(String schema) {
        String url = System.getProperty("autoscaler.bench.jdbc", "jdbc:postgresql://127.0.0.1:55432/postgres");
        return PostgresStore.builder().url(url).user(System.getProperty("autoscaler.bench.user", "postgres"))
                .password(System.getProperty("autoscaler.bench.password")).schema(schema).maxPoolSize(16).build();
    }

    @TearDown
    public void tearDown() {
        if (flushes != null) {
            flushes.shutdownNow();
        }
        stateStores.forEach(StateStore::close);
    }

    /** The replica a benchmark thread routes through: threads are spread evenly over the replicas. */
    @State(Scope.Thread)
    public static class Replica {
        Router router;

        @Setup
        public void pick(StoreRoutingBenchmark bench) {
            router = bench.routers.get(bench.nextThread.getAndIncrement() % bench.routers.size());
        }
    }

    @Benchmark
    public Object route(Replica replica) {
        RouteAnswer answer = replica.router.route("bench", 100L, 0);
        replica.router.abandon(answer.requestIdx());
        return answer;
    }
}
