package dev.autoscaler.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("autoscaler validate")
class ValidateCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return new ValidateCommand().run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static final String GOOD = """
            listen: 127.0.0.1:0
            public_url: http://127.0.0.1:8080
            engine_secret: a-secret-of-enough-bytes
            provider: {name: static, settings: {workers: [{id: 1, mtoken: m1, url: "http://127.0.0.1:9"}]}}
            endpoints:
              - endpoint_name: llm
                target_util: 0.9
                groups:
                  - group_name: main
                    gpu_ram: 24
            """;

    @Test
    @DisplayName("reports three planted errors in one run, each with its path, and exits 1")
    void threePlantedErrors(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, GOOD.replace("target_util: 0.9", "target_util: 2")
                .replace("gpu_ram: 24", "gpu_ram: lots")
                .replace("listen: 127.0.0.1:0", "listen: 127.0.0.1:0\nlisten_port: 8080"));

        assertThat(run("--config", file.toString())).isEqualTo(1);

        assertThat(err.toString(StandardCharsets.UTF_8).lines().toList()).containsExactly(
                file + ": endpoints[0].groups[0].gpu_ram: must be a finite number, got \"lots\"",
                file + ": endpoints[0].target_util: must be in (0, 1], got 2.0",
                file + ": listen_port: unknown field",
                file + ": 3 errors");
    }

    @Test
    @DisplayName("reports an unknown policy, a bad policy parameter and an unknown ticket format with their paths")
    void plugins(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("plugins.yaml");
        Files.writeString(file, GOOD.replace("target_util: 0.9", "target_util: 0.9\n    policy: vast\n"
                + "    policy_params: {scale_down_stp: 2}\n    ticket_format: rot13"));

        assertThat(run("--config", file.toString())).isEqualTo(1);

        assertThat(err.toString(StandardCharsets.UTF_8)).contains(file + ": endpoints[0].policy_params.scale_down_stp")
                .contains(file + ": endpoints[0].ticket_format: unknown ticket format 'rot13'").contains("2 errors");
    }

    @Test
    @DisplayName("a good config is valid; --check-provider lists the provider's instances")
    void valid(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("good.yaml");
        Files.writeString(file, GOOD);

        assertThat(run("--config", file.toString(), "--check-provider")).isZero();

        assertThat(out.toString(StandardCharsets.UTF_8)).contains("provider static: reachable, 1 instance(s) listed")
                .contains(file + ": valid (1 endpoint(s): llm; provider static)");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    @DisplayName("--check-provider fails, naming the provider, when its API cannot be reached")
    void unreachableProvider(@TempDir Path dir) throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Path file = dir.resolve("vast.yaml");
        Files.writeString(file, GOOD.replace("provider: {name: static, settings: {workers: [{id: 1, mtoken: m1, url: \"http://127.0.0.1:9\"}]}}",
                "provider: {name: vast, settings: {api_key: k, base_url: \"http://127.0.0.1:" + closedPort + "\"}}"));

        assertThat(run("--config", file.toString())).as("without the check the config is valid").isZero();
        assertThat(run("--config", file.toString(), "--check-provider")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(file + ": provider: vast: ");
    }
}
