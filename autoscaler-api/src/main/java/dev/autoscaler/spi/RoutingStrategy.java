package dev.autoscaler.spi;

import dev.autoscaler.WorkerRecord;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Picks the worker for one request among the eligible ones: ready workers whose expected queue
 * time, with this request's cost added, stays under {@code max_queue_time}. Called on the hot path:
 * no I/O, no allocation beyond what is needed.
 */
@FunctionalInterface
public interface RoutingStrategy {

    /**
     * @param eligible never empty
     * @param cost     the request's cost, perf units
     * @param random   the router's random source (seeded in simulations)
     * @return one of {@code eligible}
     */
    WorkerRecord choose(List<WorkerRecord> eligible, double cost, RandomGenerator random);
}
