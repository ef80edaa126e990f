package dev.autoscaler;

/**
 * What the engine measured of an endpoint's traffic, as a policy sees it. Every load is in perf
 * units (the unit of {@code max_perf} and of a request's {@code cost}); rates are per second.
 *
 * <p>Arrivals are counted once per request, when the router first sees it (or, with no router
 * traffic in the long window, from the workers' {@code new_load} reports). Rates are averaged over
 * the seconds the engine has seen, so the first burst after a start is not diluted.
 *
 * @param arrivalRateShort        work arriving per second over the short window: the higher of the
 *                                rate over the last {@value #BURST_WINDOW_SECONDS} s and over the last
 *                                {@value #SHORT_WINDOW_SECONDS} s, so that a burst shows within seconds
 *                                while a lull does not drop the figure at once
 * @param arrivalRateLong         work arriving per second over the last {@value #LONG_WINDOW_SECONDS} s
 * @param servedRateShort         work served per second (the workers' reported {@code cur_perf}) over
 *                                the last {@value #SHORT_WINDOW_SECONDS} s
 * @param inFlight                work in flight on workers now (reported plus reserved by the router)
 * @param waitingDemand           work of requests waiting at the router for a worker
 * @param waitingRequests         how many requests wait at the router
 * @param queueTimeSeconds        observed queue time now: the longer of the oldest waiting request's
 *                                wait and the mean expected queue time of the ready workers
 * @param secondsSinceLastRequest seconds since work last arrived; infinite when it never did
 * @param fresh                   true when every ready worker reported within the endpoint's
 *                                {@code stale_after} (default 30 s; which ones did not:
 *                                {@link EndpointSnapshot#staleWorkers()}); false
 *                                means the figures cannot be trusted (they then read low): a policy
 *                                should not scale down on them
 * @param arrivalRateBurst        work arriving per second over the last {@value #BURST_WINDOW_SECONDS} s
 *                                alone: a policy that keeps these figures tick after tick sees the
 *                                shape of the traffic (bursts, rises), not only means over fixed windows
 */
public record LoadStats(double arrivalRateShort, double arrivalRateLong, double servedRateShort, double inFlight,
                        double waitingDemand, int waitingRequests, double queueTimeSeconds,
                        double secondsSinceLastRequest, boolean fresh, double arrivalRateBurst) {

    /** The burst window: {@link #arrivalRateShort()} is the higher of its rate and {@link #SHORT_WINDOW_SECONDS}'s. */
    public static final int BURST_WINDOW_SECONDS = 10;
    public static final int SHORT_WINDOW_SECONDS = 60;
    /** The long load window, in seconds. */
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
