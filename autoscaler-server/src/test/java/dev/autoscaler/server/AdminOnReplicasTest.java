package dev.autoscaler.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoscaler.EndpointConfig;
import dev.autoscaler.ManualClock;
import dev.autoscaler.ManualScheduler;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.core.Autoscaler;
import dev.autoscaler.core.AutoscalerAdmin;
import dev.autoscaler.core.provider.StaticInstanceProvider;
import dev.autoscaler.core.provider.StaticWorker;
import dev.autoscaler.store.postgres.PostgresStore;
import dev.autoscaler.store.postgres.PostgresTestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Admin changes on two replicas at once: both survive")
class AdminOnReplicasTest {
    private final ManualClock clock = new ManualClock();
    private final String schema = PostgresTestServer.freshSchema();
    private final PostgresStore storeA = PostgresTestServer.get().newStore(schema);
    private final PostgresStore storeB = PostgresTestServer.get().newStore(schema);

    @AfterEach
    void close() {
        storeA.close();
        storeB.close();
    }

    private Autoscaler engine() {
        Autoscaler engine = Autoscaler.builder().clock(clock).scheduler(new ManualScheduler(clock))
                .provider(new StaticInstanceProvider(List.of(new StaticWorker("101", "tok-101", "http://10.0.0.1:4001"))))
                .secret("0123456789abcdef0123456789abcdef".getBytes())
                .random((RandomGenerator) new SplittableRandom(7))
                .endpoint(endpoint("base")).build();
        engine.start();
        return engine;
    }

    private static EndpointConfig endpoint(String name) {
        return EndpointConfig.builder(name).coldWorkers(0).addGroup(WorkerGroupConfig.builder("main").build()).build();
    }

    private List<String> saved() {
        return storeA.load().orElseThrow().stream().map(EndpointConfig::name).sorted().toList();
    }

    @Test
    @DisplayName("a change on a replica that has not followed the other's yet starts from it: neither is undone")
    void changesOnBothReplicasSurvive() {
        Autoscaler engineA = engine();
        Autoscaler engineB = engine();
        AutoscalerAdmin adminA = new AutoscalerAdmin(engineA, storeA);
        AutoscalerAdmin adminB = new AutoscalerAdmin(engineB, storeB);

        adminA.createEndpoint(endpoint("x"));
        adminB.createEndpoint(endpoint("y")); // B never saw x
        assertThat(saved()).containsExactly("base", "x", "y");
        assertThat(engineB.endpointNames()).contains("x", "y");

        adminA.removeEndpoint("base"); // A never saw y: it keeps it
        assertThat(saved()).containsExactly("x", "y");
    }

    @Test
    @DisplayName("twenty creates at once through two replicas: all twenty are saved")
    void concurrentCreates() throws Exception {
        AutoscalerAdmin adminA = new AutoscalerAdmin(engine(), storeA);
        AutoscalerAdmin adminB = new AutoscalerAdmin(engine(), storeB);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                AutoscalerAdmin admin = i % 2 == 0 ? adminA : adminB;
                String name = "e" + i;
                done.add(pool.submit(() -> admin.createEndpoint(endpoint(name))));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(saved()).hasSize(21);
    }
}
