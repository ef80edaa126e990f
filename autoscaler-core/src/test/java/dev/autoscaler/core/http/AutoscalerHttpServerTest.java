package dev.autoscaler.core.http;

import static dev.autoscaler.core.http.HttpHarness.KEY;
import static dev.autoscaler.core.http.HttpHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autoscaler.WorkerState;
import dev.autoscaler.core.router.RouterHarness;
import dev.autoscaler.core.ticket.Ed25519TicketVerifier;
import dev.autoscaler.spi.TicketClaims;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("the HTTP surface over real loopback HTTP")
class AutoscalerHttpServerTest {
    HttpHarness http;

    @BeforeEach
    void start() {
        http = new HttpHarness(2);
        http.h.scaleTo(1); // one worker loading: id 101, mtoken tok-101
    }

    @AfterEach
    void stop() {
        http.close();
    }

    String status(String fields) {
        return "{\"id\": 101, \"mtoken\": \"tok-101\"" + (fields.isEmpty() ? "" : ", " + fields) + "}";
    }

    HttpResponse<String> reportReady() {
        return http.post("/worker_status/", status("\"version\": \"0.4\", \"url\": \"http://10.0.0.1:4001\", "
                + "\"loadtime\": 12.5, \"cur_load\": 0, \"new_load\": 0, \"rej_load\": 0, \"cur_perf\": 0, "
                + "\"max_perf\": 120.5, \"error_msg\": \"\", \"num_requests_working\": 0, \"num_requests_recieved\": 0, "
                + "\"working_request_idxs\": [], \"additional_disk_usage\": -0.5, \"cur_capacity\": 0, \"max_capacity\": 0"));
    }

    String routeBody(String extra) {
        return "{\"endpoint\": \"llm\", \"api_key\": \"" + KEY + "\", \"cost\": 242.0, \"request_idx\": 0, "
                + "\"replay_timeout\": 60.0" + extra + "}";
    }

    @Nested
    class WorkerStatus {
        @Test
        void a_worker_reports_and_becomes_ready() {
            HttpResponse<String> response = reportReady();

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(json(response).get("success").asBoolean()).isTrue();
            assertThat(http.h.workers().get(0).state()).isEqualTo(WorkerState.READY);
            assertThat(http.h.workers().get(0).maxPerf()).isEqualTo(120.5);
        }

        @Test
        void a_failing_workers_minimal_report_is_accepted() {
            HttpResponse<String> response = http.post("/worker_status/", status(
                    "\"version\": \"0.4\", \"error_msg\": \"onstart script failed\", \"url\": \"\""));

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(http.h.workers().get(0).state()).isEqualTo(WorkerState.ERROR);
        }

        @Test
        void integer_zero_counters_and_unknown_fields_are_accepted() {
            HttpResponse<String> response = http.post("/worker_status/", status(
                    "\"cur_load\": 0, \"max_perf\": 100, \"loadtime\": 0, \"some_future_field\": {\"x\": [1]}"));

            assertThat(response.statusCode()).isEqualTo(200);
        }

        @Test
        void a_wrong_mtoken_is_401() {
            HttpResponse<String> response = http.post("/worker_status/", "{\"id\": 101, \"mtoken\": \"nope\", \"max_perf\": 1}");

            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(json(response).get("error").asText()).isEqualTo("Authentication failed");
        }

        @Test
        void an_unknown_worker_id_is_401() {
            HttpResponse<String> response = http.post("/worker_status/", "{\"id\": 999, \"mtoken\": \"tok-101\"}");

            assertThat(response.statusCode()).isEqualTo(401);
        }

        @ParameterizedTest
        @ValueSource(strings = {"cur_load", "new_load", "rej_load", "cur_perf", "max_perf", "loadtime"})
        void nan_infinite_and_negative_loads_are_400_naming_the_field(String field) {
            for (String bad : List.of("NaN", "Infinity", "-Infinity", "-1", "1e999", "\"12\"", "true")) {
                HttpResponse<String> response = http.post("/worker_status/", status("\"" + field + "\": " + bad));

                assertThat(response.statusCode()).as(field + "=" + bad).isEqualTo(400);
                assertThat(json(response).get("field").asText()).isEqualTo(field);
            }
        }

