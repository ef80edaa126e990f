package dev.autoscaler.http.netty;

import dev.autoscaler.core.http.AutoscalerApi;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The worker threads that answer an API whose state store does I/O: one pool for what a replica
 * answers from memory ({@code /route/}, the probes, {@code /pubkey/}), one for everything else
 * (reports, deletes, the admin API). Two, not one, so that reports waiting on a slow or unreachable
 * database cannot take every thread while routes, which a replica serves from its view, and the
 * probes, which an orchestrator times (a late liveness answer restarts the process, a late readiness
 * one takes a replica that still routes out of the load balancer), wait behind them. Each connection
 * has at most one request being answered, so the queues are bounded by the open connections.
 */
final class AnswerPools implements AutoCloseable {
    private final ExecutorService routes;
    private final ExecutorService others;

    AnswerPools(int threadsEach) {
        this.routes = Executors.newFixedThreadPool(threadsEach, new DefaultThreadFactory("autoscaler-route", true));
        this.others = Executors.newFixedThreadPool(threadsEach, new DefaultThreadFactory("autoscaler-answer", true));
    }

    ExecutorService forPath(String path) {
        String p = path.endsWith("/") ? path : path + "/";
        return p.equals(AutoscalerApi.ROUTE) || p.equals(AutoscalerApi.HEALTHZ) || p.equals(AutoscalerApi.READYZ)
                || p.equals(AutoscalerApi.PUBKEY) ? routes : others;
    }

    @Override
    public void close() {
        routes.shutdownNow();
        others.shutdownNow();
    }
}
