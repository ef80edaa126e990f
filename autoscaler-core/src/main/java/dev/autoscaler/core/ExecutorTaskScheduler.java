package dev.autoscaler.core;

import dev.autoscaler.TaskScheduler;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TaskScheduler} on one daemon thread of a {@link ScheduledExecutorService}, for a running
 * server. A task that throws is logged and stays scheduled (a plain executor would silently cancel
 * it, stopping the control loop for good).
 */
public final class ExecutorTaskScheduler implements TaskScheduler, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ExecutorTaskScheduler.class);

    private final ScheduledExecutorService executor;

    public ExecutorTaskScheduler(String threadName) {
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public Cancellable scheduleAtFixedRate(Runnable task, Duration initialDelay, Duration period) {
        ScheduledFuture<?> f = executor.scheduleAtFixedRate(guarded(task), initialDelay.toNanos(), period.toNanos(),
                TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public Cancellable schedule(Runnable task, Duration delay) {
        ScheduledFuture<?> f = executor.schedule(guarded(task), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.error("scheduled task failed; it runs again at its next time", e);
            }
        };
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
