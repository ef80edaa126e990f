package dev.autoscaler.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve}'s assembly from a config file, over real HTTP (nothing here waits for a tick). */
class ConfiguredServerTest {
    final HttpClient client = HttpClient.newHttpClient();

    String config(Path dir) {
        return """
                {
                  "listen": "127.0.0.1:0",
                  "public_url": "http://127.0.0.1:1",
                  "api_keys": ["client-key"],
                  "engine_secret": "a-secret-of-enough-bytes",
                  "rsa_key_file": "%s",
                  "ed25519_key_file": "%s",
                  "provider": {"name": "static", "settings": {"workers": [{"id": 1, "mtoken": "m1", "url": "http://127.0.0.1:9"}]}},
                  "endpoints": [{"endpoint_name": "llm", "cold_workers": 0, "groups": [{"group_name": "main"}]}]
                }
                """.formatted(dir.resolve("rsa.pem"), dir.resolve("ed25519.json"));
    }

    HttpResponse<String> send(HttpRequest r) throws Exception {
        return client.send(r, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void serves_the_configured_endpoint_keys_and_auth_and_keeps_the_rsa_key_across_restarts(@TempDir Path dir) throws Exception {
        ServerConfig config = new ServerConfigLoader(Map.<String, String>of()::get).parseJson(config(dir));
        String firstPem;
        try (ConfiguredServer server = ConfiguredServer.start(config)) {
            firstPem = send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/pubkey/")).build()).body();
            HttpResponse<String> jwks = send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/ed25519-keys/")).build());
            HttpResponse<String> route = send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/route/"))
                    .header("Authorization", "Bearer client-key")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"endpoint\": \"llm\", \"cost\": 10}")).build());
            HttpResponse<String> denied = send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/route/"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"endpoint\": \"llm\", \"api_key\": \"nope\"}")).build());

            assertThat(firstPem).startsWith("-----BEGIN PUBLIC KEY-----");
            assertThat(new ObjectMapper().readTree(jwks.body()).get("keys").size()).isGreaterThanOrEqualTo(2);
            JsonNode answer = new ObjectMapper().readTree(route.body());
            assertThat(route.statusCode()).isEqualTo(200);
            assertThat(answer.get("request_idx").asLong()).isPositive();
            assertThat(denied.statusCode()).isEqualTo(401);
        }
        assertThat(Files.exists(dir.resolve("rsa.pem"))).isTrue();
        try (ConfiguredServer again = ConfiguredServer.start(config)) {
            String pem = send(HttpRequest.newBuilder(URI.create(again.baseUrl() + "/pubkey/")).build()).body();
            assertThat(pem).isEqualTo(firstPem);
        }
    }

    String minimal(Path stateDir, String extra) {
        return """
                {
                  "listen": "127.0.0.1:0",
                  "public_url": "http://127.0.0.1:1",
                  "api_keys": ["client-key"],
                  "engine_secret": "a-secret-of-enough-bytes",
                  "state_dir": "%s",%s
                  "provider": {"name": "static", "settings": {"workers": [{"id": 1, "mtoken": "m1", "url": "http://127.0.0.1:9"}]}},
                  "endpoints": [{"endpoint_name": "llm", "cold_workers": 0, "groups": [{"group_name": "main"}]}]
                }
                """.formatted(stateDir, extra);
    }

    @Test
    void without_a_key_file_the_keys_live_in_the_state_dir_and_survive_a_restart(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("state");
        ServerConfig config = new ServerConfigLoader(Map.<String, String>of()::get).parseJson(minimal(state, ""));
        assertThat(config.rsaKeyFile()).contains(state.resolve("rsa-key.pem"));
        String firstPem;
        String firstJwks;
        try (ConfiguredServer server = ConfiguredServer.start(config)) {
            firstPem = send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/pubkey/")).build()).body();
            firstJwks = send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/ed25519-keys/")).build()).body();
        }
        assertThat(Files.isRegularFile(state.resolve("rsa-key.pem"))).isTrue();
        assertThat(Files.isRegularFile(state.resolve("ed25519-ring.json"))).isTrue();
        try (ConfiguredServer again = ConfiguredServer.start(config)) {
            assertThat(send(HttpRequest.newBuilder(URI.create(again.baseUrl() + "/pubkey/")).build()).body())
                    .isEqualTo(firstPem);
            assertThat(send(HttpRequest.newBuilder(URI.create(again.baseUrl() + "/ed25519-keys/")).build()).body())
                    .isEqualTo(firstJwks);
        }
    }

    @Test
    void refuses_to_start_on_a_key_it_cannot_read(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("state");
        Files.createDirectories(state);
        Files.writeString(state.resolve("rsa-key.pem"), "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n");
        ServerConfig config = new ServerConfigLoader(Map.<String, String>of()::get).parseJson(minimal(state, ""));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfiguredServer.start(config))
                .isInstanceOf(dev.autoscaler.InvalidConfigException.class)
                .hasMessageContaining("rsa_key_file").hasMessageContaining("rsa-key.pem");
        assertThat(Files.readString(state.resolve("rsa-key.pem"))).as("never overwritten").contains("not a key");
    }

    @Test
    void shutdown_and_orphans_are_read_and_checked(@TempDir Path dir) {
        ServerConfigLoader loader = new ServerConfigLoader(Map.<String, String>of()::get);
        ServerConfig defaults = loader.parseJson(minimal(dir, ""));
        assertThat(defaults.shutdown()).isEqualTo(dev.autoscaler.ShutdownAction.KEEP);
        assertThat(defaults.shutdownTimeout()).isEqualTo(java.time.Duration.ofSeconds(60));
        assertThat(defaults.orphans()).isEqualTo(dev.autoscaler.OrphanPolicy.DESTROY);
        assertThat(defaults.orphanGrace()).isEqualTo(java.time.Duration.ofMinutes(10));

        ServerConfig set = loader.parseJson(minimal(dir,
                "\"shutdown\": \"destroy\", \"shutdown_timeout\": 30, \"orphans\": \"keep\", \"orphan_grace\": 0,"));
        assertThat(set.shutdown()).isEqualTo(dev.autoscaler.ShutdownAction.DESTROY);
        assertThat(set.shutdownTimeout()).isEqualTo(java.time.Duration.ofSeconds(30));
        assertThat(set.orphans()).isEqualTo(dev.autoscaler.OrphanPolicy.KEEP);
        assertThat(set.orphanGrace()).isZero();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> loader.parseJson(minimal(dir, "\"shutdown\": \"nuke\",")))
                .hasMessageContaining("shutdown");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> loader.parseJson(minimal(dir, "\"orphans\": \"eat\",")))
                .hasMessageContaining("orphans");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> loader.parseJson(minimal(dir, "\"orphan_grace\": -1,")))
                .hasMessageContaining("orphan_grace");
    }

    @Test
    void the_engine_spend_cap_is_read_and_checked(@TempDir Path dir) {
        ServerConfigLoader loader = new ServerConfigLoader(Map.<String, String>of()::get);
        assertThat(loader.parseJson(minimal(dir, "")).spendCap()).isEqualTo(SpendCap.NONE);

        SpendCap set = loader.parseJson(minimal(dir, "\"max_cost_per_hour\": 12.5, \"storage_price_fraction\": 0.02,")).spendCap();
        assertThat(set.maxCostPerHour()).hasValue(12.5);
        assertThat(set.storagePriceFraction()).isEqualTo(0.02);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> loader.parseJson(minimal(dir, "\"max_cost_per_hour\": 0,")))
                .hasMessageContaining("max_cost_per_hour");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> loader.parseJson(minimal(dir, "\"storage_price_fraction\": 2,")))
                .hasMessageContaining("storage_price_fraction");
    }
}
