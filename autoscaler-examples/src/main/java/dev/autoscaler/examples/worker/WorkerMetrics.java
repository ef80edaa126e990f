package dev.autoscaler.examples.worker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The counters a {@code /worker_status/} report carries. "Since the last report" counters are
 * reset when a report is taken; a report that fails to post gives them back (see
 * {@link #restore}), so that no load goes unreported.
 */
final class WorkerMetrics {

    /** What one report says about load. */
    record Sample(double curLoad, double newLoad, double rejLoad, double curPerf, int working, long received,
                  List<Long> workingIdxs) {
    }

    private double inFlightLoad;
    private double newLoad;
    private double rejLoad;
    private double servedLoad;
    private long received;
    private final Map<Long, Integer> working = new LinkedHashMap<>();

    synchronized void received() {
        received++;
    }

    synchronized void accepted(long requestIdx, double work) {
        newLoad += work;
        inFlightLoad += work;
        working.merge(requestIdx, 1, Integer::sum);
    }

    synchronized void rejected(double work) {
        rejLoad += work;
    }

    synchronized void finished(long requestIdx, double work, boolean served) {
        inFlightLoad = Math.max(0, inFlightLoad - work);
        if (served) {
            servedLoad += work;
        }
        working.computeIfPresent(requestIdx, (k, n) -> n <= 1 ? null : n - 1);
    }

    synchronized boolean busy() {
        return !working.isEmpty();
    }

    /** The current values, and resets the per-interval counters. */
    synchronized Sample take() {
        List<Long> idxs = new ArrayList<>();
        working.forEach((idx, n) -> {
            for (int i = 0; i < n; i++) {
                idxs.add(idx);
            }
        });
        Sample s = new Sample(inFlightLoad, newLoad, rejLoad, servedLoad, idxs.size(), received, idxs);
        newLoad = 0;
        rejLoad = 0;
        servedLoad = 0;
        return s;
    }

    /** Gives back the per-interval counters of a report that could not be posted. */
    synchronized void restore(Sample s) {
        newLoad += s.newLoad();
        rejLoad += s.rejLoad();
        servedLoad += s.curPerf();
    }
}
