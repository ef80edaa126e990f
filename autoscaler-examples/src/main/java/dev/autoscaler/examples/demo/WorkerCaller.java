package dev.autoscaler.examples.demo;

import java.util.concurrent.CompletableFuture;

/**
 * Sends one request through the two-step flow (route it, then call the chosen worker) and tells
 * what became of it. Never completes exceptionally: a failure is a {@link RequestOutcome.Kind#FAILED}
 * outcome.
 */
@FunctionalInterface
public interface WorkerCaller {
    CompletableFuture<RequestOutcome> call(TraceRequest request);
}
