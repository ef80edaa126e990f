package dev.autoscaler.examples.demo;

import dev.autoscaler.TaskScheduler;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real-time {@link TaskScheduler} on a {@link ScheduledExecutorService} with daemon threads. A
 * task that throws is logged and keeps its schedule (a bare executor would silently cancel it).
 */
public final class ExecutorTaskScheduler implements TaskScheduler, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ExecutorTaskScheduler.class);

    private final ScheduledExecutorService executor;

    public ExecutorTaskScheduler(String name, int threads) {
        this.executor = Executors.newScheduledThreadPool(threads, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** The underlying executor, for code that wants one. */
    public ScheduledExecutorService executor() {
        return executor;
    }

    @Override
    public Cancellable scheduleAtFixedRate(Runnable task, Duration initialDelay, Duration period) {
        ScheduledFuture<?> f = executor.scheduleAtFixedRate(guarded(task), initialDelay.toNanos(), period.toNanos(),
                TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public Cancellable schedule(Runnable task, Duration delay) {
        ScheduledFuture<?> f = executor.schedule(guarded(task), delay.toNanos(), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("scheduled task failed", e);
            }
        };
    }
}