        @Test
        void malformed_fields_are_400_naming_them() {
            assertField(http.post("/worker_status/", "{\"mtoken\": \"tok-101\"}"), "id");
            assertField(http.post("/worker_status/", "{\"id\": 101}"), "mtoken");
            assertField(http.post("/worker_status/", "{\"id\": true, \"mtoken\": \"tok-101\"}"), "id");
            assertField(http.post("/worker_status/", status("\"working_request_idxs\": [1, \"x\"]")), "working_request_idxs[1]");
            assertField(http.post("/worker_status/", status("\"num_requests_working\": 1.5")), "num_requests_working");
            assertField(http.post("/worker_status/", status("\"num_requests_recieved\": -3")), "num_requests_recieved");
            assertField(http.post("/worker_status/", status("\"error_msg\": 5")), "error_msg");
            assertField(http.post("/worker_status/", status("\"additional_disk_usage\": NaN")), "additional_disk_usage");
            assertField(http.post("/worker_status/", "[1, 2]"), "body");
            assertField(http.post("/worker_status/", "{\"id\": 1,"), "body");
        }
    }

    @Nested
    class Route {
        @Test
        void routes_to_the_ready_workers_url_with_a_signature_that_verifies_against_pubkey() throws Exception {
            reportReady();

            HttpResponse<String> response = http.post("/route/", routeBody(""));

            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode answer = json(response);
            assertThat(answer.get("url").asText()).isEqualTo("http://10.0.0.1:4001");
            assertThat(answer.get("endpoint").asText()).isEqualTo("llm");
            assertThat(answer.get("cost").isDouble()).isTrue();
            assertThat(answer.get("cost").asDouble()).isEqualTo(242.0);
            assertThat(answer.get("reqnum").asLong()).isEqualTo(1);
            assertThat(answer.get("request_idx").asLong()).isPositive();
            assertThat(answer.get("__request_id").asText()).hasSize(36);
            String pem = http.get("/pubkey/").body();
            assertThat(verifies(pem, answer.get("url").asText(), answer.get("signature").asText())).isTrue();
            assertThat(verifies(pem, "http://10.0.0.1:9999", answer.get("signature").asText())).isFalse();
        }

        @Test
        void an_ed25519_endpoint_gets_a_ticket_that_verifies_against_the_served_jwks() {
            http.h.engine.putEndpoint(http.h.engine.endpoint("llm").toBuilder().ticketFormat("ed25519").build());
            reportReady();

            JsonNode answer = json(http.post("/route/", routeBody("")));

            Ed25519TicketVerifier verifier = Ed25519TicketVerifier.builder().trustJwks(http.get("/ed25519-keys/").body())
                    .clock(http.h.clock).audience("101").build();
            TicketClaims presented = new TicketClaims("llm", answer.get("url").asText(), answer.get("cost").asDouble(),
                    answer.get("reqnum").asLong(), answer.get("request_idx").asLong(), "101", http.h.clock.now());
            assertThat(verifier.verify(answer.get("signature").asText(), presented).accepted()).isTrue();
        }

        @Test
        void an_integer_cost_stays_an_integer() {
            reportReady();

            JsonNode answer = json(http.post("/route/", "{\"endpoint\": \"llm\", \"api_key\": \"key-1\", \"cost\": 100}"));

            assertThat(answer.get("cost").isIntegralNumber()).isTrue();
        }

        @Test
        void not_ready_answers_carry_a_status_and_a_request_idx_that_a_re_poll_reuses() {
            JsonNode first = json(http.post("/route/", routeBody("")));
            long idx = first.get("request_idx").asLong();
            reportReady();
            JsonNode second = json(http.post("/route/", "{\"endpoint\": \"llm\", \"api_key\": \"key-1\", "
                    + "\"cost\": 242.0, \"request_idx\": " + idx + "}"));

            assertThat(first.has("url")).isFalse();
            assertThat(first.get("status").asText()).contains("loading");
            assertThat(second.get("request_idx").asLong()).isEqualTo(idx);
            assertThat(second.get("url").asText()).isEqualTo("http://10.0.0.1:4001");
            assertThat(http.h.engine.snapshot("llm").load().arrivalRateShort()).isEqualTo(242.0);
        }

