package dev.autoscaler.core.http;

import static dev.autoscaler.core.http.HttpHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autoscaler.ManualClock;
import dev.autoscaler.core.router.RouterHarness;
import dev.autoscaler.core.ticket.Ed25519KeyRing;
import dev.autoscaler.core.ticket.TicketFormats;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("POST /admin/tickets/ed25519/rotate")
class KeyRotationHttpTest {
    static final String ADMIN_KEY = "admin-key-0123456789";

    final ManualClock clock = new ManualClock();
    final TicketFormats tickets = TicketFormats.builder().clock(clock).build();
    final RouterHarness h = new RouterHarness(1);
    final ApiServer server = HttpHarness.start(
            AutoscalerApi.builder(h.router).apiKey(HttpHarness.KEY).tickets(tickets).adminKey(ADMIN_KEY).build());
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void close() {
        server.close();
    }

    HttpResponse<String> rotate(String query, String key) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/admin/tickets/ed25519/rotate" + query))
                .header("Authorization", "Bearer " + key).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    JsonNode jwks() throws Exception {
        return HttpHarness.JSON.readTree(client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/ed25519-keys/"))
                .GET().build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    @Test
    void rotates_on_demand_and_the_jwks_gives_each_keys_validity() throws Exception {
        String current = tickets.ed25519KeyRing().current().kid();
        String next = tickets.ed25519KeyRing().next().kid();

        HttpResponse<String> response = rotate("", ADMIN_KEY);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("current").asText()).isEqualTo(next);
        assertThat(json(response).get("previous").asText()).isEqualTo(current);
        assertThat(json(response).get("previous_valid_until").asText())
                .isEqualTo(clock.now().plus(Ed25519KeyRing.DEFAULT_OVERLAP).toString());
        JsonNode keys = jwks().get("keys");
        assertThat(keys).hasSize(3);
        assertThat(keys.get(0).get("status").asText()).isEqualTo("current");
        assertThat(keys.get(2).get("status").asText()).isEqualTo("previous");
        assertThat(keys.get(2).get("exp").asLong()).isEqualTo(clock.now().plus(Ed25519KeyRing.DEFAULT_OVERLAP).getEpochSecond());
        assertThat(keys.get(2).get("signed_until").asLong()).isEqualTo(clock.now().getEpochSecond());
    }

    @Test
    void a_second_rotation_within_the_overlap_is_409_unless_forced_and_allowed_after_it() throws Exception {
        rotate("", ADMIN_KEY);

        assertThat(rotate("", ADMIN_KEY).statusCode()).isEqualTo(409);
        assertThat(rotate("?force=true", ADMIN_KEY).statusCode()).isEqualTo(200);
        clock.advance(Ed25519KeyRing.DEFAULT_OVERLAP);
        assertThat(jwks().get("keys")).hasSize(2);
        assertThat(rotate("", ADMIN_KEY).statusCode()).isEqualTo(200);
    }

    @Test
    void needs_the_admin_key_and_post() throws Exception {
        assertThat(rotate("", HttpHarness.KEY).statusCode()).isEqualTo(401);
        HttpResponse<String> get = client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/admin/tickets/ed25519/rotate"))
                .header("Authorization", "Bearer " + ADMIN_KEY).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
    }
}
