package dev.autoscaler.sim;

import dev.autoscaler.InvalidConfigException;
import java.util.random.RandomGenerator;

/**
 * A lognormal duration given the way people quote it: its median and its 95th percentile, in
 * seconds. {@code mu = ln(median)}, {@code sigma = ln(p95 / median) / z95}.
 *
 * @param medianSeconds the median, seconds (positive)
 * @param p95Seconds    the 95th percentile, seconds (at least the median)
 */
public record Lognormal(double medianSeconds, double p95Seconds) {
    /** The standard normal's 95th percentile. */
    static final double Z95 = 1.6448536269514722;

    public Lognormal {
        if (!(medianSeconds > 0) || !Double.isFinite(medianSeconds)) {
            throw new InvalidConfigException("median", "must be a positive number of seconds, got " + medianSeconds);
        }
        if (!(p95Seconds >= medianSeconds) || !Double.isFinite(p95Seconds)) {
            throw new InvalidConfigException("p95", "must be at least the median (" + medianSeconds + " s), got "
                    + p95Seconds);
        }
    }

    public double mu() {
        return Math.log(medianSeconds);
    }

    public double sigma() {
        return Math.log(p95Seconds / medianSeconds) / Z95;
    }

    /** One draw, seconds. */
    public double sampleSeconds(RandomGenerator random) {
        return Math.exp(mu() + sigma() * random.nextGaussian());
    }

    /** One draw, nanoseconds (at least 1). */
    public long sampleNanos(RandomGenerator random) {
        return Math.max(1, Math.round(sampleSeconds(random) * 1e9));
    }
}
