package dev.autoscaler.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autoscaler.EndpointConfig;
import dev.autoscaler.LoadReport;
import dev.autoscaler.ManualClock;
import dev.autoscaler.StoreUnavailableException;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.WorkerIntent;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import dev.autoscaler.core.Autoscaler;
import dev.autoscaler.core.provider.StaticInstanceProvider;
import dev.autoscaler.core.provider.StaticWorker;
import dev.autoscaler.core.router.RouteAnswer;
import dev.autoscaler.core.router.Router;
import dev.autoscaler.spi.RequestRecord;
import dev.autoscaler.spi.TicketClaims;
import dev.autoscaler.spi.TicketSigner;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

@DisplayName("A replica's batched view of the PostgreSQL store, two replicas on one real PostgreSQL")
class ReplicaStoreTest {
    static final String ENDPOINT = "llm";
    /** 10 perf x 10 s of max_queue_time: room for 100 units of queued work, ten requests of cost 10. */
    static final double PERF = 10;
    static final double MAX_QUEUE_TIME = 10;
    static final double COST = 10;
    static final int FITS = 10;

    final PostgresTestServer server = PostgresTestServer.get();
    final ManualClock clock = new ManualClock();
    String schema;
    SwitchableDataSource dataSourceA;
    ReplicaStore a;
    ReplicaStore b;
    Autoscaler engineA;
    Autoscaler engineB;
    Router routerA;
    Router routerB;

    @BeforeEach
    void open() {
        schema = PostgresTestServer.freshSchema();
        server.newStore(schema).close(); // creates the schema, so that a data source can point at it
        dataSourceA = new SwitchableDataSource(server, schema);
        a = ReplicaStore.builder(PostgresStore.builder().dataSource(dataSourceA).schema(schema).build())
                .clock(clock).blockSize(7).build();
        b = ReplicaStore.builder(server.newStore(schema)).clock(clock).blockSize(7).build();
        engineA = engine(a);
        engineB = engine(b);
        routerA = Router.builder(engineA).signer(SIGNER).build();
        routerB = Router.builder(engineB).signer(SIGNER).build();
    }

    @AfterEach
    void close() {
        dataSourceA.down = false;
        a.close();
        b.close();
    }

    static final TicketSigner SIGNER = new TicketSigner() {
        @Override
        public String format() {
            return "vast-rsa";
        }

        @Override
        public String sign(TicketClaims claims) {
            return "signed:" + claims.url();
        }
    };

    Autoscaler engine(ReplicaStore store) {
        return Autoscaler.builder().clock(clock).stateStore(store)
                .provider(new StaticInstanceProvider(List.of(new StaticWorker("0", "unused", "http://10.0.0.1:1"))))
                .endpoint(EndpointConfig.builder(ENDPOINT).coldWorkers(0).maxQueueTime(MAX_QUEUE_TIME)
                        .addGroup(WorkerGroupConfig.builder("g").build()).build())
                .build();
    }

    WorkerRecord readyWorker(String id, String instance) {
        return a.insertWorker(WorkerRecord.builder(id, ENDPOINT, "g", "own:" + ENDPOINT + ":g:" + id, "m-" + id)
                .instanceId(instance).state(WorkerState.READY).intent(WorkerIntent.ACTIVE)
                .url("http://10.0.0.1:" + instance).maxPerf(PERF).build());
    }

    static double reserved(ReplicaStore store, String workerId) {
        return store.worker(workerId).orElseThrow().reservedLoad();
    }

    int rowsInDatabase() {
        return server.newStore(schema).requests(ENDPOINT).size();
    }