        @Test
        void each_of_bearer_body_and_query_key_alone_is_accepted() {
            String noKey = "{\"endpoint\": \"llm\", \"cost\": 1}";

            assertThat(http.postWithBearer("/route/", noKey, KEY).statusCode()).isEqualTo(200);
            assertThat(http.post("/route/", "{\"endpoint\": \"llm\", \"cost\": 1, \"api_key\": \"key-1\"}").statusCode()).isEqualTo(200);
            assertThat(http.post("/route/?api_key=key-1", noKey).statusCode()).isEqualTo(200);
        }

        @Test
        void a_bad_or_missing_key_is_401() {
            HttpResponse<String> bad = http.postWithBearer("/route/", "{\"endpoint\": \"llm\", \"api_key\": \"x\"}", "y");
            HttpResponse<String> none = http.post("/route/", "{\"endpoint\": \"llm\"}");

            assertThat(bad.statusCode()).isEqualTo(401);
            assertThat(bad.body()).isEqualTo("{\"error\":\"Authentication failed\"}");
            assertThat(none.statusCode()).isEqualTo(401);
        }

        @Test
        void missing_or_malformed_fields_are_400_naming_them() {
            HttpResponse<String> missing = http.post("/route/", "{\"api_key\": \"key-1\"}");

            assertThat(missing.statusCode()).isEqualTo(400);
            assertThat(json(missing).get("error").asText()).isEqualTo("Invalid endpoint or missing required parameters");
            assertThat(json(missing).get("field").asText()).isEqualTo("endpoint");
            assertField(http.post("/route/", routeBody(", \"cost\": \"lots\"")), "cost");
            assertField(http.post("/route/", routeBody(", \"cost\": -5")), "cost");
            assertField(http.post("/route/", routeBody(", \"cost\": NaN")), "cost");
            assertField(http.post("/route/", routeBody(", \"request_idx\": -1")), "request_idx");
            assertField(http.post("/route/", routeBody(", \"request_idx\": 1.5")), "request_idx");
            assertField(http.post("/route/", "{\"endpoint\": 7}"), "endpoint");
        }

        @Test
        void an_unknown_endpoint_is_400_naming_it() {
            HttpResponse<String> response = http.post("/route/", "{\"endpoint\": \"other\", \"api_key\": \"key-1\"}");

            assertField(response, "endpoint");
            assertThat(json(response).get("error").asText()).isEqualTo("Invalid endpoint or missing required parameters");
        }
    }

    @Nested
    class DeleteRequests {
        long routed() {
            reportReady();
            return json(http.post("/route/", routeBody(""))).get("request_idx").asLong();
        }

        @Test
        void the_flat_form_ends_the_reservation() {
            long idx = routed();

            HttpResponse<String> response = http.post("/delete_requests/",
                    "{\"worker_id\": 101, \"mtoken\": \"tok-101\", \"request_idxs\": [" + idx + "], \"success\": true}");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(json(response).get("released").asInt()).isEqualTo(1);
            assertThat(http.h.workers().get(0).reservedLoad()).isZero();
        }

        @Test
        void the_list_of_objects_form_ends_the_reservation() {
            long idx = routed();

            HttpResponse<String> response = http.post("/delete_requests/", "{\"worker_id\": 101, \"mtoken\": \"tok-101\", "
                    + "\"requests\": [{\"request_idx\": " + idx + ", \"success\": false, \"status\": \"Rejected\", "
                    + "\"entered_queue_at\": 1.7e9, \"work_started_at\": 0.0, \"work_completed_at\": 0.0}]}");

            assertThat(json(response).get("released").asInt()).isEqualTo(1);
            assertThat(http.h.workers().get(0).reservedLoad()).isZero();
        }

