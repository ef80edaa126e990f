package dev.autoscaler;

/**
 * What the engine measured of an endpoint's traffic, as a policy sees it. Every load is in perf
 * units (the unit of {@code max_perf} and of a request's {@code cost}); rates are per second.
 *
 * @param arrivalRateShort        work arriving per second over the last {@link #SHORT_WINDOW_SECONDS}
 * @param arrivalRateLong         work arriving per second over the last {@link #LONG_WINDOW_SECONDS}
 * @param servedRateShort         work served per second over the last {@link #SHORT_WINDOW_SECONDS}
 * @param inFlight                work in flight on workers now (reported plus reserved by the router)
 * @param waitingDemand           work of requests waiting at the router for a worker
 * @param waitingRequests         how many requests wait at the router
 * @param queueTimeSeconds        observed queue time now: the longer of the oldest waiting request's
 *                                wait and the mean expected queue time of the ready workers
 * @param secondsSinceLastRequest seconds since work last arrived; infinite when it never did
 * @param fresh                   true when every ready worker reported recently enough to trust the
 *                                figures; a policy should not scale down on stale figures
 */
public record LoadStats(double arrivalRateShort, double arrivalRateLong, double servedRateShort, double inFlight,
                        double waitingDemand, int waitingRequests, double queueTimeSeconds,
                        double secondsSinceLastRequest, boolean fresh) {

    /** The short load window, in seconds. */
    public static final int SHORT_WINDOW_SECONDS = 60;
    /** The long load window, in seconds. */
    public static final int LONG_WINDOW_SECONDS = 300;

    /** No traffic ever. */
    public static LoadStats idle() {
        return new LoadStats(0, 0, 0, 0, 0, 0, 0, Double.POSITIVE_INFINITY, true);
    }
}
