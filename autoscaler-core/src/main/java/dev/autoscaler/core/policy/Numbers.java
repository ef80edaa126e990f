package dev.autoscaler.core.policy;

import dev.autoscaler.WholeWorkers;
import java.util.Locale;

/** Number formatting for decision reasons, and the rounding from capacity to whole workers. */
final class Numbers {
    private Numbers() {
    }

    /** {@code 5210.4} -> {@code 5,210}; {@code 0.9} -> {@code 0.9}; {@code 2.50} -> {@code 2.5}. */
    static String format(double value) {
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        if (Math.abs(value) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        String text = String.format(Locale.ROOT, "%.2f", value);
        text = text.replaceAll("0+$", "");
        return text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    }

    /** The whole workers of {@code perf} each that {@code capacity} needs: {@link WholeWorkers#forCapacity}. */
    static int workersFor(double capacity, double perf) {
        return WholeWorkers.forCapacity(capacity, perf);
    }

    /** A figure from outside (load stats, perf estimates) that is not a finite non-negative number counts as 0. */
    static double sane(double value) {
        return Double.isFinite(value) && value > 0 ? value : 0;
    }
}
