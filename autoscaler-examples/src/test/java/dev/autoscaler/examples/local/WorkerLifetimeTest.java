package dev.autoscaler.examples.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoscaler.examples.testing.EngineStub;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No worker outlives its engine: the engine here is a separate JVM ({@link EngineProcessMain}), so
 * that the test can end it the way a user would. Waits are bounded waits on process exit.
 */
@DisplayName("worker processes do not outlive the engine")
class WorkerLifetimeTest {
    private static final long EXIT_WAIT_SECONDS = 60;

    @TempDir
    Path stateDir;

    private Process engineProcess;
    private ProcessHandle worker;

    @AfterEach
    void cleanUp() {
        if (engineProcess != null) {
            engineProcess.destroyForcibly();
        }
        if (worker != null) {
            worker.destroyForcibly();
        }
    }

    private long startEngine(String mode) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        engineProcess = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                EngineProcessMain.class.getName(), stateDir.toString(), "http://127.0.0.1:9", mode))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(engineProcess.getInputStream(),
                StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("WORKER_PID ")) {
                long pid = Long.parseLong(line.substring("WORKER_PID ".length()).trim());
                worker = ProcessHandle.of(pid).orElse(null);
                return pid;
            }
        }
        throw new AssertionError("the engine process ended without starting a worker");
    }

    private static boolean exitsWithin(long pid, long seconds) throws Exception {
        CompletableFuture<ProcessHandle> exit = ProcessHandle.of(pid).map(ProcessHandle::onExit)
                .orElse(CompletableFuture.completedFuture(null));
        exit.get(seconds, TimeUnit.SECONDS);
        return ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true);
    }

    @Test
    @DisplayName("a normal exit of the engine kills its workers (shutdown hook)")
    void normalExit() throws Exception {
        long pid = startEngine("exit");

        assertThat(engineProcess.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

        assertThat(exitsWithin(pid, EXIT_WAIT_SECONDS)).isTrue();
    }

    @Test
    @DisplayName("after kill -9 of the engine, its workers exit by themselves (parent watch)")
    void killedEngine() throws Exception {
        long pid = startEngine("wait");
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);

        engineProcess.destroyForcibly(); // SIGKILL: no shutdown hook runs
        engineProcess.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS);

        assertThat(exitsWithin(pid, EXIT_WAIT_SECONDS)).isTrue();
    }
}
