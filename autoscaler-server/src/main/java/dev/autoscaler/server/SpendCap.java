package dev.autoscaler.server;

import java.util.OptionalDouble;

/**
 * The engine-wide spend cap of {@code serve} (each endpoint may have its own {@code max_cost_per_hour}
 * in its JSON too).
 *
 * @param maxCostPerHour       {@code max_cost_per_hour} at the top of the config: the most every instance
 *                             the engine owns may cost together, $/h; empty (the default): no cap
 * @param storagePriceFraction {@code storage_price_fraction}: the share of its price a stopped instance
 *                             costs (its disk), in [0, 1] (default 0.05)
 */
public record SpendCap(OptionalDouble maxCostPerHour, double storagePriceFraction) {
    /** No engine cap; stopped instances at 5% of their price. */
    public static final SpendCap NONE = new SpendCap(OptionalDouble.empty(), 0.05);
}
