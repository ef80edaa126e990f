package dev.autoscaler.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoscaler.EndpointConfig;
import dev.autoscaler.ManualClock;
import dev.autoscaler.ManualScheduler;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.core.Autoscaler;
import dev.autoscaler.core.TrafficTap;
import dev.autoscaler.core.provider.StaticInstanceProvider;
import dev.autoscaler.core.provider.StaticWorker;
import dev.autoscaler.core.router.Router;
import dev.autoscaler.core.ticket.TicketFormats;
import dev.autoscaler.store.postgres.PostgresStore;
import dev.autoscaler.store.postgres.PostgresTestServer;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Replicas share the traffic their routers count, through PostgreSQL")
class TrafficExchangeTest {
    private static final TicketFormats TICKETS = TicketFormats.builder().build();
    private final ManualClock clock = new ManualClock();
    private final PostgresStore db = PostgresTestServer.get().newStore(PostgresTestServer.freshSchema());

    @AfterEach
    void close() {
        db.close();
    }

    private Autoscaler engine(TrafficTap tap) {
        Autoscaler engine = Autoscaler.builder().clock(clock).scheduler(new ManualScheduler(clock))
                .provider(new StaticInstanceProvider(List.of(new StaticWorker("101", "tok-101", "http://10.0.0.1:4001"))))
                .secret("0123456789abcdef0123456789abcdef".getBytes())
                .random((RandomGenerator) new SplittableRandom(7)).trafficTap(tap)
                .endpoint(EndpointConfig.builder("llm").coldWorkers(0)
                        .addGroup(WorkerGroupConfig.builder("main").build()).build())
                .build();
        engine.start();
        return engine;
    }

    private static double arrivals(Autoscaler engine) {
        return engine.snapshot("llm").load().arrivalRateBurst();
    }

    @Test
    @DisplayName("what one replica's router counts reaches the other's load windows once, and never its own twice; a replica starting does not count the history")
    void shared() {
        TrafficExchange a = new TrafficExchange(db, "a");
        TrafficExchange b = new TrafficExchange(db, "b");
        Autoscaler engineA = engine(a);
        Autoscaler engineB = engine(b);
        Router routerA = Router.builder(engineA).tickets(TICKETS).build();
        a.exchange(engineA);
        b.exchange(engineB);

        routerA.route("llm", 4_000, 0);
        routerA.route("llm", 6_000, 0);
        double aBefore = arrivals(engineA);
        assertThat(aBefore).isGreaterThan(0);
        assertThat(arrivals(engineB)).isZero();

        assertThat(a.exchange(engineA)).isZero();
        assertThat(b.exchange(engineB)).isEqualTo(1); // the two routes, summed in one row
        assertThat(arrivals(engineB)).isEqualTo(aBefore);
        assertThat(b.exchange(engineB)).as("seen rows are not counted again").isZero();
        assertThat(a.exchange(engineA)).isZero();
        assertThat(arrivals(engineA)).as("its own traffic does not come back").isEqualTo(aBefore);

        // a third replica starting now: the rows already there are history, not a burst
        TrafficExchange c = new TrafficExchange(db, "c");
        Autoscaler engineC = engine(c);
        assertThat(c.exchange(engineC)).isZero();
        assertThat(arrivals(engineC)).isZero();
        // what B routes afterwards reaches both A and C
        Router routerB = Router.builder(engineB).tickets(TICKETS).build();
        routerB.route("llm", 1_000, 0);
        b.exchange(engineB);
        assertThat(a.exchange(engineA)).isEqualTo(1);
        assertThat(c.exchange(engineC)).isEqualTo(1);
        assertThat(arrivals(engineC)).isGreaterThan(0);
    }
}
