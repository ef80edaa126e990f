package dev.autoscaler.core.policy;

import dev.autoscaler.EndpointConfig;
import dev.autoscaler.LoadStats;

/**
 * The load an endpoint should be ready for, in perf units/s: the higher of the short (60 s) and long
 * (300 s) arrival rates, plus the work waiting at the router spread over {@code target_queue_time}
 * (it must be served within that time), floored at {@code min_load}. Taking the higher window makes
 * scale-up follow a rise within a minute while scale-down lags a fall by about five minutes.
 *
 * @param shortRate   arrival rate over the short window
 * @param longRate    arrival rate over the long window
 * @param waiting     work waiting at the router
 * @param waitingRate {@code waiting / target_queue_time}
 * @param measured    {@code max(shortRate, longRate) + waitingRate}
 * @param minLoad     {@code min_load}
 * @param total       {@code max(measured, minLoad)}: what the policy plans for
 */
record LoadForecast(double shortRate, double longRate, double waiting, double waitingRate, double measured,
                    double minLoad, double total) {

    /** Figures that are negative or not finite (a bug upstream) count as 0 rather than poisoning the plan. */
    static LoadForecast of(LoadStats load, EndpointConfig config) {
        return of(load, config, true);
    }

    /**
     * @param useLongWindow false to plan on the short window alone: scale-down follows a fall within
     *                      about a minute instead of five (policy param {@code forecast_window=short})
     */
    static LoadForecast of(LoadStats load, EndpointConfig config, boolean useLongWindow) {
        double shortRate = Numbers.sane(load.arrivalRateShort());
        double longRate = useLongWindow ? Numbers.sane(load.arrivalRateLong()) : 0;
        double waiting = Numbers.sane(load.waitingDemand());
        double waitingRate = waiting / config.targetQueueTime();
        double measured = Math.max(shortRate, longRate) + waitingRate;
        return new LoadForecast(shortRate, longRate, waiting, waitingRate, measured, config.minLoad(),
                Math.max(measured, config.minLoad()));
    }

    /** E.g. {@code forecast 5,210/s (short 5,210, long 4,100, waiting 300 in 10 s)}. */
    String describe(EndpointConfig config) {
        StringBuilder text = new StringBuilder("forecast ").append(Numbers.format(total)).append("/s (short ")
                .append(Numbers.format(shortRate));
        if (longRate > 0) {
            text.append(", long ").append(Numbers.format(longRate));
        }
        if (waiting > 0) {
            text.append(", waiting ").append(Numbers.format(waiting)).append(" in target_queue_time ")
                    .append(Numbers.format(config.targetQueueTime())).append(" s");
        }
        if (minLoad > measured) {
            text.append(", raised to min_load ").append(Numbers.format(minLoad));
        }
        return text.append(')').toString();
    }
}
