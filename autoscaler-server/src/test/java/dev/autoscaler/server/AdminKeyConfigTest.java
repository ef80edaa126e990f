package dev.autoscaler.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autoscaler.InvalidConfigException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code admin_key} / {@code admin_key_env} in the serve config. */
class AdminKeyConfigTest {
    final ServerConfigLoader loader = new ServerConfigLoader(Map.of("ADMIN", "admin-from-env-0123456789")::get);

    static String config(String adminFields) {
        return """
                {"public_url": "http://127.0.0.1:8080", "engine_secret": "0123456789abcdef-secret",
                 %s
                 "provider": {"name": "static"},
                 "endpoints": [{"endpoint_name": "llm", "groups": [{"group_name": "main"}]}]}
                """.formatted(adminFields);
    }

    @Test
    @DisplayName("without admin_key the admin API is off")
    void offByDefault() {
        assertThat(loader.parseJson(config("")).adminKey()).isEmpty();
    }

    @Test
    void reads_admin_key() {
        assertThat(loader.parseJson(config("\"admin_key\": \"admin-key-0123456789\",")).adminKey())
                .hasValue("admin-key-0123456789");
    }

    @Test
    void reads_admin_key_env() {
        assertThat(loader.parseJson(config("\"admin_key_env\": \"ADMIN\",")).adminKey())
                .hasValue("admin-from-env-0123456789");
    }

    @Test
    void a_short_admin_key_is_refused_naming_it() {
        assertThatThrownBy(() -> loader.parseJson(config("\"admin_key\": \"short\",")))
                .isInstanceOf(InvalidConfigException.class)
                .satisfies(e -> assertThat(((InvalidConfigException) e).field()).isEqualTo("admin_key"));
    }

    @Test
    void an_unset_admin_key_env_is_refused_naming_it() {
        assertThatThrownBy(() -> loader.parseJson(config("\"admin_key_env\": \"MISSING\",")))
                .isInstanceOf(InvalidConfigException.class)
                .satisfies(e -> assertThat(((InvalidConfigException) e).field()).isEqualTo("admin_key_env"));
    }

    @Test
    void an_admin_key_that_is_also_a_client_key_is_refused() {
        assertThatThrownBy(() -> loader.parseJson(config(
                "\"admin_key\": \"admin-key-0123456789\", \"api_keys\": [\"admin-key-0123456789\"],")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("must differ");
    }

    @Test
    void both_forms_are_refused() {
        assertThatThrownBy(() -> loader.parseJson(config("\"admin_key\": \"admin-key-0123456789\", \"admin_key_env\": \"ADMIN\",")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("not both");
    }

    @Test
    @DisplayName("the admin key never shows in the config's toString")
    void notInToString() {
        ServerConfig c = loader.parseJson(config("\"admin_key\": \"admin-key-0123456789\","));

        assertThat(c.toString()).doesNotContain("admin-key-0123456789").contains("admin_api=on");
    }

    @Test
    @DisplayName("serve wires the admin key and the default ticket_format into the admin API")
    void servedByConfiguredServer(@TempDir Path dir) throws Exception {
        ServerConfig config = loader.parseJson("""
                {"listen": "127.0.0.1:0", "public_url": "http://127.0.0.1:1", "engine_secret": "0123456789abcdef-secret",
                 "admin_key": "admin-key-0123456789", "ticket_format": "ed25519",
                 "rsa_key_file": "%s", "ed25519_key_file": "%s", "state_dir": "%s",
                 "provider": {"name": "static", "settings": {"workers": [{"id": 1, "mtoken": "m1", "url": "http://127.0.0.1:9"}]}},
                 "endpoints": [{"endpoint_name": "llm", "cold_workers": 0, "groups": [{"group_name": "main"}]}]}
                """.formatted(dir.resolve("rsa.pem"), dir.resolve("ed25519.json"), dir.resolve("state")));
        HttpClient client = HttpClient.newHttpClient();
        try (ConfiguredServer server = ConfiguredServer.start(config)) {
            HttpResponse<String> created = client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/admin/endpoints"))
                    .header("Authorization", "Bearer admin-key-0123456789")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"endpoint_name\": \"chat\", \"cold_workers\": 0, \"groups\": [{\"group_name\": \"g\"}]}"))
                    .build(), HttpResponse.BodyHandlers.ofString());

            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            assertThat(server.engine().endpoint("chat").ticketFormat()).isEqualTo("ed25519");
        }
    }
}
