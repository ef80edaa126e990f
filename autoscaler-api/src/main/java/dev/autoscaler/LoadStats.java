package dev.autoscaler;

/**
 * What the engine measured of an endpoint's traffic, as a policy sees it. Every load is in perf
 * units (the unit of {@code max_perf} and of a request's {@code cost}); rates are per second.
 *
 * @param arrivalRateShort        work arriving per second over the short window: the higher of the
 *                                last {@link #BURST_WINDOW_SECONDS} and the last {@link #SHORT_WINDOW_SECONDS}
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
 * @param arrivalRateBurst        work arriving per second over the last {@link #BURST_WINDOW_SECONDS}
 *                                alone: a policy that keeps these figures tick after tick sees the
 *                                shape of the traffic (bursts, rises), not only means over fixed windows
 */
public record LoadStats(double arrivalRateShort, double arrivalRateLong, double servedRateShort, double inFlight,
                        double waitingDemand, int waitingRequests, double queueTimeSeconds,
                        double secondsSinceLastRequest, boolean fresh, double arrivalRateBurst) {

    public static final int BURST_WINDOW_SECONDS = 10;
    public static final int SHORT_WINDOW_SECONDS = 60;
    public static final int LONG_WINDOW_SECONDS = 300;

    /**
     * The figures without a burst-window rate of their own (as before it existed): the burst rate is
     * taken to be the short one.
     */
    public LoadStats(double arrivalRateShort, double arrivalRateLong, double servedRateShort, double inFlight,
                     double waitingDemand, int waitingRequests, double queueTimeSeconds,
                     double secondsSinceLastRequest, boolean fresh) {
        this(arrivalRateShort, arrivalRateLong, servedRateShort, inFlight, waitingDemand, waitingRequests,
                queueTimeSeconds, secondsSinceLastRequest, fresh, arrivalRateShort);
    }

    /** No traffic ever. */
    public static LoadStats idle() {
        return new LoadStats(0, 0, 0, 0, 0, 0, 0, Double.POSITIVE_INFINITY, true, 0);
    }
}
