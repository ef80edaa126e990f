package dev.autoscaler.sim;

import dev.autoscaler.InvalidConfigException;
import java.util.Objects;

/**
 * One kind of simulated GPU instance on the market.
 *
 * @param gpuName      e.g. {@code RTX 4090}
 * @param perf         what its worker benchmarks, perf units/s ({@code max_perf})
 * @param pricePerHour what it costs while loading or running, $/h
 * @param reliability  the provider's reliability score in (0, 1]; the engine's perf is max_perf x reliability
 */
public record GpuOffer(String gpuName, double perf, double pricePerHour, double reliability) {
    public GpuOffer {
        Objects.requireNonNull(gpuName, "gpuName");
        if (gpuName.isBlank()) {
            throw new InvalidConfigException("offers.gpu_name", "must not be blank");
        }
        if (!(perf > 0) || !Double.isFinite(perf)) {
            throw new InvalidConfigException("offers.perf", "must be > 0, got " + perf);
        }
        if (!(pricePerHour >= 0) || !Double.isFinite(pricePerHour)) {
            throw new InvalidConfigException("offers.price_per_hour", "must be >= 0, got " + pricePerHour);
        }
        if (!(reliability > 0 && reliability <= 1)) {
            throw new InvalidConfigException("offers.reliability", "must be in (0, 1], got " + reliability);
        }
    }

    /** Perf per dollar-hour; infinite when free. */
    public double perfPerDollar() {
        return pricePerHour == 0 ? Double.POSITIVE_INFINITY : perf / pricePerHour;
    }
}
