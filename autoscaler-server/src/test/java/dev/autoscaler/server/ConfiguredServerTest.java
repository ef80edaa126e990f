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
}
