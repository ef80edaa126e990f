package dev.autoscaler.core.compare;

/**
 * What one worker group (or one GPU type) did so far, for {@link HardwareComparison}. Figures that
 * have no meaning yet (no cost, no ready time, no sample) are {@code NaN}, written as JSON {@code null}.
 *
 * @param name                the group's name, or the GPU type ({@code unknown} when the provider named none)
 * @param workers             workers seen (every worker the engine had, destroyed ones included)
 * @param servedWork          work served, perf units: the sum of the workers' reported {@code cur_perf}
 * @param costUsd             money spent so far, $: each worker's price x its time billed at the full price
 *                            (every state but creating, stopped and destroyed); storage while stopped is
 *                            not counted, as the engine does not know its price
 * @param servedWorkPerDollar {@code servedWork / costUsd}: the ranking key
 * @param maxPerf             the measured {@code max_perf} of the workers that benchmarked, one sample per worker
 * @param coldStartSeconds    new worker created to ready, s, one sample per cold start
 * @param resumeSeconds       start asked (from stopped) to ready, s, one sample per resume
 * @param errors              times a worker went to the error state
 * @param errorsPerWorkerHour {@code errors} per hour billed at the full price
 * @param readyHours          worker-hours spent ready
 * @param billedHours         worker-hours billed at the full price
 * @param utilization         {@code servedWork / (perf x ready seconds)}, perf being max_perf x reliability:
 *                            the share of the ready capacity that served work
 */
public record HardwareFigures(String name, int workers, double servedWork, double costUsd,
                              double servedWorkPerDollar, Distribution maxPerf, Distribution coldStartSeconds,
                              Distribution resumeSeconds, int errors, double errorsPerWorkerHour,
                              double readyHours, double billedHours, double utilization) {

    /** {@return true when it can be ranked: it cost something and served something} */
    public boolean isRankable() {
        return costUsd > 0 && servedWork > 0;
    }
}
