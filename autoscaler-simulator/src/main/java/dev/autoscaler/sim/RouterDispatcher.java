package dev.autoscaler.sim;

import dev.autoscaler.core.Autoscaler;
import dev.autoscaler.core.router.RouteAnswer;
import dev.autoscaler.core.router.Router;
import dev.autoscaler.core.ticket.TicketFormats;
import java.util.random.RandomGenerator;

/**
 * The simulation's clients go through the real {@link Router}: the same choice of worker, the same
 * reservations, demand counting, waiting-request records, stale-request expiry and wake-from-zero
 * as over HTTP, and a real signature per answer. So what the simulator measures is the product.
 */
public final class RouterDispatcher implements SimDispatcher {
    private final Router router;

    public RouterDispatcher(Autoscaler engine, RandomGenerator random) {
        this.router = Router.builder(engine).tickets(Keys.TICKETS).random(random).build();
    }

    @Override
    public Route route(String endpoint, double cost, long requestIdx) {
        RouteAnswer answer = router.route(endpoint, cost, requestIdx);
        if (answer instanceof RouteAnswer.Routed routed) {
            return Route.to(routed.requestIdx(), routed.url());
        }
        return Route.notReady(answer.requestIdx());
    }

    @Override
    public void abandoned(String endpoint, long requestIdx) {
        router.abandon(requestIdx);
    }

    @Override
    public void sweep() {
        router.sweep();
    }

    /** Keys are made once per process: a 2048-bit RSA key takes long enough to show in a benchmark. */
    private static final class Keys {
        static final TicketFormats TICKETS = TicketFormats.builder().build();
    }
}