    @Test
    @DisplayName("request_idx and reqnum come from per-replica blocks: unique across replicas and threads")
    void countersAreUniqueAcrossReplicas() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<long[]>>> drawn = new ArrayList<>();
            for (ReplicaStore store : List.of(a, b, a, b)) {
                drawn.add(threads.submit(() -> {
                    List<long[]> got = new ArrayList<>();
                    for (int i = 0; i < 200; i++) {
                        got.add(new long[] {store.nextRequestIdx(), store.nextReqnum(ENDPOINT)});
                    }
                    return got;
                }));
            }
            Set<Long> idxs = new HashSet<>();
            Set<Long> reqnums = new HashSet<>();
            for (Future<List<long[]>> f : drawn) {
                for (long[] pair : f.get()) {
                    assertThat(idxs.add(pair[0])).as("request_idx %d handed out twice", pair[0]).isTrue();
                    assertThat(reqnums.add(pair[1])).as("reqnum %d handed out twice", pair[1]).isTrue();
                }
            }
            assertThat(idxs).hasSize(800).allMatch(i -> i > 0);
            assertThat(reqnums).hasSize(800).allMatch(i -> i > 0);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    @DisplayName("a route writes nothing until the flush; the replica reads its own record back meanwhile")
    void recordsAreWrittenInBatches() {
        readyWorker("w1", "101");
        a.flush();
        RouteAnswer answer = routerA.route(ENDPOINT, 10L, 0);

        assertThat(answer).isInstanceOf(RouteAnswer.Routed.class);
        assertThat(a.request(answer.requestIdx())).get().extracting(RequestRecord::workerId).isEqualTo("w1");
        assertThat(reserved(a, "w1")).isEqualTo(10);
        assertThat(rowsInDatabase()).isZero();
        assertThat(b.request(answer.requestIdx())).isEmpty();

        a.flush();
        assertThat(rowsInDatabase()).isEqualTo(1);
        assertThat(b.request(answer.requestIdx())).get().extracting(RequestRecord::workerId).isEqualTo("w1");
        assertThat(reserved(a, "w1")).as("counted once: in the database now, no longer in memory").isEqualTo(10);
        b.flush();
        assertThat(reserved(b, "w1")).isEqualTo(10);
        // a re-poll through A again, after the flush: the same answer from the database's record
        RouteAnswer again = routerA.route(ENDPOINT, 10L, answer.requestIdx());
        assertThat(again).isEqualTo(new RouteAnswer.Routed(ENDPOINT, "http://10.0.0.1:101", 10L,
                ((RouteAnswer.Routed) answer).reqnum(), answer.requestIdx(), "signed:http://10.0.0.1:101",
                again.requestId(), "w1"));
        assertThat(reserved(a, "w1")).isEqualTo(10);
    }

