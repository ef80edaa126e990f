package dev.autoscaler;

import java.time.Duration;

/**
 * Runs the engine's periodic work (control ticks, provider syncs). Injected, so that tests and
 * the simulator step time with a {@link ManualScheduler} instead of sleeping.
 */
public interface TaskScheduler {

    /**
     * Runs {@code task} after {@code initialDelay}, then every {@code period}, until cancelled.
     *
     * @param task what to run
     * @param initialDelay before the first run
     * @param period between the starts of two runs
     * @return a handle that cancels it
     */
    Cancellable scheduleAtFixedRate(Runnable task, Duration initialDelay, Duration period);

    /**
     * Runs {@code task} once, after {@code delay}.
     *
     * @param task what to run
     * @param delay before it runs
     * @return a handle that cancels it
     */
    Cancellable schedule(Runnable task, Duration delay);

    /** A handle on a scheduled task. */
    interface Cancellable {
        /** Cancels the task: it does not run again. */
        void cancel();
    }
}
