package dev.autoscaler;

import java.util.List;

/**
 * What an engine's shutdown left behind.
 *
 * @param action       what it was asked to do
 * @param destroyed    instances destroyed during the shutdown
 * @param stopped      instances stopped during the shutdown
 * @param leftRunning  instances still running (or on their way), by instance id (or worker id while creating)
 * @param leftStopped  instances left stopped (disk kept)
 * @param timedOut     true when the time bound ran out before the action was done for every instance
 */
public record ShutdownSummary(ShutdownAction action, int destroyed, int stopped, List<String> leftRunning,
                              List<String> leftStopped, boolean timedOut) {
    public ShutdownSummary {
        leftRunning = List.copyOf(leftRunning);
        leftStopped = List.copyOf(leftStopped);
    }

    /** One line for the log and the console. */
    public String describe() {
        return "shutdown: " + action.wireName() + (timedOut ? " (timed out)" : "") + ": " + destroyed + " destroyed, "
                + stopped + " stopped; left running: " + leftRunning.size()
                + (leftRunning.isEmpty() ? "" : " " + leftRunning) + ", left stopped: " + leftStopped.size()
                + (leftStopped.isEmpty() ? "" : " " + leftStopped);
    }
}
