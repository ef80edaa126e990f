package dev.autoscaler.core.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autoscaler.EndpointState;
import dev.autoscaler.GroupTarget;
import dev.autoscaler.InvalidRequestException;
import dev.autoscaler.NotFoundException;
import dev.autoscaler.ScalingDecision;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import dev.autoscaler.spi.RequestRecord;
import dev.autoscaler.spi.TicketClaims;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RouterTest {

    @Nested
    @DisplayName("choosing a worker")
    class Choosing {
        @Test
        void routes_to_a_ready_worker_with_its_url_a_reqnum_and_a_signature() {
            RouterHarness h = new RouterHarness(1);
            WorkerRecord w = h.ready(1, 100).get(0);

            RouteAnswer answer = h.route(242.0);

            assertThat(answer).isInstanceOf(RouteAnswer.Routed.class);
            RouteAnswer.Routed r = (RouteAnswer.Routed) answer;
            assertThat(r.url()).isEqualTo(w.url());
            assertThat(r.reqnum()).isEqualTo(1);
            assertThat(r.requestIdx()).isPositive();
            assertThat(RouterHarness.TICKETS.verifier("vast-rsa", h.clock).verify(r.signature(),
                    new TicketClaims("llm", w.url(), 242.0, 1, r.requestIdx(), w.instanceId(), h.clock.now())).accepted())
                    .isTrue();
            assertThat(r.requestId()).matches("[0-9a-f-]{36}");
            assertThat(h.route(1).requestIdx()).isNotEqualTo(r.requestIdx());
        }

        @Test
        void signs_in_the_endpoints_ticket_format() {
            RouterHarness h = new RouterHarness(1, b -> b.ticketFormat("ed25519"));
            WorkerRecord w = h.ready(1, 100).get(0);

            RouteAnswer.Routed r = (RouteAnswer.Routed) h.route(100);

            TicketClaims presented = new TicketClaims("llm", w.url(), 100L, r.reqnum(), r.requestIdx(), w.instanceId(),
                    h.clock.now());
            assertThat(RouterHarness.TICKETS.verifier("ed25519", h.clock).verify(r.signature(), presented).accepted()).isTrue();
        }

        @Test
        void keeps_the_cost_as_an_integer_or_a_float_as_given() {
            RouterHarness h = new RouterHarness(1);
            h.ready(1, 1000);

            assertThat(((RouteAnswer.Routed) h.route(100)).cost()).isEqualTo(100L);
            assertThat(((RouteAnswer.Routed) h.route(100.0)).cost()).isEqualTo(100.0);
        }

        @Test
        void picks_the_worker_with_the_least_expected_wait() {
            RouterHarness h = new RouterHarness(3);
            List<WorkerRecord> ws = h.ready(3, 100);
            h.report(ws.get(0), 100, 500, List.of());
            h.report(ws.get(1), 100, 100, List.of());
            h.report(ws.get(2), 100, 900, List.of());

            RouteAnswer.Routed r = (RouteAnswer.Routed) h.route(10);

            assertThat(r.url()).isEqualTo(ws.get(1).url());
        }

        @Test
        void skips_workers_whose_queue_would_pass_max_queue_time_and_says_so() {
            RouterHarness h = new RouterHarness(2, b -> b.maxQueueTime(10));
            List<WorkerRecord> ws = h.ready(2, 100);
            h.report(ws.get(0), 100, 950, List.of());
            h.report(ws.get(1), 100, 990, List.of());

            RouteAnswer answer = h.route(100);

            assertThat(answer).isInstanceOf(RouteAnswer.NotReady.class);
            assertThat(((RouteAnswer.NotReady) answer).status()).contains("2 ready").contains("full");
        }

        @Test
        void an_idle_worker_takes_a_request_bigger_than_its_queue_bound() {
            RouterHarness h = new RouterHarness(1, b -> b.maxQueueTime(1));
            h.ready(1, 10);

            assertThat(h.route(1000)).isInstanceOf(RouteAnswer.Routed.class);
        }

        @Test
        void consecutive_routes_spread_by_their_reservations() {
            RouterHarness h = new RouterHarness(2);
            h.ready(2, 100);

            String first = ((RouteAnswer.Routed) h.route(100)).url();
            String second = ((RouteAnswer.Routed) h.route(100)).url();

            assertThat(second).isNotEqualTo(first);
        }

        @Test
        void overflow_groups_get_traffic_only_when_the_primary_ones_are_full() {
            RouterHarness h = new RouterHarness(2, b -> b.maxQueueTime(1)
                    .addGroup(WorkerGroupConfig.builder("spill").overflow(true).build()));
            h.policy = s -> ScalingDecision.of(Map.of("main", new GroupTarget(1, 0), "spill", new GroupTarget(1, 0)), "t");
            h.engine.tick();
            for (WorkerRecord w : h.workers()) {
                h.report(w, 100, 0, List.of());
            }
            String main = h.workers().stream().filter(w -> w.group().equals("main")).findFirst().orElseThrow().url();
            String spill = h.workers().stream().filter(w -> w.group().equals("spill")).findFirst().orElseThrow().url();

            assertThat(((RouteAnswer.Routed) h.route(100)).url()).isEqualTo(main);
            assertThat(((RouteAnswer.Routed) h.route(100)).url()).isEqualTo(spill);
        }

        @Test
        void power_of_two_is_found_by_name_and_routes() {
            RouterHarness h = new RouterHarness(4, b -> b, b -> b.strategy("power-of-two"));
            h.ready(4, 100);

            assertThat(RoutingStrategies.load().names()).contains("least-wait", "power-of-two");
            assertThat(h.route(10)).isInstanceOf(RouteAnswer.Routed.class);
        }

        @Test
        void rejects_a_negative_or_non_finite_cost_naming_it() {
            RouterHarness h = new RouterHarness(1);

            assertThatThrownBy(() -> h.route(-1)).isInstanceOf(InvalidRequestException.class)
                    .extracting(e -> ((InvalidRequestException) e).field()).isEqualTo("cost");
            assertThatThrownBy(() -> h.route(Double.NaN)).isInstanceOf(InvalidRequestException.class);
        }

        @Test
        void an_unknown_endpoint_is_not_found() {
            RouterHarness h = new RouterHarness(1);

            assertThatThrownBy(() -> h.router.route("nope", 1, 0)).isInstanceOf(NotFoundException.class);
        }
    }

    @Nested
    @DisplayName("waiting requests")
    class Waiting {
        @Test
        void a_request_with_no_ready_worker_waits_and_is_counted_once_however_often_it_polls() {
            RouterHarness h = new RouterHarness(1);
            h.scaleTo(1); // loading, not ready

            RouteAnswer.NotReady first = (RouteAnswer.NotReady) h.route(200);
            RouteAnswer again = h.router.route("llm", 200, first.requestIdx());
            h.router.route("llm", 200, first.requestIdx());

            assertThat(first.status()).contains("1 loading");
            assertThat(again.requestIdx()).isEqualTo(first.requestIdx());
            var load = h.engine.snapshot("llm").load();
            assertThat(load.waitingRequests()).isEqualTo(1);
            assertThat(load.waitingDemand()).isEqualTo(200);
            assertThat(load.arrivalRateShort()).isEqualTo(200);
        }

        @Test
        void a_re_poll_is_routed_under_its_request_idx_once_a_worker_is_ready() {
            RouterHarness h = new RouterHarness(1);
            h.scaleTo(1);
            long idx = h.route(50).requestIdx();

            h.report(h.workers().get(0), 100, 0, List.of());
            RouteAnswer answer = h.router.route("llm", 50, idx);

            assertThat(answer).isInstanceOf(RouteAnswer.Routed.class);
            assertThat(answer.requestIdx()).isEqualTo(idx);
            assertThat(h.engine.snapshot("llm").load().waitingRequests()).isZero();
            assertThat(h.workers().get(0).reservedLoad()).isEqualTo(50);
        }

        @Test
        void a_wait_with_no_re_poll_expires_after_120_seconds() {
            RouterHarness h = new RouterHarness(1);
            h.scaleTo(1);
            h.route(50);

            h.advance(Duration.ofSeconds(121));
            h.router.sweep();

            assertThat(h.engine.stateStore().requests("llm")).isEmpty();
        }

        @Test
        void a_route_sweeps_only_while_no_sweeps_are_scheduled() {
            RouterHarness h = new RouterHarness(1);
            h.scaleTo(1);
            h.route(50);
            // scheduled on a scheduler nobody steps: only a route could sweep
            dev.autoscaler.TaskScheduler.Cancellable sweeps =
                    h.router.scheduleSweeps(new dev.autoscaler.ManualScheduler(h.clock), Duration.ofSeconds(1));

            h.advance(Duration.ofSeconds(121));
            h.route(50);
            assertThat(h.engine.stateStore().requests("llm")).hasSize(2); // the expired wait is still there

            sweeps.cancel();
            h.advance(Duration.ofSeconds(121));
            long idx = h.route(50).requestIdx();
            assertThat(h.engine.stateStore().requests("llm")).extracting(RequestRecord::requestIdx).containsExactly(idx);
        }

        @Test
        void a_wait_that_keeps_polling_does_not_expire() {
            RouterHarness h = new RouterHarness(1);
            h.scaleTo(1);
            long idx = h.route(50).requestIdx();

            for (int i = 0; i < 4; i++) {
                h.advance(Duration.ofSeconds(60));
                h.router.route("llm", 50, idx);
            }
            h.router.sweep();

            assertThat(h.engine.stateStore().requests("llm")).extracting(RequestRecord::requestIdx).containsExactly(idx);
        }

        @Test
        void the_first_waiting_request_wakes_an_endpoint_scaled_to_zero_at_once() {
            RouterHarness h = new RouterHarness(1);
            h.policy = s -> ScalingDecision.of(Map.of("main",
                    new GroupTarget(s.load().waitingRequests() > 0 ? 1 : 0, 0)), "wake on demand");
            h.engine.tick();
            assertThat(h.workers()).isEmpty();

            h.route(10); // no scheduler step: only the wake can have ticked

            assertThat(h.workers()).extracting(WorkerRecord::state).containsExactly(WorkerState.LOADING);
            assertThat(h.provider.inUseCount()).isEqualTo(1);
        }

        @Test
        void a_stopped_endpoint_routes_nothing_and_records_no_demand() {
            RouterHarness h = new RouterHarness(1);
            h.ready(1, 100);
            h.engine.putEndpoint(h.engine.endpoint("llm").toBuilder().state(EndpointState.STOPPED).build());

            RouteAnswer answer = h.route(10);

            assertThat(answer).isInstanceOf(RouteAnswer.NotReady.class);
            assertThat(((RouteAnswer.NotReady) answer).status()).contains("stopped");
            assertThat(h.engine.stateStore().requests("llm")).isEmpty();
        }

        @Test
        void a_suspended_endpoint_still_routes() {
            RouterHarness h = new RouterHarness(1);
            h.ready(1, 100);
            h.engine.putEndpoint(h.engine.endpoint("llm").toBuilder().state(EndpointState.SUSPENDED).build());

            assertThat(h.route(10)).isInstanceOf(RouteAnswer.Routed.class);
        }
    }
}
