package dev.autoscaler.examples.demo;

/**
 * What became of one replayed request.
 *
 * @param request      the trace request
 * @param kind         served, rejected by the worker, dropped (waited too long for a worker), failed
 * @param queueSeconds arrival to start of service, including the time spent re-polling {@code /route/}
 *                     and waiting in the worker's queue; NaN when not served
 * @param totalSeconds arrival to answer
 * @param workerUrl    the worker that served it, or empty
 */
public record RequestOutcome(TraceRequest request, Kind kind, double queueSeconds, double totalSeconds,
                             String workerUrl) {

    public enum Kind { SERVED, REJECTED, DROPPED, FAILED }

    public boolean served() {
        return kind == Kind.SERVED;
    }
}
