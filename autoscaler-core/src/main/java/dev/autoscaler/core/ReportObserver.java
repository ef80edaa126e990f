package dev.autoscaler.core;

import dev.autoscaler.LoadReport;
import dev.autoscaler.WorkerRecord;

/**
 * Sees every worker report the engine accepted, with the worker as stored after it. Reports are far
 * more frequent than {@link dev.autoscaler.AutoscalerEvent}s (one per worker per second when busy),
 * so they are not events: collectors that need the served work ({@code cur_perf}) register here with
 * {@link Autoscaler#addReportObserver}. Called on the reporting thread after the report is applied;
 * keep it quick. An observer that throws is logged and skipped; the report still succeeds.
 */
@FunctionalInterface
public interface ReportObserver {

    /**
     * A report was applied.
     *
     * @param report the report as received
     * @param worker the worker as stored after it
     */
    void onReport(LoadReport report, WorkerRecord worker);
}
