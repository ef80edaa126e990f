package dev.autoscaler.sim;

import dev.autoscaler.LoadReport;
import java.util.Optional;

/**
 * How the simulation's clients get a worker: one {@code /route/} call at a time, the shape of the
 * real router's flow (PROTOCOL.md): the first call of a wait has {@code requestIdx} 0 and counts as
 * demand; a re-poll passes the {@code request_idx} it was given and is not counted again. This is
 * the one seam where the simulation meets routing: {@link RouterDispatcher}, over the real router,
 * unless a test passes another.
 */
public interface SimDispatcher {

    /**
     * One {@code /route/} call.
     *
     * @param requestIdx 0 on the first call of a wait, else the index a previous answer gave
     */
    Route route(String endpoint, double cost, long requestIdx);

    /** A worker's report went to the engine (the router may release what the report accounts for). */
    default void workerReported(LoadReport report) {
    }

    /** The client gave up waiting: forget the request. */
    default void abandoned(String endpoint, long requestIdx) {
    }

    /**
     * Ends stale waits and reservations, as a server's scheduled sweeps do; the simulation calls it
     * every {@link Simulation#SWEEP_PERIOD}.
     */
    default void sweep() {
    }

    /**
     * A route answer: the worker's URL, or empty for "not ready, poll again".
     *
     * @param requestIdx the index to re-poll with
     */
    record Route(long requestIdx, Optional<String> url) {
        public static Route to(long requestIdx, String url) {
            return new Route(requestIdx, Optional.of(url));
        }

        public static Route notReady(long requestIdx) {
            return new Route(requestIdx, Optional.empty());
        }
    }
}
