package dev.autoscaler.core.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoscaler.WorkerRecord;
import dev.autoscaler.spi.RequestRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("reservations: a routed request's work is counted once and never leaks")
class ReservationAccountingTest {

    @Test
    void routing_reserves_the_cost_on_the_chosen_worker() {
        RouterHarness h = new RouterHarness(1);
        h.ready(1, 100);

        RouteAnswer.Routed r = (RouteAnswer.Routed) h.route(70);

        assertThat(h.worker(r.workerId()).reservedLoad()).isEqualTo(70);
        assertThat(h.engine.snapshot("llm").load().inFlight()).isEqualTo(70);
    }

    @Test
    void a_report_listing_the_request_moves_it_from_reserved_to_cur_load_without_double_count() {
        RouterHarness h = new RouterHarness(1);
        h.ready(1, 100);
        RouteAnswer.Routed r = (RouteAnswer.Routed) h.route(70);

        WorkerRecord after = h.report(h.worker(r.workerId()), 100, 70, List.of(r.requestIdx()));

        assertThat(after.reservedLoad()).isZero();
        assertThat(after.curLoad()).isEqualTo(70);
        assertThat(h.engine.snapshot("llm").load().inFlight()).isEqualTo(70);
        assertThat(h.engine.stateStore().requests("llm")).isEmpty();
    }

    @Test
    void a_report_that_does_not_list_the_request_keeps_its_reservation() {
        RouterHarness h = new RouterHarness(1);
        h.ready(1, 100);
        RouteAnswer.Routed r = (RouteAnswer.Routed) h.route(70);

        WorkerRecord after = h.report(h.worker(r.workerId()), 100, 0, List.of());

        assertThat(after.reservedLoad()).isEqualTo(70);
    }

    @Test
    void delete_requests_ends_the_reservation_once() {
        RouterHarness h = new RouterHarness(1);
        WorkerRecord w = h.ready(1, 100).get(0);
        RouteAnswer.Routed a = (RouteAnswer.Routed) h.route(30);
        RouteAnswer.Routed b = (RouteAnswer.Routed) h.route(40);

        int first = h.engine.deleteRequests(Long.parseLong(w.instanceId()), "tok-" + w.instanceId(), List.of(a.requestIdx()));
        int again = h.engine.deleteRequests(Long.parseLong(w.instanceId()), "tok-" + w.instanceId(), List.of(a.requestIdx()));
        h.report(h.worker(w.workerId()), 100, 40, List.of(a.requestIdx(), b.requestIdx()));

        assertThat(first).isEqualTo(1);
        assertThat(again).isZero();
        assertThat(h.worker(w.workerId()).reservedLoad()).isZero();
    }

    @Test
    void a_worker_cannot_end_another_workers_reservation() {
        RouterHarness h = new RouterHarness(2);
        List<WorkerRecord> ws = h.ready(2, 100);
        RouteAnswer.Routed r = (RouteAnswer.Routed) h.route(30);
        WorkerRecord other = ws.stream().filter(w -> !w.workerId().equals(r.workerId())).findFirst().orElseThrow();

        int released = h.engine.deleteRequests(Long.parseLong(other.instanceId()), "tok-" + other.instanceId(),
                List.of(r.requestIdx()));
        h.report(h.worker(other.workerId()), 100, 30, List.of(r.requestIdx()));

        assertThat(released).isZero();
        assertThat(h.worker(r.workerId()).reservedLoad()).isEqualTo(30);
    }

    @Test
    void a_reservation_nobody_accounts_for_ends_after_the_timeout() {
        RouterHarness h = new RouterHarness(1);
        h.ready(1, 100);
        RouteAnswer.Routed r = (RouteAnswer.Routed) h.route(30);

        h.advance(Duration.ofSeconds(29));
        h.router.sweep();
        assertThat(h.worker(r.workerId()).reservedLoad()).isEqualTo(30);
        h.advance(Duration.ofSeconds(2));
        h.router.sweep();

        assertThat(h.worker(r.workerId()).reservedLoad()).isZero();
        assertThat(h.engine.stateStore().requests("llm")).isEmpty();
    }

    @Test
    void a_re_poll_of_a_routed_request_gets_the_same_worker_without_a_second_reservation() {
        RouterHarness h = new RouterHarness(2);
        h.ready(2, 100);
        RouteAnswer.Routed r = (RouteAnswer.Routed) h.route(30);

        RouteAnswer.Routed again = (RouteAnswer.Routed) h.router.route("llm", 30, r.requestIdx());

        assertThat(again.url()).isEqualTo(r.url());
        assertThat(again.reqnum()).isEqualTo(r.reqnum());
        assertThat(h.workers().stream().mapToDouble(WorkerRecord::reservedLoad).sum()).isEqualTo(30);
    }

    @Test
    void concurrent_routes_never_overfill_a_worker_and_every_reservation_is_given_back() throws Exception {
        // 4 workers of perf 100 with max_queue_time 10 hold 1,000 units each: 40 requests of 100 fit.
        RouterHarness h = new RouterHarness(4, b -> b.maxQueueTime(10));
        h.ready(4, 100);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<RouteAnswer>> futures = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            futures.add(pool.submit(() -> {
                start.await();
                return h.route(100);
            }));
        }
        start.countDown();
        List<RouteAnswer.Routed> routed = Collections.synchronizedList(new ArrayList<>());
        for (Future<RouteAnswer> f : futures) {
            if (f.get() instanceof RouteAnswer.Routed r) {
                routed.add(r);
            }
        }
        pool.shutdown();

        assertThat(routed).hasSize(40);
        for (WorkerRecord w : h.workers()) {
            assertThat(w.reservedLoad()).isEqualTo(1000);
        }
        // each request is then both reported and deleted, in a random order: still released once
        SplittableRandom random = new SplittableRandom(3);
        for (RouteAnswer.Routed r : routed) {
            WorkerRecord w = h.worker(r.workerId());
            long id = Long.parseLong(w.instanceId());
            if (random.nextBoolean()) {
                h.report(w, 100, 0, List.of(r.requestIdx()));
            }
            h.engine.deleteRequests(id, "tok-" + id, List.of(r.requestIdx()));
            h.report(h.worker(r.workerId()), 100, 0, List.of(r.requestIdx()));
        }
        assertThat(h.workers()).allSatisfy(w -> assertThat(w.reservedLoad()).isZero());
        assertThat(h.engine.stateStore().requests("llm")).allMatch(RequestRecord::isWaiting).hasSize(160);
    }
}
