package dev.autoscaler.http.netty;

import dev.autoscaler.core.http.AutoscalerApi;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The worker threads that answer an API whose state store does I/O: one pool for what is answered
 * from memory ({@code /route/}, the liveness probe {@code /healthz/}, {@code /pubkey/}), one for
 * everything else (reports, deletes, the admin API, {@code /readyz/}, which looks the store up). Two,
 * not one, so that reports waiting on a slow or unreachable database cannot take every thread while
 * routes, which a replica serves from its view, and the liveness probe, which an orchestrator times
 * (a late one restarts the process), wait behind them. Each connection has at most one request being
 * answered, so the queues are bounded by the open connections.
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
        return p.equals(AutoscalerApi.ROUTE) || p.equals(AutoscalerApi.HEALTHZ) || p.equals(AutoscalerApi.PUBKEY)
                ? routes : others;
    }

    @Override
    public void close() {
        routes.shutdownNow();
        others.shutdownNow();
    }
}
