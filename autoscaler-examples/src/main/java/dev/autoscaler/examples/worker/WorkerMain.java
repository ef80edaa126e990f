package dev.autoscaler.examples.worker;

import dev.autoscaler.AutoscalerException;
import dev.autoscaler.Clock;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The worker process: {@code java -cp autoscaler.jar dev.autoscaler.examples.worker.WorkerMain},
 * configured by its environment (see {@link WorkerSettings}). The {@code local} provider starts
 * one per instance.
 */
public final class WorkerMain {
    private static final long PARENT_POLL_MILLIS = 500;

    private WorkerMain() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Map<String, String> env = System.getenv();
        WorkerSettings settings;
        try {
            settings = WorkerSettings.fromEnv(env);
        } catch (AutoscalerException e) {
            System.err.println("worker: bad environment: " + e.getMessage());
            System.exit(2);
            return;
        }
        settings.parentPid().ifPresent(WorkerMain::exitWithParent);
        Worker worker = Worker.start(settings, TicketLibraryVerifiers.INSTANCE,
                env.getOrDefault("EMU_JWKS_PATH", Worker.DEFAULT_JWKS_PATH), Clock.system());
        Runtime.getRuntime().addShutdownHook(new Thread(worker::close, "worker-shutdown"));
        new CountDownLatch(1).await(); // serve until killed
    }

    /**
     * Exits when the engine that started this worker is gone: a {@code kill -9} of the engine runs
     * no shutdown hook, so without this its workers would live on as orphans.
     */
    private static void exitWithParent(long parentPid) {
        Thread watch = new Thread(() -> {
            try {
                while (ProcessHandle.of(parentPid).map(ProcessHandle::isAlive).orElse(false)) {
                    Thread.sleep(PARENT_POLL_MILLIS);
                }
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("worker: parent process " + parentPid + " is gone, exiting");
            Runtime.getRuntime().halt(0);
        }, "parent-watch");
        watch.setDaemon(true);
        watch.start();
    }
}