    @Test
    @DisplayName("two replicas routing concurrently: each alone never overfills a worker, together they over-reserve by at most one flush of the other's routes")
    void overReservationIsBoundedByOneFlush() throws Exception {
        readyWorker("w1", "101");
        a.flush();
        b.flush();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        AtomicInteger routedA = new AtomicInteger();
        AtomicInteger routedB = new AtomicInteger();
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                Router router = t % 2 == 0 ? routerA : routerB;
                AtomicInteger count = t % 2 == 0 ? routedA : routedB;
                runs.add(threads.submit(() -> {
                    for (int i = 0; i < 10; i++) {
                        if (router.route(ENDPOINT, COST, 0) instanceof RouteAnswer.Routed) {
                            count.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> f : runs) {
                f.get();
            }
        } finally {
            threads.shutdownNow();
        }
        // neither replica saw the other's reservations yet: each filled the worker once, and no more
        assertThat(routedA.get()).isEqualTo(FITS);
        assertThat(routedB.get()).isEqualTo(FITS);
        assertThat(reserved(a, "w1")).isEqualTo(FITS * COST);

        a.flush();
        b.flush();
        a.flush();
        // both see both now: the over-reservation was the other replica's one unflushed interval
        assertThat(reserved(a, "w1")).isEqualTo(2 * FITS * COST);
        assertThat(reserved(b, "w1")).isEqualTo(2 * FITS * COST);
        assertThat(routerA.route(ENDPOINT, COST, 0)).isInstanceOf(RouteAnswer.NotReady.class);
        assertThat(routerB.route(ENDPOINT, COST, 0)).isInstanceOf(RouteAnswer.NotReady.class);

        // once flushed and read, a replica's routes count against the other's at once: no over-reservation
        readyWorker("w2", "102");
        a.flush();
        for (int i = 0; i < FITS; i++) {
            assertThat(routerA.route(ENDPOINT, COST, 0)).isInstanceOf(RouteAnswer.Routed.class);
        }
        a.flush();
        b.flush();
        assertThat(routerB.route(ENDPOINT, COST, 0)).isInstanceOf(RouteAnswer.NotReady.class);
        assertThat(reserved(b, "w2")).isEqualTo(FITS * COST);
    }

    @Test
    @DisplayName("routed on A, reported working via B: the reservation ends once, on both replicas, and A's sweep finds nothing to end again")
    void reportViaAnotherReplicaEndsTheReservationOnce() {
        readyWorker("w1", "101");
        a.flush();
        RouteAnswer answer = routerA.route(ENDPOINT, COST, 0);
        RouteAnswer other = routerA.route(ENDPOINT, COST, 0);
        a.flush();
        b.flush();
        assertThat(reserved(b, "w1")).isEqualTo(2 * COST);

        engineB.report(LoadReport.builder(101, "m-w1").maxPerf(PERF).curLoad(COST).numRequestsWorking(1)
                .workingRequestIdxs(List.of(answer.requestIdx())).build());
        assertThat(b.worker("w1").orElseThrow().curLoad()).isEqualTo(COST);
        b.flush(); // the record's removal shows in the reservations read back
        assertThat(reserved(b, "w1")).isEqualTo(COST);
        // the same report again (a retry), and a /delete_requests/ naming it: nothing more ends
        engineB.report(LoadReport.builder(101, "m-w1").maxPerf(PERF).curLoad(COST).numRequestsWorking(1)
                .workingRequestIdxs(List.of(answer.requestIdx())).build());
        assertThat(engineB.deleteRequests(101, "m-w1", List.of(answer.requestIdx()))).isZero();
        a.flush();
        assertThat(reserved(a, "w1")).isEqualTo(COST);
        assertThat(a.worker("w1").orElseThrow().curLoad()).isEqualTo(COST);

        // the other one: deleted via A while B ends it too
        assertThat(engineA.deleteRequests(101, "m-w1", List.of(other.requestIdx()))).isEqualTo(1);
        assertThat(engineB.deleteRequests(101, "m-w1", List.of(other.requestIdx()))).isZero();
        a.flush();
        b.flush();
        assertThat(reserved(a, "w1")).isZero();
        assertThat(reserved(b, "w1")).isZero();
        assertThat(rowsInDatabase()).isZero();
        clock.advance(Duration.ofMinutes(5));
        a.flush();
        b.flush();
        assertThat(routerA.sweep()).isZero();
        assertThat(routerB.sweep()).isZero();
    }

    @Test
    @DisplayName("reported working via B before A wrote the record: the record ends when it arrives, not at the timeout")
    void reportBeforeTheRecordArrivesEndsItWhenItDoes() {
        readyWorker("w1", "101");
        a.flush();
        b.flush();
        RouteAnswer answer = routerA.route(ENDPOINT, COST, 0);
        RouteAnswer later = routerA.route(ENDPOINT, COST, 0);
        for (int i = 0; i < 2; i++) { // the worker lists it in every report while it works
            engineB.report(LoadReport.builder(101, "m-w1").maxPerf(PERF).curLoad(COST).numRequestsWorking(1)
                    .workingRequestIdxs(List.of(answer.requestIdx())).build());
        }
        assertThat(engineB.deleteRequests(101, "m-w1", List.of(later.requestIdx()))).isZero();
        b.flush(); // B writes the names first...
        a.flush(); // ...then A its records, which the same transaction removes again
        b.flush();
        assertThat(rowsInDatabase()).isZero();
        assertThat(reserved(a, "w1")).isZero();
        assertThat(reserved(b, "w1")).isZero();
        assertThat(b.worker("w1").orElseThrow().curLoad()).isEqualTo(COST);

        // the other order: A's record first, B's name after it, removed by B's flush
        RouteAnswer third = routerA.route(ENDPOINT, COST, 0);
        engineB.report(LoadReport.builder(101, "m-w1").maxPerf(PERF).curLoad(COST).numRequestsWorking(1)
                .workingRequestIdxs(List.of(third.requestIdx())).build());
        a.flush();
        assertThat(rowsInDatabase()).isEqualTo(1);
        b.flush();
        a.flush();
        assertThat(rowsInDatabase()).isZero();
        assertThat(reserved(a, "w1")).isZero();
    }

    @Test
    @DisplayName("worker rows: another replica's changes show from the next flush; a write on a stale row re-reads it and wins")
    void workerRowsFollowTheOtherReplica() {
        readyWorker("w1", "101");
        b.flush();
        engineB.report(LoadReport.builder(101, "m-w1").maxPerf(PERF).curLoad(30).build());
        assertThat(a.worker("w1").orElseThrow().curLoad()).as("A's view is a flush old").isZero();
        // A's next report lands on its stale row: the compare-and-set fails, the row is read again
        engineA.report(LoadReport.builder(101, "m-w1").maxPerf(PERF).curLoad(40).build());
        assertThat(a.worker("w1").orElseThrow().curLoad()).isEqualTo(40);
        assertThat(a.worker("w1").orElseThrow().version()).isEqualTo(3);
        b.flush();
        assertThat(b.worker("w1").orElseThrow().curLoad()).isEqualTo(40);

        b.insertWorker(WorkerRecord.builder("w2", ENDPOINT, "g", "own:" + ENDPOINT + ":g:w2", "m-w2").instanceId("102")
                .state(WorkerState.READY).intent(WorkerIntent.ACTIVE).url("http://10.0.0.1:102").maxPerf(PERF).build());
        b.removeWorker("w1");
        assertThat(a.workers(ENDPOINT)).extracting(WorkerRecord::workerId).containsExactly("w1");
        a.flush();
        assertThat(a.workers(ENDPOINT)).extracting(WorkerRecord::workerId).containsExactly("w2");
        assertThat(b.workers(ENDPOINT)).extracting(WorkerRecord::workerId).containsExactly("w2");
    }

    @Test
    @DisplayName("a reservation nobody reports ends by the timeout sweep, once, on any replica")
    void sweepEndsAForgottenReservationOnce() {
        readyWorker("w1", "101");
        a.flush();
        routerA.route(ENDPOINT, COST, 0);
        routerA.route(ENDPOINT, COST, 0);
        a.flush(); // one written...
        routerA.route(ENDPOINT, COST, 0); // ...and one still in memory
        clock.advance(Duration.ofMinutes(5));
        assertThat(routerA.sweep()).isEqualTo(3);
        assertThat(routerB.sweep()).isZero();
        assertThat(reserved(a, "w1")).as("the one in memory ended at once; the two written show at the next read")
                .isEqualTo(2 * COST);
        a.flush();
        b.flush();
        assertThat(reserved(a, "w1")).isZero();
        assertThat(reserved(b, "w1")).isZero();
        assertThat(rowsInDatabase()).isZero();
    }

    @Test
    @DisplayName("a replica that loses the database routes on its view for the staleness bound, then refuses; its records go out with the first flush that succeeds")
    void outageThenFlush() {
        readyWorker("w1", "101");
        a.flush();
        b.flush();
        RouteAnswer before = routerA.route(ENDPOINT, COST, 0);

        dataSourceA.down = true;
        assertThat(a.flush()).isFalse();
        clock.advance(Duration.ofSeconds(4));
        RouteAnswer during = routerA.route(ENDPOINT, COST, 0);
        assertThat(during).isInstanceOf(RouteAnswer.Routed.class);
        a.checkAvailable(); // ready while it routes: no round trip to the database that is gone
        assertThat(a.flush()).isFalse();
        clock.advance(Duration.ofSeconds(2));
        assertThatThrownBy(() -> routerA.route(ENDPOINT, COST, 0)).isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(a::checkAvailable).isInstanceOf(StoreUnavailableException.class);
        assertThat(rowsInDatabase()).isZero();

        dataSourceA.down = false;
        assertThat(a.flush()).isTrue();
        assertThat(routerA.route(ENDPOINT, COST, 0)).isInstanceOf(RouteAnswer.Routed.class);
        assertThat(rowsInDatabase()).isEqualTo(2);
        b.flush();
        assertThat(b.request(before.requestIdx())).isPresent();
        assertThat(b.request(during.requestIdx())).isPresent();
        assertThat(reserved(b, "w1")).isEqualTo(2 * COST);
        assertThat(reserved(a, "w1")).isEqualTo(3 * COST);
    }

    @Test
    @DisplayName("during an outage routes take request_idx and reqnum from the blocks a flush fetched ahead, across a block's end")
    void countersNeedNoRoundTripDuringAnOutage() {
        readyWorker("w1", "101");
        a.flush();
        RouteAnswer first = routerA.route(ENDPOINT, COST, 0); // the first block of each counter, fetched ahead
        a.flush(); // and the next ones

        dataSourceA.down = true;
        java.util.Set<Long> idxs = new java.util.HashSet<>();
        idxs.add(first.requestIdx());
        for (int i = 0; i < 7; i++) { // blocks of 7: the seventh route starts the second block
            RouteAnswer r = routerA.route(ENDPOINT, COST, 0);
            assertThat(r).as("route %d during the outage", i + 2).isInstanceOf(RouteAnswer.Routed.class);
            idxs.add(r.requestIdx());
        }
        assertThat(idxs).hasSize(8);
    }

    @Test
    @DisplayName("a record removed while its first write is under way is deleted by the next flush, not left behind")
    void removalDuringAFlushIsNotLost() {
        readyWorker("w1", "101");
        a.flush();
        RouteAnswer answer = routerA.route(ENDPOINT, COST, 0);
        dataSourceA.onConnection = () -> {
            dataSourceA.onConnection = null;
            // runs as the flush takes its connection: the batch holds the record already
            assertThat(routerA.abandon(answer.requestIdx())).isTrue();
        };
        a.flush();
        assertThat(a.request(answer.requestIdx())).isEmpty();
        a.flush();
        assertThat(rowsInDatabase()).isZero();
        assertThat(reserved(a, "w1")).isZero();
    }

    /** The replica's connections, which a test can cut off (an outage) or hook into. */
    static final class SwitchableDataSource implements DataSource {
        final PGSimpleDataSource real = new PGSimpleDataSource();
        volatile boolean down;
        volatile Runnable onConnection;

        SwitchableDataSource(PostgresTestServer server, String schema) {
            real.setURL(server.url);
            real.setUser(server.user);
            real.setPassword(server.password);
            real.setCurrentSchema(schema);
        }

        @Override
        public Connection getConnection() throws SQLException {
            Runnable hook = onConnection;
            if (hook != null) {
                hook.run();
            }
            if (down) {
                throw new SQLException("connection refused (the test cut the database off)", "08001");
            }
            return real.getConnection();
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }
}
