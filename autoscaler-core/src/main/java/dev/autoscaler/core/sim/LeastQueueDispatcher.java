package dev.autoscaler.core.sim;

import dev.autoscaler.AutoscalerEvent;
import dev.autoscaler.LoadReport;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import dev.autoscaler.core.Autoscaler;
import dev.autoscaler.spi.AutoscalerListener;
import dev.autoscaler.spi.RequestRecord;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A minimal stand-in for the router, over the engine's own bookkeeping: a request goes to the READY
 * worker with the least expected queue time ((reported in-flight work + work routed to it since its
 * last report + this request's cost) / perf) among those that stay under the endpoint's
 * {@code max_queue_time}; an idle worker always qualifies, so that a request larger than
 * {@code max_queue_time} of work is not refused forever. Ties go to the older worker.
 *
 * <p>As the router does, it counts a request as demand once, on its first call
 * ({@link Autoscaler#recordRoutedRequest}), and keeps a waiting request in the state store, so that
 * policies see the waiting demand and the oldest wait.
 *
 * <p>It reads the engine's worker list again only after something changed it (a report, a state
 * change): the simulation routes thousands of requests between two reports. For simulations only:
 * single-threaded.
 */
public final class LeastQueueDispatcher implements SimDispatcher {
    private final Autoscaler engine;
    /** Work routed to each instance since its last report, which the stored curLoad does not show yet. */
    private final Map<String, Double> routedSinceReport = new HashMap<>();
    /** The engine's worker lists by endpoint, dropped whenever a report or a state change may have changed them. */
    private final Map<String, List<WorkerRecord>> workers = new HashMap<>();

    public LeastQueueDispatcher(Autoscaler engine) {
        this.engine = Objects.requireNonNull(engine, "engine");
        engine.addListener(new AutoscalerListener() {
            @Override
            public void onWorkerStateChanged(AutoscalerEvent.WorkerStateChanged event) {
                workers.clear();
            }
        });
    }

    @Override
    public Route route(String endpoint, double cost, long requestIdx) {
        long idx = requestIdx;
        if (idx == 0) {
            idx = engine.stateStore().nextRequestIdx();
            engine.recordRoutedRequest(endpoint, cost);
        }
        double maxQueue = engine.endpoint(endpoint).maxQueueTime();
        WorkerRecord best = null;
        double bestQueue = Double.POSITIVE_INFINITY;
        for (WorkerRecord w : workers.computeIfAbsent(endpoint, engine::workers)) {
            if (w.state() != WorkerState.READY || w.perf() <= 0) {
                continue;
            }
            double pending = w.curLoad() + routedSinceReport.getOrDefault(w.instanceId(), 0.0);
            double queue = (pending + cost) / w.perf();
            boolean fits = pending <= 0 || queue <= maxQueue;
            if (fits && queue < bestQueue) {
                best = w;
                bestQueue = queue;
            }
        }
        if (best == null) {
            if (requestIdx == 0) {
                engine.stateStore().putRequestIfAbsent(
                        new RequestRecord(idx, endpoint, cost, engine.clock().nanoTime(), "", 0, 0));
            }
            return Route.notReady(idx);
        }
        routedSinceReport.merge(best.instanceId(), cost, Double::sum);
        if (requestIdx != 0) {
            engine.stateStore().removeRequest(idx);
        }
        return Route.to(idx, best.url());
    }

    @Override
    public void workerReported(LoadReport report) {
        // A simulated worker's report counts everything it received until now.
        routedSinceReport.remove(Long.toString(report.id()));
        workers.clear();
    }

    @Override
    public void abandoned(String endpoint, long requestIdx) {
        engine.stateStore().removeRequest(requestIdx);
    }
}
