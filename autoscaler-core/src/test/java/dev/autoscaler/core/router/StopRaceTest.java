package dev.autoscaler.core.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoscaler.GroupTarget;
import dev.autoscaler.ScalingDecision;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * "A scale-down never fails a request", raced for real: 8 router threads route 10,000 requests while
 * another thread ticks the engine with targets that keep moving (stops, drains, resumes, destroys).
 * A request fails when the worker it was handed is stopped (or on its way to be) before the request
 * is done: the routing thread checks that the worker still serves when its "client" has called it,
 * then ends the request as the worker's {@code /delete_requests/} would.
 */
class StopRaceTest {
    private static final int THREADS = 8;
    private static final int ROUTES = 10_000;
    private static final int FLEET = 6;

    @Test
    @DisplayName("8 router threads, 10,000 routes, ticks racing: no request lands on a worker being stopped")
    void noFailedRequest() throws Exception {
        RouterHarness h = new RouterHarness(FLEET);
        h.ready(FLEET, 1000);
        AtomicBoolean routing = new AtomicBoolean(true);
        AtomicInteger routed = new AtomicInteger();
        AtomicInteger stopsOrDrains = new AtomicInteger();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        CountDownLatch go = new CountDownLatch(1);

        Thread ticker = new Thread(() -> {
            SplittableRandom random = new SplittableRandom(3);
            awaitQuietly(go);
            while (routing.get()) {
                int active = 1 + random.nextInt(FLEET);
                h.policy = s -> ScalingDecision.of(Map.of("main", new GroupTarget(active, 0)), "race " + active);
                long serving = h.workers().stream().filter(w -> w.state() == WorkerState.READY).count();
                h.engine.tick();
                if (h.workers().stream().filter(w -> w.state() == WorkerState.READY).count() < serving) {
                    stopsOrDrains.incrementAndGet();
                }
                // workers the tick resumed come back: they report ready (no work listed)
                for (WorkerRecord w : h.workers()) {
                    if (w.state() == WorkerState.STARTING || w.state() == WorkerState.LOADING) {
                        h.report(w, 1000, 0, List.of());
                    }
                }
            }
        }, "ticker");

        Thread[] routers = new Thread[THREADS];
        for (int t = 0; t < THREADS; t++) {
            int seed = t;
            routers[t] = new Thread(() -> {
                SplittableRandom random = new SplittableRandom(100 + seed);
                awaitQuietly(go);
                for (int i = 0; i < ROUTES / THREADS; i++) {
                    Number cost = random.nextInt(4) == 0 ? 0 : random.nextInt(1, 200);
                    RouteAnswer answer = h.router.route(RouterHarness.ENDPOINT, cost, 0);
                    while (answer instanceof RouteAnswer.NotReady notReady) {
                        Thread.onSpinWait();
                        answer = h.router.route(RouterHarness.ENDPOINT, cost, notReady.requestIdx());
                    }
                    RouteAnswer.Routed r = (RouteAnswer.Routed) answer;
                    routed.incrementAndGet();
                    // the client calls the worker now: it must still be serving (ready or draining)
                    Optional<WorkerRecord> w = h.engine.stateStore().worker(r.workerId());
                    if (w.isEmpty() || (w.get().state() != WorkerState.READY && w.get().state() != WorkerState.DRAINING)) {
                        failures.add("request " + r.requestIdx() + " on worker " + r.workerId() + " found it "
                                + w.map(x -> x.state().wireName()).orElse("gone"));
                        continue;
                    }
                    // done: the worker's /delete_requests/ ends the reservation
                    h.engine.deleteRequests(Long.parseLong(w.get().instanceId()), "tok-" + w.get().instanceId(),
                            List.of(r.requestIdx()));
                }
            }, "router-" + t);
        }
        ticker.start();
        for (Thread t : routers) {
            t.start();
        }
        go.countDown();
        for (Thread t : routers) {
            t.join();
        }
        routing.set(false);
        ticker.join();

        assertThat(routed.get()).isEqualTo(ROUTES);
        assertThat(stopsOrDrains.get()).as("the ticks did scale down while routes ran").isGreaterThan(10);
        assertThat(failures).as("requests handed to a worker that was then stopped").isEmpty();
        assertThat(h.workers()).allSatisfy(w -> assertThat(w.reservedRequests()).isZero());
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
