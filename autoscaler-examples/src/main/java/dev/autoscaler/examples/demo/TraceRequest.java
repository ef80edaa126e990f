package dev.autoscaler.examples.demo;

/**
 * One request of a trace.
 *
 * @param offsetNanos     arrival time since the trace's first request
 * @param contextTokens   prompt tokens
 * @param generatedTokens tokens to generate
 */
public record TraceRequest(long offsetNanos, int contextTokens, int generatedTokens) {
    public TraceRequest {
        if (offsetNanos < 0 || contextTokens < 0 || generatedTokens < 0) {
            throw new IllegalArgumentException("negative field in trace request: " + offsetNanos + ", "
                    + contextTokens + ", " + generatedTokens);
        }
    }

    /** The request's work in tokens, the unit of the workers' {@code max_perf}: prompt plus generated. */
    public double cost() {
        return Math.max(1, contextTokens + generatedTokens);
    }
}
