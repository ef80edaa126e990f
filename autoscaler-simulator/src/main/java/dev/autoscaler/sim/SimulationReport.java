package dev.autoscaler.sim;

import java.util.Locale;

/**
 * What a simulation measured (docs/DESIGN.md#the-simulators-world-model). The first sixteen components are the
 * figures every simulation reports, in the order and under the JSON keys that section fixes; the rest
 * follow them. {@link #toJson()} and {@link #toTable()} format numbers with fixed decimals, so the
 * same run prints the same bytes.
 *
 * @param costUsd              money spent, $: full price while loading and ready, the storage share while stopped
 * @param gpuHours             hours billed at the full price
 * @param requests             requests that arrived
 * @param served               requests whose service completed
 * @param queueTimeP50         median queue time of the served requests, s (arrival to start of service,
 *                             re-polling included; nearest-rank percentiles)
 * @param queueTimeP95         95th percentile, s
 * @param queueTimeP99         99th percentile, s
 * @param sloViolations        served requests whose queue time exceeded {@code target_queue_time}, plus the
 *                             dropped ones
 * @param sloViolationFraction {@code sloViolations / requests}
 * @param dropped              requests that waited for a worker longer than the drop limit (120 s)
 * @param coldStarts           new instances created
 * @param resumes              stopped workers that became ready again
 * @param decisions            changes of target
 * @param flaps                direction reversals of the active target within 5 minutes
 * @param peakWorkers          the most instances alive at once
 * @param maxWorkersRespected  true when neither the provider's nor the engine's count ever exceeded
 *                             {@code max_workers}
 * @param queueTimeMean        mean queue time of the served requests, s
 * @param queueTimeMax         longest queue time of a served request, s
 * @param retried              times a worker went away while holding a request, which was routed again
 * @param workerErrors         workers that reported an error
 * @param resumeStalls         resumes that stalled waiting for their GPU
 * @param stuckLoading         instances rented that never finished loading
 * @param peakCostPerHour      the most the instances were billed per hour at any instant, $/h (stopped and
 *                             stalled ones at the storage share): what a {@code max_cost_per_hour} bounds
 * @param simulatedSeconds     simulated time, s
 * @param workload             what was played
 * @param policy               the scaling policy
 * @param seed                 the seed
 */
public record SimulationReport(double costUsd, double gpuHours, int requests, int served, double queueTimeP50,
                               double queueTimeP95, double queueTimeP99, int sloViolations,
                               double sloViolationFraction, int dropped, int coldStarts, int resumes, int decisions,
                               int flaps, int peakWorkers, boolean maxWorkersRespected, double queueTimeMean,
                               double queueTimeMax, int retried, int workerErrors, int resumeStalls,
                               int stuckLoading, double peakCostPerHour, double simulatedSeconds, String workload, String policy, long seed) {

    /** {@return one JSON object on one line, keys in a fixed order} */
    public String toJson() {
        StringBuilder b = new StringBuilder(768).append('{');
        num(b, "cost_usd", costUsd, 4);
        num(b, "gpu_hours", gpuHours, 4);
        num(b, "requests", requests);
        num(b, "served", served);
        num(b, "queue_time_p50_s", queueTimeP50, 3);
        num(b, "queue_time_p95_s", queueTimeP95, 3);
        num(b, "queue_time_p99_s", queueTimeP99, 3);
        num(b, "slo_violations", sloViolations);
        num(b, "slo_violation_fraction", sloViolationFraction, 6);
        num(b, "dropped", dropped);
        num(b, "cold_starts", coldStarts);
        num(b, "resumes", resumes);
        num(b, "decisions", decisions);
        num(b, "flaps", flaps);
        num(b, "peak_workers", peakWorkers);
        key(b, "max_workers_respected").append(maxWorkersRespected);
        num(b, "queue_time_mean_s", queueTimeMean, 3);
        num(b, "queue_time_max_s", queueTimeMax, 3);
        num(b, "retried", retried);
        num(b, "worker_errors", workerErrors);
        num(b, "resume_stalls", resumeStalls);
        num(b, "stuck_loading", stuckLoading);
        num(b, "peak_cost_per_hour", peakCostPerHour, 4);
        num(b, "simulated_seconds", simulatedSeconds, 3);
        str(b, "workload", workload);
        str(b, "policy", policy);
        num(b, "seed", seed);
        return b.append('}').toString();
    }

    /** {@return a two-column table for people} */
    public String toTable() {
        StringBuilder b = new StringBuilder(1024);
        b.append("simulation of ").append(workload).append(", policy ").append(policy).append(", seed ").append(seed)
                .append('\n');
        row(b, "cost", fmt(costUsd, 4) + " $");
        row(b, "GPU hours (full price)", fmt(gpuHours, 4));
        row(b, "requests", Integer.toString(requests));
        row(b, "served", Integer.toString(served));
        row(b, "queue time p50 / p95 / p99", fmt(queueTimeP50, 3) + " / " + fmt(queueTimeP95, 3) + " / "
                + fmt(queueTimeP99, 3) + " s");
        row(b, "queue time mean / max", fmt(queueTimeMean, 3) + " / " + fmt(queueTimeMax, 3) + " s");
        row(b, "SLO violations", sloViolations + " (" + fmt(100 * sloViolationFraction, 3) + " %)");
        row(b, "dropped (waited > 120 s)", Integer.toString(dropped));
        row(b, "retried (worker went away)", Integer.toString(retried));
        row(b, "cold starts (instances created)", Integer.toString(coldStarts));
        row(b, "resumes (stopped -> ready)", Integer.toString(resumes));
        row(b, "resume stalls", Integer.toString(resumeStalls));
        row(b, "stuck loading", Integer.toString(stuckLoading));
        row(b, "worker errors", Integer.toString(workerErrors));
        row(b, "decisions (target changes)", Integer.toString(decisions));
        row(b, "flaps (reversals within 5 min)", Integer.toString(flaps));
        row(b, "peak workers", Integer.toString(peakWorkers));
        row(b, "max_workers respected", Boolean.toString(maxWorkersRespected));
        row(b, "peak cost", fmt(peakCostPerHour, 4) + " $/h");
        row(b, "simulated time", fmt(simulatedSeconds, 3) + " s");
        return b.toString();
    }

    private static void row(StringBuilder b, String name, String value) {
        b.append("  ").append(name);
        for (int i = name.length(); i < 34; i++) {
            b.append(' ');
        }
        b.append(value).append('\n');
    }

    static String fmt(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static StringBuilder key(StringBuilder b, String key) {
        if (b.length() > 1) {
            b.append(',');
        }
        return b.append('"').append(key).append("\":");
    }

    private static void num(StringBuilder b, String key, double v, int decimals) {
        key(b, key).append(fmt(v, decimals));
    }

    private static void num(StringBuilder b, String key, long v) {
        key(b, key).append(v);
    }

    private static void str(StringBuilder b, String key, String v) {
        key(b, key).append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
