package dev.autoscaler;

import java.util.Objects;

/**
 * Where a worker group's rolling update stands: how many of its workers run its current template
 * revision and how many are still to be replaced.
 *
 * @param group    the worker group
 * @param revision the {@link WorkerTemplate#revision()} of its current template
 * @param current  workers (every state but destroying) created from that revision
 * @param outdated workers created from another revision and not yet draining: to be replaced
 * @param draining outdated workers that take no new request and are finishing their work
 */
public record RolloutStatus(String group, String revision, int current, int outdated, int draining) {
    public RolloutStatus {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(revision, "revision");
    }

    /** {@return true while some worker of the group still runs another revision} */
    public boolean inProgress() {
        return outdated > 0 || draining > 0;
    }
}
