package dev.autoscaler.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.autoscaler.WorkerTemplate;
import dev.autoscaler.core.router.RouterHarness;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A group's rolling-update progress in the admin API's group object, over real HTTP. */
class AdminRolloutHttpTest {
    static final String ADMIN_KEY = "admin-key-0123456789";
    static final String GROUP = "/admin/endpoints/llm/groups/main";

    final RouterHarness h = new RouterHarness(2);
    final ApiServer server = HttpHarness.start(
            AutoscalerApi.builder(h.router).apiKey(HttpHarness.KEY).tickets(RouterHarness.TICKETS).adminKey(ADMIN_KEY).build());
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void close() {
        server.close();
    }

    HttpResponse<String> admin(String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Bearer " + ADMIN_KEY);
        try {
            return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    @DisplayName("GET shows the group's revision and its workers, all current")
    void showsProgress() {
        h.ready(2, 100);

        JsonNode rollout = HttpHarness.json(admin("GET", GROUP, null)).get("rollout");

        assertThat(rollout.get("revision").asText()).isEqualTo(WorkerTemplate.none().revision());
        assertThat(rollout.get("current").asInt()).isEqualTo(2);
        assertThat(rollout.get("outdated").asInt()).isZero();
        assertThat(rollout.get("draining").asInt()).isZero();
        assertThat(rollout.get("in_progress").asBoolean()).isFalse();
    }

    @Test
    @DisplayName("a group read with GET and sent back with a new image is accepted, and its workers are then outdated")
    void templateChangeStartsARollout() {
        h.ready(2, 100);
        ObjectNode group = (ObjectNode) HttpHarness.json(admin("GET", GROUP, null));
        ((ObjectNode) group.get("template")).put("image", "vllm/vllm-openai:v2");

        HttpResponse<String> put = admin("PUT", GROUP, group.toString());

        assertThat(put.statusCode()).isEqualTo(200);
        JsonNode rollout = HttpHarness.json(put).get("rollout");
        assertThat(rollout.get("revision").asText()).isEqualTo(WorkerTemplate.ofImage("vllm/vllm-openai:v2").revision());
        assertThat(rollout.get("outdated").asInt()).isEqualTo(2);
        assertThat(rollout.get("in_progress").asBoolean()).isTrue();
    }
}
