package dev.autoscaler.examples.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autoscaler.ProviderException;
import dev.autoscaler.Settings;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.examples.testing.EngineStub;
import dev.autoscaler.examples.testing.TestRsaTickets;
import dev.autoscaler.spi.CreateInstanceRequest;
import dev.autoscaler.spi.Instance;
import dev.autoscaler.spi.InstanceStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local provider with real worker JVMs in short mode, against a stub engine. Process checks go
 * through {@link ProcessHandle}; waits are bounded waits on a report or a process exit.
 */
@DisplayName("LocalProcessProvider")
class LocalProcessProviderTest {

    @TempDir
    Path stateDir;

    private EngineStub engine;
    private LocalProcessProvider provider;

    static Map<String, String> shortMode(Path stateDir) {
        return Map.of("state_dir", stateDir.toString(), "cold_load_ms", "50", "warm_load_ms", "10",
                "benchmark_rounds", "2", "benchmark_parallel", "2", "benchmark_cost", "5",
                "busy_report_ms", "100", "idle_report_ms", "200", "pubkey_backoff_ms", "50");
    }

    @BeforeEach
    void setUp() {
        engine = new EngineStub(TestRsaTickets.publicKeyPem());
        provider = LocalProcessProvider.create(Settings.of(shortMode(stateDir)));
    }

    @AfterEach
    void tearDown() {
        provider.list().forEach(i -> provider.destroy(i.id()));
        provider.close();
        engine.close();
    }

    private CreateInstanceRequest request(String label) {
        return new CreateInstanceRequest("demo", WorkerGroupConfig.builder("g").build(), label,
                Map.of("MASTER_TOKEN", "tok-" + label, "REPORT_ADDR", engine.url(), "WORKER_PORT", "3000"));
    }

    private Instance listed(String id) {
        return provider.list().stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    @DisplayName("a created worker reports to REPORT_ADDR with its instance id, mtoken and URL")
    void workerReports() {
        Instance created = provider.create(request("a"));

        JsonNode ready = engine.awaitStatus(r -> r.path("id").asText().equals(created.id())
                && r.path("max_perf").asDouble() > 0);

        assertThat(ready.path("mtoken").asText()).isEqualTo("tok-a");
        assertThat(ready.path("url").asText()).isEqualTo(created.url()).startsWith("http://127.0.0.1:");
        assertThat(created.status()).isEqualTo(InstanceStatus.RUNNING);
        assertThat(created.label()).isEqualTo("a");
    }

    @Test
    @DisplayName("destroy kills the worker process and deletes its state")
    void destroyLeavesNoProcess() {
        Instance created = provider.create(request("b"));
        long pid = provider.workerPid(created.id()).orElseThrow();

        provider.destroy(created.id());

        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(Files.exists(stateDir.resolve(created.id()))).isFalse();
        assertThat(provider.list()).isEmpty();
    }

    @Test
    @DisplayName("stop kills the process, keeps the disk; start resumes with the cached max_perf")
    void stopKeepsDisk() {
        Instance created = provider.create(request("c"));
        double measured = engine.awaitStatus(r -> r.path("id").asText().equals(created.id())
                && r.path("max_perf").asDouble() > 0).path("max_perf").asDouble();
        long pid = provider.workerPid(created.id()).orElseThrow();

        provider.stop(created.id());
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(listed(created.id()).status()).isEqualTo(InstanceStatus.STOPPED);
        provider.start(created.id());

        assertThat(listed(created.id()).status()).isEqualTo(InstanceStatus.RUNNING);
        JsonNode resumed = engine.awaitStatus(r -> r.path("id").asText().equals(created.id())
                && r.path("max_perf").asDouble() > 0 && provider.workerPid(created.id()).orElse(pid) != pid);
        assertThat(resumed.path("max_perf").asDouble()).isEqualTo(measured);
    }

    @Test
    @DisplayName("a worker process that died by itself is listed FAILED; reboot brings it back")
    void crashedIsFailed() throws Exception {
        Instance created = provider.create(request("d"));
        ProcessHandle worker = ProcessHandle.of(provider.workerPid(created.id()).orElseThrow()).orElseThrow();

        worker.destroyForcibly();
        worker.onExit().get(30, TimeUnit.SECONDS);

        assertThat(listed(created.id()).status()).isEqualTo(InstanceStatus.FAILED);
        provider.reboot(created.id());
        assertThat(listed(created.id()).status()).isEqualTo(InstanceStatus.RUNNING);
    }

    @Test
    @DisplayName("a second provider on the same state_dir sees and manages the first one's instances")
    void adoption() {
        Instance created = provider.create(request("e"));
        LocalProcessProvider restarted = LocalProcessProvider.create(Settings.of(shortMode(stateDir)));

        assertThat(restarted.list()).extracting(Instance::id, Instance::label)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(created.id(), "e"));
        restarted.destroy(created.id());
        assertThat(provider.list()).isEmpty();
    }

    @Test
    @DisplayName("instance ids are distinct integers (workers report them as id)")
    void integerIds() {
        Instance first = provider.create(request("f"));
        Instance second = provider.create(request("g"));

        assertThat(first.id()).isNotEqualTo(second.id());
        assertThat(Long.parseLong(first.id())).isPositive();
        assertThat(Long.parseLong(second.id())).isPositive();
    }

    @Test
    @DisplayName("start, stop and reboot of an unknown id fail with NOT_FOUND; destroy is a no-op")
    void unknown() {
        for (Runnable call : new Runnable[] {() -> provider.start("424242"), () -> provider.stop("424242"),
                () -> provider.reboot("424242")}) {
            ProviderException e = catchThrowableOfType(ProviderException.class, call::run);
            assertThat(e.kind()).isEqualTo(ProviderException.Kind.NOT_FOUND);
        }
        provider.destroy("424242");
    }

    @Test
    @DisplayName("close stops the workers it started, keeping them listed as STOPPED")
    void closeStops() {
        Instance created = provider.create(request("h"));
        long pid = provider.workerPid(created.id()).orElseThrow();

        provider.close();

        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(listed(created.id()).status()).isEqualTo(InstanceStatus.STOPPED);
    }
}
