package dev.autoscaler;

/**
 * From capacity to a whole number of workers, the rounding every load-based policy needs: round up
 * (a worker short is a queue), but let floating-point noise not rent a GPU, and saturate rather than
 * overflow. The engine's {@code max_workers} cap then holds the answer ({@link WorkerCaps}).
 */
public final class WholeWorkers {
    /** Below this relative excess over a whole number, a ratio counts as that number (floating-point noise). */
    private static final double ROUNDING_SLACK = 1e-9;

    private WholeWorkers() {
    }

    /**
     * The workers of {@code perfPerWorker} each that {@code capacity} needs (both in perf units/s):
     * {@code ceil(capacity / perfPerWorker)}, except that 3.0000000001 workers is 3; any positive
     * capacity needs at least 1; 0 when either figure is not a positive number (NaN, infinite perf,
     * unknown perf). Saturates at {@link Integer#MAX_VALUE}.
     */
    public static int forCapacity(double capacity, double perfPerWorker) {
        if (!(capacity > 0) || !(perfPerWorker > 0)) {
            return 0;
        }
        double ratio = capacity / perfPerWorker;
        double whole = Math.floor(ratio);
        double workers = ratio - whole <= ROUNDING_SLACK * Math.max(1, ratio) ? whole : whole + 1;
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, workers));
    }
}
