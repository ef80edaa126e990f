package dev.autoscaler.core.compare;

/**
 * The totals of the destroyed workers of one endpoint, group and GPU type, so that
 * {@link HardwareComparison} forgets each worker once it is gone: the sums are exact, the samples
 * bounded ({@link Samples}: count, min and max of all, percentiles of the last
 * {@value Samples#CAPACITY} per record). Not thread safe.
 */
final class DestroyedWorkers {
    /** The record's key: endpoint, group and GPU type. */
    record Key(String endpoint, String group, String gpuName) {
    }

    final Key key;
    final Totals totals = new Totals();
    /** One sample per worker that measured its max_perf. */
    final Samples maxPerf = new Samples();
    final Samples coldStartSeconds = new Samples();
    final Samples resumeSeconds = new Samples();

    DestroyedWorkers(Key key) {
        this.key = key;
    }

    /** Adds a worker's totals, closed at its destruction. */
    void fold(WorkerTally t) {
        totals.add(t.totals);
        if (t.maxPerf > 0) {
            maxPerf.add(t.maxPerf);
        }
        coldStartSeconds.addAll(t.coldStartSeconds);
        resumeSeconds.addAll(t.resumeSeconds);
    }
}
