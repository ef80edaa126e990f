package dev.autoscaler.core.policy;

import java.util.Locale;

/** Number formatting for decision reasons, and the rounding from capacity to whole workers. */
final class Numbers {
    /** Below this relative excess over a whole number, a ratio counts as that number (floating-point noise). */
    private static final double ROUNDING_SLACK = 1e-9;

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

    /**
     * The whole workers of {@code perf} each that {@code capacity} needs: rounds up, but 3.0000000001
     * workers is 3 (floating-point noise must not rent a GPU), and any positive capacity is at least 1.
     * Saturates at {@link Integer#MAX_VALUE}.
     */
    static int workersFor(double capacity, double perf) {
        if (!(capacity > 0) || !(perf > 0)) {
            return 0;
        }
        double ratio = capacity / perf;
        double whole = Math.floor(ratio);
        double workers = ratio - whole <= ROUNDING_SLACK * Math.max(1, ratio) ? whole : whole + 1;
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, workers));
    }

    /** A figure from outside (load stats, perf estimates) that is not a finite non-negative number counts as 0. */
    static double sane(double value) {
        return Double.isFinite(value) && value > 0 ? value : 0;
    }
}