        @Test
        void a_wrong_mtoken_is_401_and_a_malformed_entry_400() {
            assertThat(http.post("/delete_requests/", "{\"worker_id\": 101, \"mtoken\": \"x\", \"request_idxs\": []}")
                    .statusCode()).isEqualTo(401);
            assertField(http.post("/delete_requests/", "{\"worker_id\": 101, \"mtoken\": \"tok-101\", "
                    + "\"requests\": [{\"status\": \"Success\"}]}"), "requests[0].request_idx");
            assertField(http.post("/delete_requests/", "{\"worker_id\": 101, \"mtoken\": \"tok-101\"}"), "request_idxs");
        }
    }

    @Nested
    class Other {
        @Test
        void get_endpoint_workers_lists_each_worker() {
            reportReady();

            HttpResponse<String> response = http.post("/get_endpoint_workers/", "{\"endpoint\": \"llm\", \"api_key\": \"key-1\"}");

            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode w = json(response).get(0);
            assertThat(w.get("id").asLong()).isEqualTo(101);
            assertThat(w.get("status").asText()).isEqualTo("ready");
            assertThat(w.get("measured_perf").asDouble()).isEqualTo(120.5);
            assertThat(w.get("perf").asDouble()).isEqualTo(120.5);
            assertThat(w.has("cur_load")).isTrue();
            assertThat(w.has("reqs_working")).isTrue();
            assertThat(w.get("url").asText()).isEqualTo("http://10.0.0.1:4001");
            assertThat(http.post("/get_endpoint_workers/", "{\"endpoint\": \"llm\"}").statusCode()).isEqualTo(401);
        }

        @Test
        void pubkey_serves_a_pem_and_the_ed25519_path_a_jwks() {
            HttpResponse<String> pem = http.get("/pubkey/");
            HttpResponse<String> jwks = http.get("/ed25519-keys/");

            assertThat(pem.statusCode()).isEqualTo(200);
            assertThat(pem.body()).startsWith("-----BEGIN PUBLIC KEY-----");
            assertThat(jwks.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(jwks.body()).isEqualTo(RouterHarness.TICKETS.jwksJson());
        }

        @Test
        void unknown_paths_are_404_with_a_json_body() {
            HttpResponse<String> response = http.get("/nope");

            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(json(response).has("error")).isTrue();
        }

        @Test
        void wrong_methods_are_405_with_allow() {
            HttpResponse<String> getRoute = http.get("/route/");
            HttpResponse<String> postKey = http.post("/pubkey/", "{}");

            assertThat(getRoute.statusCode()).isEqualTo(405);
            assertThat(getRoute.headers().firstValue("Allow")).hasValue("POST");
            assertThat(json(getRoute).get("error").asText()).isEqualTo("Method not allowed");
            assertThat(postKey.statusCode()).isEqualTo(405);
        }

        @Test
        void a_body_over_the_limit_is_413() {
            String big = "{\"endpoint\": \"llm\", \"pad\": \"" + "x".repeat(AutoscalerApi.DEFAULT_MAX_BODY_BYTES) + "\"}";

            HttpResponse<String> response = http.post("/route/", big);

            assertThat(response.statusCode()).isEqualTo(413);
            assertThat(json(response).has("error")).isTrue();
        }

        @Test
        void a_chunked_body_over_the_limit_is_413_too() {
            byte[] big = new byte[AutoscalerApi.DEFAULT_MAX_BODY_BYTES + 10];
            java.util.Arrays.fill(big, (byte) ' ');
            HttpRequest request = HttpRequest.newBuilder(http.uri("/worker_status/"))
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))).build();

            assertThat(http.send(request).statusCode()).isEqualTo(413);
        }

        @Test
        void paths_match_without_their_trailing_slash() {
            reportReady();

            assertThat(http.post("/route", routeBody("")).statusCode()).isEqualTo(200);
        }
    }

    static void assertField(HttpResponse<String> response, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(json(response).get("field").asText()).as(response.body()).isEqualTo(field);
        assertThat(json(response).get("message").asText()).contains(field);
    }

    static boolean verifies(String pem, String url, String signature) throws Exception {
        String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(b64)));
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initVerify(key);
        s.update(("{\n    \"url\": \"" + url + "\"\n}").getBytes(StandardCharsets.UTF_8));
        return s.verify(Base64.getDecoder().decode(signature));
    }
}
