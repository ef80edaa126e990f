package dev.autoscaler.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autoscaler.EndpointConfig;
import dev.autoscaler.InvalidConfigException;
import dev.autoscaler.StaleStateException;
import dev.autoscaler.StoreUnavailableException;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.WorkerIntent;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import dev.autoscaler.spi.RequestRecord;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The PostgreSQL store, on a real PostgreSQL")
class PostgresStoreTest {
    final PostgresTestServer server = PostgresTestServer.get();
    String schema;
    PostgresStore store;
    /** A second store on the same schema: another replica. */
    PostgresStore replica;

    @BeforeEach
    void open() {
        schema = PostgresTestServer.freshSchema();
        store = server.newStore(schema);
        replica = server.newStore(schema);
    }

    @AfterEach
    void close() {
        store.close();
        replica.close();
    }

    static WorkerRecord worker(String id, String endpoint, String instance) {
        return WorkerRecord.builder(id, endpoint, "g", "own:" + endpoint + ":g:" + id, "m-" + id).instanceId(instance)
                .state(WorkerState.READY).intent(WorkerIntent.ACTIVE).url("http://10.0.0.1:3000").maxPerf(2000)
                .pricePerHour(0.4).createdAtNanos(5).build();
    }

    @Test
    @DisplayName("a worker reads back equal, by id and by instance id, in creation order")
    void workersRoundTrip() {
        WorkerRecord a = store.insertWorker(worker("w1", "llm", "101"));
        WorkerRecord b = store.insertWorker(worker("w2", "llm", "102"));
        store.insertWorker(worker("w3", "other", "103"));

        assertThat(a.version()).isEqualTo(1);
        assertThat(replica.worker("w1")).contains(a);
        assertThat(replica.workerByInstanceId("102")).contains(b);
        assertThat(replica.workers("llm")).containsExactly(a, b);
        assertThat(replica.allWorkers()).extracting(WorkerRecord::workerId).containsExactly("w1", "w2", "w3");
        assertThatThrownBy(() -> replica.insertWorker(worker("w1", "llm", "999"))).isInstanceOf(StaleStateException.class);
        store.removeWorker("w2");
        assertThat(replica.workers("llm")).containsExactly(a);
        assertThat(replica.workerByInstanceId("102")).isEmpty();
    }

