package dev.autoscaler.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autoscaler.InvalidConfigException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("What the admin API changed is there after serve restarts (state_dir)")
class AdminChangesSurviveRestartTest {
    static final String ADMIN = "admin-key-0123456789";
    final HttpClient client = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();

    static String config(Path dir) {
        return """
                {
                  "listen": "127.0.0.1:0",
                  "public_url": "http://127.0.0.1:1",
                  "api_keys": ["client-key"],
                  "engine_secret": "a-secret-of-enough-bytes",
                  "admin_key": "%s",
                  "rsa_key_file": "%s",
                  "state_dir": "%s",
                  "provider": {"name": "static", "settings": {"workers": [{"id": 1, "mtoken": "m1", "url": "http://127.0.0.1:9"}]}},
                  "endpoints": [{"endpoint_name": "llm", "cold_workers": 0, "groups": [{"group_name": "main"}]}]
                }
                """.formatted(ADMIN, dir.resolve("rsa.pem"), dir.resolve("state"));
    }

    HttpResponse<String> admin(ConfiguredServer server, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("Authorization", "Bearer " + ADMIN);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    ServerConfig load(Path dir) {
        return new ServerConfigLoader(Map.<String, String>of()::get).parseJson(config(dir));
    }

    @Test
    @DisplayName("a created endpoint (with its key), an added group, a weight and a removal all come back")
    void changesComeBack(@TempDir Path dir) throws Exception {
        try (ConfiguredServer server = ConfiguredServer.start(load(dir))) {
            assertThat(admin(server, "POST", "/admin/endpoints/", """
                    {"endpoint_name": "chat", "api_key": "chat-key", "max_workers": 3, "cold_workers": 0,
                     "groups": [{"group_name": "a"}]}""").statusCode()).isEqualTo(201);
            assertThat(admin(server, "POST", "/admin/endpoints/chat/groups/", "{\"group_name\": \"b\", \"weight\": 2}")
                    .statusCode()).isEqualTo(201);
            assertThat(admin(server, "PUT", "/admin/endpoints/chat/groups/a/weight/", "{\"weight\": 5}").statusCode())
                    .isEqualTo(200);
            assertThat(admin(server, "DELETE", "/admin/endpoints/llm/", null).statusCode()).isBetween(200, 204);
        }

        try (ConfiguredServer again = ConfiguredServer.start(load(dir))) {
            assertThat(again.engine().endpointNames()).containsExactly("chat");
            JsonNode chat = json.readTree(admin(again, "GET", "/admin/endpoints/chat/", null).body());
            assertThat(chat.get("max_workers").asInt()).isEqualTo(3);
            assertThat(chat.get("groups").findValuesAsText("group_name")).containsExactly("a", "b");
            assertThat(chat.get("groups").get(0).get("weight").asDouble()).isEqualTo(5.0);
            assertThat(chat.get("groups").get(1).get("weight").asDouble()).isEqualTo(2.0);
            HttpResponse<String> route = client.send(HttpRequest.newBuilder(URI.create(again.baseUrl() + "/route/"))
                    .header("Authorization", "Bearer chat-key")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"endpoint\": \"chat\", \"cost\": 10}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(route.statusCode()).as("the endpoint's own key came back with it").isEqualTo(200);
        }
    }

    @Test
    @DisplayName("a rejected change saves nothing")
    void rejectedChangeSavesNothing(@TempDir Path dir) throws Exception {
        try (ConfiguredServer server = ConfiguredServer.start(load(dir))) {
            assertThat(admin(server, "POST", "/admin/endpoints/", "{\"endpoint_name\": \"bad\", \"target_util\": 3, "
                    + "\"groups\": [{\"group_name\": \"a\"}]}").statusCode()).isEqualTo(400);
        }
        assertThat(dir.resolve("state/endpoints.json")).doesNotExist();
    }

    @Test
    @DisplayName("a corrupt state file stops the start with an error naming it")
    void corruptStateStopsTheStart(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("state"));
        Files.writeString(dir.resolve("state/endpoints.json"), "{not json");
        assertThatThrownBy(() -> ConfiguredServer.start(load(dir))).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("endpoints.json");
    }

    @Test
    @DisplayName("a state directory that cannot be made stops the start")
    void unusableStateDirStopsTheStart(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("state"), "a file where the directory should be");
        assertThatThrownBy(() -> ConfiguredServer.start(load(dir))).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("state_dir");
    }

    @Test
    @DisplayName("a change the state directory cannot take is answered 503, saying it would not survive a restart")
    void unsavableChangeIs503(@TempDir Path dir) throws Exception {
        try (ConfiguredServer server = ConfiguredServer.start(load(dir))) {
            // the state directory holds the ticket keys too (read at start): empty it, then replace it by a file
            try (var files = Files.list(dir.resolve("state"))) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir.resolve("state"));
            Files.writeString(dir.resolve("state"), "a file where the directory should be");
            HttpResponse<String> r = admin(server, "PUT", "/admin/endpoints/llm/groups/main/weight/", "{\"weight\": 2}");
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.body()).contains("could not be saved");
        }
    }
}
