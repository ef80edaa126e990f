package dev.autoscaler.examples.local;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Every worker process this JVM started, so that none outlives it: a JVM shutdown hook (installed
 * with the first launch) kills them all, with their descendants, when the engine exits normally,
 * on Ctrl-C or on SIGTERM.
 *
 * <p>A {@code kill -9} of the engine cannot be caught by any hook. For that case each worker is
 * given its parent's pid ({@code EMU_PARENT_PID}) and exits by itself as soon as that process is
 * gone (it polls {@link ProcessHandle#of(long)}).
 */
final class ChildProcesses {
    private static final Set<ProcessHandle> LIVE = ConcurrentHashMap.newKeySet();
    private static volatile boolean hookInstalled;

    private ChildProcesses() {
    }

    static void register(ProcessHandle process) {
        installHook();
        LIVE.add(process);
    }

    /**
     * Kills a process and its descendants and waits (bounded) until it is gone.
     *
     * @return true when it is gone
     */
    static boolean kill(ProcessHandle process) {
        LIVE.remove(process);
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.onExit().get(10, TimeUnit.SECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        } catch (ExecutionException | TimeoutException e) {
            return !process.isAlive();
        }
    }

    /** The live process with this pid and start time (a recycled pid is another process), if any. */
    static Optional<ProcessHandle> find(long pid, long startMillis) {
        if (pid <= 0) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(h -> h.info().startInstant().map(i -> i.toEpochMilli() == startMillis).orElse(true));
    }

    private static synchronized void installHook() {
        if (hookInstalled) {
            return;
        }
        hookInstalled = true;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (ProcessHandle p : LIVE) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }, "local-provider-reaper"));
    }
}
