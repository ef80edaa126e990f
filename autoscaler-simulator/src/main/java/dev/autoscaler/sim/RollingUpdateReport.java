package dev.autoscaler.sim;

import java.util.Locale;

/**
 * What a simulated rolling update did ({@code ./autoscaler simulate --rolling-update}): a group's
 * template changed mid-run and its workers rolled over while the trace went on.
 *
 * @param group                  the group whose template changed
 * @param fromRevision           its template revision before
 * @param toRevision             after
 * @param changedAtSeconds       when the template changed, simulated seconds from the start
 * @param doneAtSeconds          when no worker of another revision was left (none draining either); NaN when
 *                               the run ended first
 * @param drains                 workers put to draining
 * @param routedToDraining       requests the router sent to a draining worker (must be 0)
 * @param failedDuringUpdate     requests that failed because of the update: a worker it retired (drained or
 *                               replaced) went away while holding them (must be 0)
 * @param failedOtherwise        requests whose worker went away while holding them during the update for
 *                               another reason (a busy worker stopped after its drain timeout, or one that
 *                               failed); a scale-down no longer stops a busy worker, it drains it first
 * @param drainsToStop           busy workers the policy's scale-down drained to stop during the update (not
 *                               the update's drains: they keep their revision and join the cold pool)
 * @param droppedDuringUpdate    requests that waited past the drop limit while the update ran: no capacity,
 *                               which an overloaded endpoint at {@code max_workers} shows with or without
 *                               an update
 * @param minRoutable            the fewest routable (ready, serving) workers of the group during the update
 * @param targetAtMinRoutable    the decision's active target at that moment (it may have just risen: new
 *                               capacity takes a cold start to serve)
 * @param minMarginAfterDrain    routable minus target right after each drain, the lowest: what the update
 *                               itself took (>= 0 with room for a surge, >= -1 at {@code max_workers});
 *                               0 when nothing was drained
 */
public record RollingUpdateReport(String group, String fromRevision, String toRevision, double changedAtSeconds,
                                  double doneAtSeconds, int drains, int routedToDraining, int failedDuringUpdate,
                                  int failedOtherwise, int drainsToStop, int droppedDuringUpdate, int minRoutable, int targetAtMinRoutable, int minMarginAfterDrain) {

    /** One JSON object, keys in a fixed order, fixed decimals: the same run prints the same bytes. */
    public String toJson() {
        return String.format(Locale.ROOT, "{\"group\":\"%s\",\"from_revision\":\"%s\",\"to_revision\":\"%s\","
                        + "\"changed_at_s\":%.3f,\"done_at_s\":%s,\"drains\":%d,\"routed_to_draining\":%d,"
                        + "\"failed_during_update\":%d,\"failed_otherwise\":%d,\"drained_to_stop\":%d,\"dropped_during_update\":%d,\"min_routable\":%d,\"target_at_min_routable\":%d,"
                        + "\"min_margin_after_drain\":%d}",
                group, fromRevision, toRevision, changedAtSeconds,
                Double.isNaN(doneAtSeconds) ? "null" : String.format(Locale.ROOT, "%.3f", doneAtSeconds), drains,
                routedToDraining, failedDuringUpdate, failedOtherwise, drainsToStop, droppedDuringUpdate, minRoutable, targetAtMinRoutable, minMarginAfterDrain);
    }

    /** A two-column table for people. */
    public String toTable() {
        StringBuilder b = new StringBuilder();
        row(b, "rolling update of group", group + ": " + fromRevision + " -> " + toRevision);
        row(b, "template changed at", String.format(Locale.ROOT, "%.1f s", changedAtSeconds));
        row(b, "update done at", Double.isNaN(doneAtSeconds) ? "not done when the run ended"
                : String.format(Locale.ROOT, "%.1f s (%.1f s after the change)", doneAtSeconds,
                doneAtSeconds - changedAtSeconds));
        row(b, "workers drained", Integer.toString(drains));
        row(b, "requests routed to draining", Integer.toString(routedToDraining));
        row(b, "failed requests (update's doing)", Integer.toString(failedDuringUpdate));
        row(b, "failed otherwise (worker gone)", Integer.toString(failedOtherwise));
        row(b, "busy workers drained to stop", Integer.toString(drainsToStop));
        row(b, "dropped during update (no room)", Integer.toString(droppedDuringUpdate));
        row(b, "min routable during update", minRoutable + " (target " + targetAtMinRoutable + " then)");
        row(b, "routable - target after a drain", "min " + minMarginAfterDrain);
        return b.toString();
    }

    private static void row(StringBuilder b, String name, String value) {
        b.append(String.format(Locale.ROOT, "%-34s %s%n", name, value));
    }
}
