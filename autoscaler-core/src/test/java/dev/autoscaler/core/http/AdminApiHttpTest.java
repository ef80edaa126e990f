package dev.autoscaler.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.autoscaler.core.router.RouterHarness;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The admin routes over real HTTP on loopback, against the real engine and router. */
class AdminApiHttpTest {
    static final String ADMIN_KEY = "admin-key-0123456789";
    static final String NEW_ENDPOINT = """
            {"endpoint_name": "chat", "max_workers": 3, "target_util": 0.8,
             "groups": [{"group_name": "a100", "weight": 3, "search_params": "gpu_ram>=80"}]}
            """;

    final RouterHarness h = new RouterHarness(2);
    final ApiServer server = HttpHarness.start(
            AutoscalerApi.builder(h.router).apiKey(HttpHarness.KEY).tickets(RouterHarness.TICKETS).adminKey(ADMIN_KEY).build());
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void close() {
        server.close();
    }

    HttpResponse<String> call(String method, String path, String body, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        try {
            return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> admin(String method, String path, String body) {
        return call(method, path, body, ADMIN_KEY);
    }

    static JsonNode json(HttpResponse<String> r) {
        return HttpHarness.json(r);
    }

    @Nested
    @DisplayName("authentication")
    class Authentication {
        @Test
        @DisplayName("no key, a wrong key or an endpoint API key is 401")
        void rejected() {
            assertThat(call("GET", "/admin/endpoints", null, null).statusCode()).isEqualTo(401);
            assertThat(call("GET", "/admin/endpoints", null, "wrong").statusCode()).isEqualTo(401);
            HttpResponse<String> withApiKey = call("DELETE", "/admin/endpoints/llm", null, HttpHarness.KEY);

            assertThat(withApiKey.statusCode()).isEqualTo(401);
            assertThat(json(withApiKey).get("error").asText()).isEqualTo("Authentication failed");
            assertThat(h.engine.endpointNames()).containsExactly("llm");
        }

        @Test
        @DisplayName("the admin key is accepted")
        void accepted() {
            HttpResponse<String> r = admin("GET", "/admin/endpoints", null);

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(json(r).get("endpoints")).extracting(e -> e.get("endpoint_name").asText()).containsExactly("llm");
        }

        @Test
        @DisplayName("without an admin key configured, the admin routes do not exist (404)")
        void offWithoutKey() {
            try (HttpHarness plain = new HttpHarness(h)) {
                HttpResponse<String> r = plain.send(HttpRequest.newBuilder(plain.uri("/admin/endpoints"))
                        .header("Authorization", "Bearer " + ADMIN_KEY).GET().build());

                assertThat(r.statusCode()).isEqualTo(404);
                assertThat(json(r).get("error").asText()).contains("admin API is off");
            }
        }
    }

    @Nested
    @DisplayName("endpoints")
    class Endpoints {
        @Test
        @DisplayName("create -> visible -> update -> delete")
        void lifecycle() {
            HttpResponse<String> created = admin("POST", "/admin/endpoints", NEW_ENDPOINT);
            assertThat(created.statusCode()).isEqualTo(201);
            assertThat(json(created).get("endpoint_name").asText()).isEqualTo("chat");

            HttpResponse<String> shown = admin("GET", "/admin/endpoints/chat", null);
            assertThat(shown.statusCode()).isEqualTo(200);
            assertThat(json(shown).get("max_workers").asInt()).isEqualTo(3);
            assertThat(json(shown).get("groups").get(0).get("weight").asDouble()).isEqualTo(3);
            assertThat(h.engine.endpointNames()).containsExactly("chat", "llm");

            ObjectNode changed = (ObjectNode) json(shown);
            changed.put("max_workers", 7);
            HttpResponse<String> updated = admin("PUT", "/admin/endpoints/chat", changed.toString());
            assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
            assertThat(h.engine.endpoint("chat").maxWorkers()).isEqualTo(7);
            assertThat(h.engine.endpoint("chat").targetUtil()).isEqualTo(0.8);

            HttpResponse<String> deleted = admin("DELETE", "/admin/endpoints/chat", null);
            assertThat(deleted.statusCode()).isEqualTo(200);
            assertThat(admin("GET", "/admin/endpoints/chat", null).statusCode()).isEqualTo(404);
            assertThat(h.engine.endpointNames()).containsExactly("llm");
        }

        @Test
        @DisplayName("the endpoint's api_key is never shown, only whether it has one")
        void apiKeyHidden() {
            admin("POST", "/admin/endpoints", """
                    {"endpoint_name": "secret", "api_key": "do-not-show-me", "groups": [{"group_name": "g"}]}""");

            HttpResponse<String> r = admin("GET", "/admin/endpoints/secret", null);

            assertThat(r.body()).doesNotContain("do-not-show-me");
            assertThat(json(r).get("has_api_key").asBoolean()).isTrue();
        }

        @Test
        @DisplayName("creating one that exists is 409 and changes nothing")
        void conflict() {
            HttpResponse<String> r = admin("POST", "/admin/endpoints",
                    "{\"endpoint_name\": \"llm\", \"max_workers\": 1, \"groups\": [{\"group_name\": \"x\"}]}");

            assertThat(r.statusCode()).isEqualTo(409);
            assertThat(json(r).get("error").asText()).contains("llm");
            assertThat(h.engine.endpoint("llm").groups()).extracting(g -> g.name()).containsExactly("main");
        }

        @Test
        @DisplayName("an unknown one is 404 for GET, PUT and DELETE")
        void unknown() {
            assertThat(admin("GET", "/admin/endpoints/nope", null).statusCode()).isEqualTo(404);
            assertThat(admin("PUT", "/admin/endpoints/nope", "{\"groups\": [{\"group_name\": \"g\"}]}").statusCode())
                    .isEqualTo(404);
            assertThat(admin("DELETE", "/admin/endpoints/nope", null).statusCode()).isEqualTo(404);
        }

        @Test
        @DisplayName("a wrong method is 405 with Allow")
        void wrongMethod() {
            HttpResponse<String> r = admin("PATCH", "/admin/endpoints", "{}");

            assertThat(r.statusCode()).isEqualTo(405);
            assertThat(r.headers().firstValue("Allow")).hasValue("GET, HEAD, POST");
        }
    }

    @Nested
    @DisplayName("validation: 400 naming the field, with the serve config's wire names")
    class Validation {
        void assertField(HttpResponse<String> r, String field) {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
            assertThat(json(r).get("field").asText()).isEqualTo(field);
            assertThat(json(r).get("message").asText()).isNotBlank();
        }

        @Test
        void an_endpoint_value_out_of_range() {
            assertField(admin("POST", "/admin/endpoints",
                    "{\"endpoint_name\": \"x\", \"target_util\": 2, \"groups\": [{\"group_name\": \"g\"}]}"), "target_util");
        }

        @Test
        void a_group_value_of_the_wrong_type() {
            assertField(admin("POST", "/admin/endpoints",
                    "{\"endpoint_name\": \"x\", \"groups\": [{\"group_name\": \"g\", \"gpu_ram\": \"lots\"}]}"),
                    "groups[0].gpu_ram");
        }

        @Test
        void a_misspelt_field() {
            HttpResponse<String> r = admin("POST", "/admin/endpoints",
                    "{\"endpoint_name\": \"x\", \"max_worker\": 3, \"groups\": [{\"group_name\": \"g\"}]}");

            assertField(r, "max_worker");
            assertThat(json(r).get("message").asText()).contains("unknown field");
        }

        @Test
        void no_groups() {
            assertField(admin("POST", "/admin/endpoints", "{\"endpoint_name\": \"x\"}"), "groups");
        }

        @Test
        void a_name_that_differs_from_the_path() {
            assertField(admin("PUT", "/admin/endpoints/llm",
                    "{\"endpoint_name\": \"other\", \"groups\": [{\"group_name\": \"main\"}]}"), "endpoint_name");
        }

        @Test
        void an_unknown_ticket_format() {
            assertField(admin("POST", "/admin/endpoints",
                    "{\"endpoint_name\": \"x\", \"ticket_format\": \"jwt\", \"groups\": [{\"group_name\": \"g\"}]}"),
                    "ticket_format");
            assertThat(h.engine.endpointNames()).containsExactly("llm");
        }

        @Test
        void a_group_on_an_unknown_provider() {
            assertField(admin("POST", "/admin/endpoints/llm/groups", "{\"group_name\": \"g\", \"provider\": \"gcp\"}"),
                    "groups[1].provider");
        }

        @Test
        void a_negative_group_max_workers() {
            assertField(admin("POST", "/admin/endpoints/llm/groups", "{\"group_name\": \"g\", \"max_workers\": -1}"),
                    "max_workers"); // the body is the group: its own field
            assertField(admin("POST", "/admin/endpoints",
                    "{\"endpoint_name\": \"x\", \"groups\": [{\"group_name\": \"g\", \"max_workers\": \"two\"}]}"),
                    "groups[0].max_workers");
        }

        @Test
        void a_negative_or_missing_or_textual_weight() {
            assertField(admin("PUT", "/admin/endpoints/llm/groups/main/weight", "{\"weight\": -1}"), "weight");
            assertField(admin("PUT", "/admin/endpoints/llm/groups/main/weight", "{}"), "weight");
            assertField(admin("PUT", "/admin/endpoints/llm/groups/main/weight", "{\"weight\": \"ten\"}"), "weight");
        }

        @Test
        void a_body_that_is_not_json() {
            assertField(admin("POST", "/admin/endpoints", "{nope"), "body");
        }
    }

    @Nested
    @DisplayName("groups")
    class Groups {
        @Test
        @DisplayName("create -> visible -> weight -> replace -> delete")
        void lifecycle() {
            HttpResponse<String> created = admin("POST", "/admin/endpoints/llm/groups",
                    "{\"group_name\": \"spill\", \"overflow\": true}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            assertThat(json(admin("GET", "/admin/endpoints/llm/groups", null)).get("groups"))
                    .extracting(g -> g.get("group_name").asText()).containsExactly("main", "spill");

            HttpResponse<String> weighted = admin("PUT", "/admin/endpoints/llm/groups/spill/weight", "{\"weight\": 10}");
            assertThat(weighted.statusCode()).isEqualTo(200);
            assertThat(h.engine.endpoint("llm").group("spill").orElseThrow().weight()).isEqualTo(10);

            HttpResponse<String> replaced = admin("PUT", "/admin/endpoints/llm/groups/spill", "{\"gpu_ram\": 80}");
            assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
            assertThat(json(replaced).get("gpu_ram").asDouble()).isEqualTo(80);
            assertThat(h.engine.endpoint("llm").group("spill").orElseThrow().overflow()).isFalse();

            HttpResponse<String> deleted = admin("DELETE", "/admin/endpoints/llm/groups/spill", null);
            assertThat(deleted.statusCode()).isEqualTo(200);
            assertThat(h.engine.endpoint("llm").groups()).extracting(g -> g.name()).containsExactly("main");
            assertThat(admin("GET", "/admin/endpoints/llm/groups/spill", null).statusCode()).isEqualTo(404);
        }

        @Test
        @DisplayName("a group's max_workers is taken, shown by GET, and dropped by a replace without it")
        void maxWorkers() {
            HttpResponse<String> created = admin("POST", "/admin/endpoints/llm/groups",
                    "{\"group_name\": \"h100\", \"max_workers\": 2}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            assertThat(json(created).get("max_workers").asInt()).isEqualTo(2);
            assertThat(h.engine.endpoint("llm").group("h100").orElseThrow().maxWorkers()).hasValue(2);
            assertThat(json(admin("GET", "/admin/endpoints/llm/groups/h100", null)).get("max_workers").asInt())
                    .isEqualTo(2);

            HttpResponse<String> replaced = admin("PUT", "/admin/endpoints/llm/groups/h100", "{\"gpu_ram\": 80}");

            assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
            assertThat(json(replaced).has("max_workers")).as("absent: no cap of the group's own").isFalse();
            assertThat(h.engine.endpoint("llm").group("h100").orElseThrow().maxWorkers()).isEmpty();
        }

        @Test
        @DisplayName("creating a group that exists is 409")
        void conflict() {
            assertThat(admin("POST", "/admin/endpoints/llm/groups", "{\"group_name\": \"main\"}").statusCode())
                    .isEqualTo(409);
        }

        @Test
        @DisplayName("an unknown group or endpoint is 404")
        void unknown() {
            assertThat(admin("PUT", "/admin/endpoints/llm/groups/nope/weight", "{\"weight\": 1}").statusCode()).isEqualTo(404);
            assertThat(admin("DELETE", "/admin/endpoints/llm/groups/nope", null).statusCode()).isEqualTo(404);
            assertThat(admin("POST", "/admin/endpoints/nope/groups", "{\"group_name\": \"g\"}").statusCode()).isEqualTo(404);
            assertThat(admin("GET", "/admin/endpoints/llm/gruops", null).statusCode()).isEqualTo(404);
        }

        @Test
        @DisplayName("the last group cannot be deleted: 400 naming group_name")
        void lastGroup() {
            HttpResponse<String> r = admin("DELETE", "/admin/endpoints/llm/groups/main", null);

            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(json(r).get("field").asText()).isEqualTo("group_name");
        }
    }
}