    @Test
    @DisplayName("writes fenced by a lease's epoch: refused once the holder lost the lease, and nothing is written")
    void fencedWrites() {
        long first = store.acquireLease("leader", "a", Duration.ofMinutes(1)).orElseThrow();
        PostgresStore.Fence a = new PostgresStore.Fence("leader", "a", first);
        WorkerRecord w1 = store.insertWorker(worker("w1", "llm", "101"), a);
        WorkerRecord w1b = store.replaceWorker(w1, w1.toBuilder().state(WorkerState.DRAINING).build(), a);
        assertThat(w1b.version()).isEqualTo(2);
        assertThatThrownBy(() -> store.insertWorker(worker("w1", "llm", "9"), a)).isInstanceOf(StaleStateException.class);

        store.acquireLease("leader", "a", Duration.ZERO); // a's lease lapses (a paused leader)
        assertThatThrownBy(() -> store.insertWorker(worker("w2", "llm", "102"), a)).isInstanceOf(LeaseLostException.class);
        long second = replica.acquireLease("leader", "b", Duration.ofMinutes(1)).orElseThrow();
        assertThat(second).isEqualTo(first + 1);
        assertThatThrownBy(() -> store.replaceWorker(w1b, w1b.toBuilder().state(WorkerState.READY).build(), a))
                .isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> store.removeWorker("w1", a)).isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> store.requireFence(a, "create an instance")).isInstanceOf(LeaseLostException.class)
                .hasMessageContaining("epoch " + first);
        assertThat(replica.allWorkers()).containsExactly(w1b);

        PostgresStore.Fence b = new PostgresStore.Fence("leader", "b", second);
        replica.removeWorker("w1", b);
        replica.requireFence(b, "create an instance");
        assertThat(store.allWorkers()).isEmpty();
    }

    @Test
    @DisplayName("a replace is a compare-and-set on the version: the second writer of the same version loses")
    void replaceIsCompareAndSet() {
        WorkerRecord v1 = store.insertWorker(worker("w1", "llm", ""));
        WorkerRecord v2 = store.replaceWorker(v1, v1.toBuilder().instanceId("555").curLoad(3).build());

        assertThat(v2.version()).isEqualTo(2);
        assertThat(replica.workerByInstanceId("555")).contains(v2);
        assertThatThrownBy(() -> replica.replaceWorker(v1, v1.toBuilder().curLoad(9).build()))
                .isInstanceOf(StaleStateException.class);
        assertThat(store.worker("w1").orElseThrow().curLoad()).isEqualTo(3);
    }

    @Test
    @DisplayName("updates from two replicas on eight threads each lose nothing")
    void concurrentUpdatesFromTwoReplicas() throws Exception {
        store.insertWorker(worker("w1", "llm", "1"));
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                PostgresStore s = t % 2 == 0 ? store : replica;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        s.updateWorker("w1", w -> w.toBuilder().numRequestsReceived(w.numRequestsReceived() + 1).build());
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        WorkerRecord w = store.worker("w1").orElseThrow();
        assertThat(w.numRequestsReceived()).isEqualTo(400);
        assertThat(w.version()).isEqualTo(401);
    }

    @Test
    @DisplayName("counters are atomic across replicas: every reqnum and request_idx handed out once")
    void countersAreAtomic() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        Set<Long> reqnums = Collections.synchronizedSet(new HashSet<>());
        Set<Long> idxs = Collections.synchronizedSet(new HashSet<>());
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                PostgresStore s = t % 2 == 0 ? store : replica;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        assertThat(reqnums.add(s.nextReqnum("llm"))).isTrue();
                        assertThat(idxs.add(s.nextRequestIdx())).isTrue();
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(reqnums).hasSize(400).allMatch(n -> n >= 1 && n <= 400);
        assertThat(idxs).hasSize(400);
        assertThat(store.nextReqnum("other")).as("each endpoint counts on its own").isEqualTo(1);
    }

    @Test
    @DisplayName("a worker's list of requests ends, in one statement, those routed to it: not another's, not a waiting one; names with no record are told apart")
    void removeRoutedTo() {
        store.putRequestIfAbsent(new RequestRecord(1, "llm", 10, 1_000, "w1", 5, 0));
        store.putRequestIfAbsent(new RequestRecord(2, "llm", 20, 1_000, "w1", 6, 0));
        store.putRequestIfAbsent(new RequestRecord(3, "llm", 30, 1_000, "w2", 7, 0));
        store.putRequestIfAbsent(new RequestRecord(4, "llm", 40, 1_000, "", 0, 0));

        PostgresStore.RoutedRemoval done = replica.removeRoutedToReporting("w1", java.util.Arrays.asList(1L, 2L, 3L, 4L, 99L, null, 1L));

        assertThat(done.removed()).extracting(RequestRecord::requestIdx).containsExactlyInAnyOrder(1L, 2L);
        assertThat(done.removed()).extracting(RequestRecord::cost).containsExactlyInAnyOrder(10.0, 20.0);
        assertThat(done.unseen()).containsExactly(99L);
        assertThat(store.request(3)).isPresent();
        assertThat(store.request(4)).isPresent();
        assertThat(store.removeRoutedTo("w1", List.of(1L, 2L))).as("each record ends once").isEmpty();
        assertThat(store.removeRoutedTo("w2", List.of(3L))).extracting(RequestRecord::workerId).containsExactly("w2");
        assertThat(store.removeRoutedTo("w1", List.of())).isEmpty();
    }

    @Test
    @DisplayName("traffic rows: appended in one statement, read by the other replicas only, in seq order, forgotten by age")
    void traffic() {
        store.addTraffic(List.of(new PostgresStore.Traffic("a", "a-1", 1, "llm", "", 100),
                new PostgresStore.Traffic("a", "a-1", 2, "llm", "spare", 40.5)));
        replica.addTraffic(List.of(new PostgresStore.Traffic("b", "b-1", 1, "llm", "", 7)));
        store.addTraffic(List.of());

        assertThat(replica.trafficOfOthers("b", java.time.Duration.ofMinutes(1)))
                .extracting(PostgresStore.Traffic::seq, PostgresStore.Traffic::group, PostgresStore.Traffic::cost)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, "", 100.0),
                        org.assertj.core.groups.Tuple.tuple(2L, "spare", 40.5));
        assertThat(store.trafficOfOthers("a", java.time.Duration.ofMinutes(1))).extracting(PostgresStore.Traffic::replica)
                .containsExactly("b");
        store.forgetTraffic(java.time.Duration.ofMinutes(5));
        assertThat(store.trafficOfOthers("z", java.time.Duration.ofMinutes(1))).hasSize(3);
        store.forgetTraffic(java.time.Duration.ZERO);
        assertThat(store.trafficOfOthers("z", java.time.Duration.ofMinutes(1))).isEmpty();
    }

    @Test
    @DisplayName("request bookkeeping: added once, compare-and-set on the version, removed once")
    void requests() {
        RequestRecord waiting = new RequestRecord(7, "llm", 120.5, 1_000, "", 0, 0);
        assertThat(store.putRequestIfAbsent(waiting)).isEmpty();
        RequestRecord stored = replica.request(7).orElseThrow();
        assertThat(stored.version()).isEqualTo(1);
        assertThat(replica.putRequestIfAbsent(waiting)).contains(stored);

        assertThat(store.replaceRequest(stored, stored.routedTo("w1", 42))).isTrue();
        assertThat(replica.replaceRequest(stored, stored.routedTo("w2", 43))).as("stale version").isFalse();
        RequestRecord routed = store.request(7).orElseThrow();
        assertThat(routed.workerId()).isEqualTo("w1");
        assertThat(routed.reqnum()).isEqualTo(42);
        assertThat(routed.version()).isEqualTo(2);

        store.putRequestIfAbsent(new RequestRecord(3, "llm", 1, 2_000, "", 0, 0));
        store.putRequestIfAbsent(new RequestRecord(9, "other", 1, 2_000, "", 0, 0));
        assertThat(replica.requests("llm")).extracting(RequestRecord::requestIdx).containsExactly(3L, 7L);
        assertThat(replica.removeRequest(7)).contains(routed);
        assertThat(store.removeRequest(7)).isEmpty();
    }

    @Test
    @DisplayName("the endpoint set: nothing saved is empty; a saved set reads back whole, keys included")
    void endpointSet() {
        assertThat(store.load()).isEmpty();
        EndpointConfig llm = EndpointConfig.builder("llm").apiKey("k-1").maxWorkers(4).policyParams(Map.of("a", "1"))
                .addGroup(WorkerGroupConfig.builder("g").weight(2).build()).build();
        store.save(List.of(llm));
        assertThat(replica.load()).contains(List.of(llm));
        store.save(List.of());
        assertThat(replica.load()).contains(List.of());
    }

    @Test
    @DisplayName("a stored endpoint set that does not validate is an error, not an empty set")
    void corruptEndpointSet() throws Exception {
        try (Connection c = DriverManager.getConnection(server.url, server.user, server.password);
             Statement s = c.createStatement()) {
            s.execute("INSERT INTO \"" + schema + "\".endpoint_set (id, endpoints) VALUES (1, "
                    + "'[{\"endpoint_name\": \"x\", \"target_util\": 9, \"groups\": [{\"group_name\": \"g\"}]}]')");
        }
        assertThatThrownBy(() -> store.load()).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("endpoints[0].target_util");
    }

    @Test
    @DisplayName("a lease: one holder at a time; a new holder after expiry gets a higher epoch; the old one no longer holds it")
    void leases() {
        assertThat(store.acquireLease("leader", "a", Duration.ofMinutes(1))).contains(1L);
        assertThat(replica.acquireLease("leader", "b", Duration.ofMinutes(1))).as("held by a").isEmpty();
        assertThat(store.acquireLease("leader", "a", Duration.ZERO)).as("a renews, then lets it lapse").contains(1L);
        assertThat(replica.acquireLease("leader", "b", Duration.ofMinutes(1))).contains(2L);
        assertThat(store.holdsLease("leader", "a", 1)).isFalse();
        assertThat(store.acquireLease("leader", "a", Duration.ofMinutes(1))).isEmpty();
        assertThat(replica.holdsLease("leader", "b", 2)).isTrue();
        replica.releaseLease("leader", "b", 2);
        assertThat(store.acquireLease("leader", "a", Duration.ofMinutes(1))).contains(3L);
    }

    @Test
    @DisplayName("the schema is created once and versioned; a newer schema is refused")
    void migrations() throws Exception {
        try (PostgresStore again = server.newStore(schema);
             Connection c = DriverManager.getConnection(server.url, server.user, server.password);
             Statement s = c.createStatement()) {
            var r = s.executeQuery("SELECT count(*), max(version) FROM \"" + schema + "\".schema_version");
            r.next();
            assertThat(r.getInt(1)).as("applied once").isEqualTo(SchemaMigrations.SCRIPTS.size());
            assertThat(r.getInt(2)).isEqualTo(SchemaMigrations.SCRIPTS.size());
            s.execute("INSERT INTO \"" + schema + "\".schema_version (version) VALUES (99)");
        }
        assertThatThrownBy(() -> server.newStore(schema)).isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("version 99");
    }

    @Test
    @DisplayName("a database that cannot be reached is an error at build, naming the store")
    void unreachable() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        assertThatThrownBy(() -> PostgresStore.builder().url("jdbc:postgresql://127.0.0.1:" + port + "/x").user("u").build())
                .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("PostgreSQL store");
    }
}
