package dev.autoscaler.vast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autoscaler.ManualClock;
import dev.autoscaler.ProviderException.Kind;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Every call's method, path, headers and body, and the parsing of every answer, against MockWebServer. */
class VastApiClientTest {
    static final String KEY = "k3y-0123456789abcdef";

    private final ObjectMapper json = new ObjectMapper();
    private final ManualClock clock = new ManualClock();
    private final RecordingSleeper sleeper = new RecordingSleeper(clock);
    private final ScriptedDispatcher script = new ScriptedDispatcher(clock);
    private MockWebServer server;
    private VastApiClient client;

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.setDispatcher(script);
        server.start();
        client = VastApiClient.builder().apiKey(KEY).baseUrl(server.url("/").toString())
                .clock(clock).sleeper(sleeper).random(() -> 0.5).maxRetries(0)
                .timeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        server.shutdown();
    }

    private RecordedRequest only() {
        assertThat(script.requests()).hasSize(1);
        return script.requests().get(0);
    }

    private JsonNode body(RecordedRequest request) throws IOException {
        return json.readTree(request.getBody().readUtf8());
    }

    private static Map<String, String> query(RecordedRequest request) {
        Map<String, String> params = new LinkedHashMap<>();
        String raw = request.getRequestUrl().encodedQuery();
        if (raw == null) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }

    private static void assertAuthorized(RecordedRequest request) {
        assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(request.getHeader("Accept")).isEqualTo("application/json");
    }

    @Nested
    @DisplayName("search offers")
    class Search {
        @Test
        @DisplayName("POSTs the filter to /api/v0/bundles/ with the bearer key")
        void request() throws Exception {
            script.thenJson(200, "{\"offers\":[]}");

            client.searchOffers(VastQuery.withOrder(VastQuery.parse("gpu_ram>=24"), "dlperf_per_dphtotal", true, 5));

            RecordedRequest request = only();
            assertThat(request.getMethod()).isEqualTo("POST");
            assertThat(request.getPath()).isEqualTo("/api/v0/bundles/");
            assertAuthorized(request);
            assertThat(request.getHeader("Content-Type")).startsWith("application/json");
            assertThat(body(request)).isEqualTo(json.readTree("{\"verified\":{\"eq\":true},\"rentable\":{\"eq\":true},"
                    + "\"rented\":{\"eq\":false},\"gpu_ram\":{\"gte\":24000},"
                    + "\"order\":[[\"dlperf_per_dphtotal\",\"desc\"]],\"type\":\"on-demand\",\"limit\":5}"));
        }

        @Test
        @DisplayName("parses offers, numbers as ints, floats or strings, unknown fields ignored")
        void parses() {
            script.thenJson(200, "{\"offers\":[{\"id\":101,\"gpu_name\":\"RTX 4090\",\"num_gpus\":2,\"gpu_ram\":24564,"
                    + "\"dph_total\":\"0.8\",\"dlperf\":104.5,\"dlperf_per_dphtotal\":130.6,\"reliability2\":0.993,"
                    + "\"geolocation\":\"Sweden, SE\",\"brand_new_field\":{\"x\":1}},"
                    + "{\"id\":\"102\",\"gpu_name\":\"RTX 3090\",\"dph_total\":0.25,\"dlperf\":25}]}");

            List<VastOffer> offers = client.searchOffers(VastQuery.parse(""));

            assertThat(offers).containsExactly(
                    new VastOffer(101, "RTX 4090", 2, 24564, 0.8, 104.5, 130.6, 0.993, "Sweden, SE"),
                    new VastOffer(102, "RTX 3090", 1, 0, 0.25, 25, 100, 1, ""));
        }
    }

    @Nested
    @DisplayName("create")
    class Create {
        @Test
        @DisplayName("PUTs the template to /api/v0/asks/{offer}/ and returns new_contract")
        void request() throws Exception {
            script.thenJson(200, "{\"success\":true,\"new_contract\":7835610}");
            Map<String, String> env = new LinkedHashMap<>();
            env.put("MASTER_TOKEN", "m");
            env.put("-p 3000:3000", "1");
            VastCreateRequest create = new VastCreateRequest("vastai/vllm:latest", 40, "ep--g--w1", env,
                    "bash start.sh", List.of("--model", "llama"), "abc123", "running", true);

            long id = client.createInstance(4242, create);

            assertThat(id).isEqualTo(7835610);
            RecordedRequest request = only();
            assertThat(request.getMethod()).isEqualTo("PUT");
            assertThat(request.getPath()).isEqualTo("/api/v0/asks/4242/");
            assertAuthorized(request);
            assertThat(body(request)).isEqualTo(json.readTree("{\"client_id\":\"me\",\"image\":\"vastai/vllm:latest\","
                    + "\"disk\":40.0,\"label\":\"ep--g--w1\",\"env\":{\"MASTER_TOKEN\":\"m\",\"-p 3000:3000\":\"1\"},"
                    + "\"onstart\":\"bash start.sh\",\"runtype\":\"args\",\"args\":[\"--model\",\"llama\"],"
                    + "\"template_hash_id\":\"abc123\",\"target_state\":\"running\",\"cancel_unavail\":true}"));
        }

        @Test
        @DisplayName("an answer without new_contract is an error")
        void noContract() {
            script.thenJson(200, "{\"success\":true}");

            VastApiException e = catchThrowableOfType(VastApiException.class,
                    () -> client.createInstance(1, createRequest("x")));

            assertThat(e.kind()).isEqualTo(Kind.OTHER);
            assertThat(e).hasMessageContaining("new_contract");
        }
    }

    static VastCreateRequest createRequest(String label) {
        return new VastCreateRequest("img", 10, label, Map.of(), "", List.of(), "", "running", true);
    }

    @Nested
    @DisplayName("list")
    class ListCalls {
        private static final String RUNNING = "{\"id\":11,\"label\":\"ep--g--w1\",\"actual_status\":\"running\","
                + "\"intended_status\":\"running\",\"cur_state\":\"running\",\"status_msg\":\"ok\","
                + "\"public_ipaddr\":\"1.2.3.4\\n\",\"ports\":{\"3000/tcp\":[{\"HostIp\":\"0.0.0.0\",\"HostPort\":\"41234\"},"
                + "{\"HostIp\":\"::\",\"HostPort\":\"41234\"}],\"22/tcp\":[{\"HostIp\":\"0.0.0.0\",\"HostPort\":\"41000\"}]},"
                + "\"gpu_name\":\"RTX 4090\",\"num_gpus\":1,\"dph_total\":0.41,\"start_date\":1767225600.5,"
                + "\"reliability2\":0.99,\"extra_env\":[[\"WORKER_PORT\",\"3000\"],[\"-p 3000:3000\",\"1\"]]}";

        @Test
        @DisplayName("GETs /api/v1/instances/ with select_filters and limit=25")
        void v1Request() {
            script.thenJson(200, "{\"success\":true,\"instances\":[],\"next_token\":null}");

            client.listInstances();

            RecordedRequest request = only();
            assertThat(request.getMethod()).isEqualTo("GET");
            assertThat(request.getRequestUrl().encodedPath()).isEqualTo("/api/v1/instances/");
            assertAuthorized(request);
            assertThat(query(request)).containsExactly(Map.entry("select_filters", "{}"), Map.entry("limit", "25"));
        }

        @Test
        @DisplayName("parses status fields, ports, env; a null actual_status is empty")
        void parses() {
            script.thenJson(200, "{\"instances\":[" + RUNNING + ",{\"id\":12,\"label\":null,\"actual_status\":null,"
                    + "\"intended_status\":\"running\",\"ports\":null}],\"next_token\":null}");

            List<VastInstance> instances = client.listInstances();

            assertThat(instances).hasSize(2);
            VastInstance running = instances.get(0);
            assertThat(running.id()).isEqualTo(11);
            assertThat(running.label()).isEqualTo("ep--g--w1");
            assertThat(running.actualStatus()).isEqualTo("running");
            assertThat(running.publicIp()).isEqualTo("1.2.3.4");
            assertThat(running.hostPorts()).containsEntry("3000/tcp", "41234").containsEntry("22/tcp", "41000");
            assertThat(running.env()).containsEntry("WORKER_PORT", "3000");
            assertThat(running.dphTotal()).isEqualTo(0.41);
            assertThat(running.reliability()).isEqualTo(0.99);
            VastInstance fresh = instances.get(1);
            assertThat(fresh.label()).isEmpty();
            assertThat(fresh.actualStatus()).isEmpty();
            assertThat(fresh.hostPorts()).isEmpty();
        }

        @Test
        @DisplayName("follows next_token with after_token until the last page")
        void pages() {
            script.thenJson(200, "{\"instances\":[" + RUNNING + "],\"next_token\":\"tok-1\"}")
                    .thenJson(200, "{\"instances\":[" + RUNNING.replace("\"id\":11", "\"id\":13") + "],\"next_token\":null}");

            List<VastInstance> instances = client.listInstances();

            assertThat(instances).extracting(VastInstance::id).containsExactly(11L, 13L);
            assertThat(query(script.requests().get(0))).doesNotContainKey("after_token");
            assertThat(query(script.requests().get(1))).containsEntry("after_token", "tok-1").containsEntry("limit", "25");
        }

        @Test
        @DisplayName("a server that repeats a page token is an error, not an endless loop")
        void repeatedToken() {
            script.thenJson(200, "{\"instances\":[" + RUNNING + "],\"next_token\":\"same\"}")
                    .thenJson(200, "{\"instances\":[" + RUNNING + "],\"next_token\":\"same\"}");

            VastApiException e = catchThrowableOfType(VastApiException.class, () -> client.listInstances());

            assertThat(e).hasMessageContaining("repeated page token");
        }

        @Test
        @DisplayName("falls back to the legacy list when v1 answers 404, and stays there")
        void fallback() {
            script.thenJson(404, "{\"detail\":\"Not Found\"}")
                    .thenJson(200, "{\"instances\":[" + RUNNING + "]}")
                    .thenJson(200, "{\"instances\":[]}");

            assertThat(client.listInstances()).hasSize(1);
            client.listInstances();

            List<RecordedRequest> requests = script.requests();
            assertThat(requests).hasSize(3);
            assertThat(requests.get(1).getRequestUrl().encodedPath()).isEqualTo("/api/v0/instances/");
            assertThat(query(requests.get(1))).containsExactly(Map.entry("owner", "me"));
            assertThat(requests.get(2).getRequestUrl().encodedPath()).isEqualTo("/api/v0/instances/");
            assertThat(client.usesLegacyList()).isTrue();
        }

        @Test
        @DisplayName("an answer without an instances array is an error, never an empty account")
        void missingInstances() {
            script.thenJson(200, "{\"success\":true,\"next_token\":null}")
                    .thenJson(200, "{\"success\":true,\"instances\":null}")
                    .thenJson(200, "{\"instances\":{\"id\":11}}");

            for (int i = 0; i < 3; i++) {
                VastApiException e = catchThrowableOfType(VastApiException.class, () -> client.listInstances());
                assertThat(e).hasMessageContaining("no 'instances' array");
                assertThat(e.retryable()).isTrue();
            }
        }

        @Test
        @DisplayName("a legacy list answer without instances is an error too")
        void missingInstancesLegacy() {
            script.thenJson(404, "{\"detail\":\"Not Found\"}").thenJson(200, "{}");

            VastApiException e = catchThrowableOfType(VastApiException.class, () -> client.listInstances());

            assertThat(e).hasMessageContaining("no 'instances' array");
        }

        @Test
        @DisplayName("a v1 5xx is an error, not a reason to fall back")
        void noFallbackOn5xx() {
            script.thenJson(500, "{\"msg\":\"boom\"}");

            VastApiException e = catchThrowableOfType(VastApiException.class, () -> client.listInstances());

            assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
            assertThat(client.usesLegacyList()).isFalse();
        }

        @Test
        @DisplayName("findByLabel asks the server for the label and keeps exact matches only")
        void findByLabel() {
            script.thenJson(200, "{\"instances\":[" + RUNNING + "," + RUNNING.replace("ep--g--w1", "ep--g--w10")
                    .replace("\"id\":11", "\"id\":14") + "]}");

            List<VastInstance> found = client.findByLabel("ep--g--w1");

            assertThat(found).extracting(VastInstance::id).containsExactly(11L);
            assertThat(query(only())).containsEntry("select_filters", "{\"label\":{\"eq\":\"ep--g--w1\"}}");
        }
    }

    @Nested
    @DisplayName("manage")
    class Manage {
        @Test
        @DisplayName("start PUTs {state: running} to /api/v0/instances/{id}/")
        void start() throws Exception {
            script.thenJson(200, "{\"success\":true}");
            client.startInstance(77);
            assertManage("/api/v0/instances/77/", "{\"state\":\"running\"}");
        }

        @Test
        @DisplayName("stop PUTs {state: stopped}")
        void stop() throws Exception {
            script.thenJson(200, "{\"success\":true}");
            client.stopInstance(77);
            assertManage("/api/v0/instances/77/", "{\"state\":\"stopped\"}");
        }

        @Test
        @DisplayName("label PUTs {label: ...}")
        void label() throws Exception {
            script.thenJson(200, "{\"success\":true}");
            client.setLabel(77, "ep--g--w9");
            assertManage("/api/v0/instances/77/", "{\"label\":\"ep--g--w9\"}");
        }

        @Test
        @DisplayName("reboot PUTs /api/v0/instances/reboot/{id}/")
        void reboot() throws Exception {
            script.thenJson(200, "{\"success\":true}");
            client.reboot(77);
            assertManage("/api/v0/instances/reboot/77/", "{}");
        }

        @Test
        @DisplayName("destroy DELETEs /api/v0/instances/{id}/")
        void destroy() {
            script.thenJson(200, "{\"success\":true}");
            client.destroy(77);
            RecordedRequest request = only();
            assertThat(request.getMethod()).isEqualTo("DELETE");
            assertThat(request.getPath()).isEqualTo("/api/v0/instances/77/");
            assertAuthorized(request);
        }

        @Test
        @DisplayName("an empty 200 body is a success")
        void emptyBody() {
            script.then(new MockResponse().setResponseCode(200));
            client.stopInstance(77);
            assertThat(script.requests()).hasSize(1);
        }

        private void assertManage(String path, String body) throws Exception {
            RecordedRequest request = only();
            assertThat(request.getMethod()).isEqualTo("PUT");
            assertThat(request.getPath()).isEqualTo(path);
            assertAuthorized(request);
            assertThat(body(request)).isEqualTo(json.readTree(body));
        }
    }

    @Nested
    @DisplayName("errors")
    class Errors {
        @Test
        @DisplayName("{success:false, error, msg} on create 404: OFFER_GONE with code and message")
        void fullShape() {
            script.thenJson(404, "{\"success\":false,\"error\":\"no_such_ask\",\"msg\":\"Instance type by id 9 is not available.\"}");

            VastApiException e = catchThrowableOfType(VastApiException.class, () -> client.createInstance(9, createRequest("l")));

            assertThat(e.kind()).isEqualTo(Kind.OFFER_GONE);
            assertThat(e.retryable()).isFalse();
            assertThat(e.httpStatus()).isEqualTo(404);
            assertThat(e.errorCode()).isEqualTo("no_such_ask");
            assertThat(e).hasMessageContaining("is not available").hasMessageContaining("/api/v0/asks/9/");
        }

        @Test
        @DisplayName("{msg} alone on create 410: OFFER_GONE")
        void msgAlone() {
            script.thenJson(410, "{\"msg\":\"offer no longer available\"}");

            VastApiException e = catchThrowableOfType(VastApiException.class, () -> client.createInstance(9, createRequest("l")));

            assertThat(e.kind()).isEqualTo(Kind.OFFER_GONE);
            assertThat(e.errorCode()).isEmpty();
            assertThat(e).hasMessageContaining("offer no longer available");
        }

        @Test
        @DisplayName("{message} alone on 400: INVALID")
        void messageAlone() {
            script.thenJson(400, "{\"message\":\"disk must be a number\"}");

            VastApiException e = catchThrowableOfType(VastApiException.class, () -> client.createInstance(9, createRequest("l")));

            assertThat(e.kind()).isEqualTo(Kind.INVALID);
            assertThat(e).hasMessageContaining("disk must be a number");
        }

        @Test
        @DisplayName("plain text 429: RATE_LIMITED, retryable, text kept")
        void plainText() {
            script.then(new MockResponse().setResponseCode(429).setBody("API requests too frequent"));

            VastApiException e = catchThrowableOfType(VastApiException.class, () -> client.listInstances());

            assertThat(e.kind()).isEqualTo(Kind.RATE_LIMITED);
            assertThat(e.retryable()).isTrue();
            assertThat(e).hasMessageContaining("API requests too frequent");
        }

        @Test
        @DisplayName("a 200 with success:false is an error classified by its code")
        void successFalse() {
            script.thenJson(200, "{\"success\":false,\"error\":\"no_such_instance\",\"msg\":\"Instance 5 not found\"}");

            VastApiException e = catchThrowableOfType(VastApiException.class, () -> client.stopInstance(5));

            assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND);
            assertThat(e.errorCode()).isEqualTo("no_such_instance");
        }

        @Test
        @DisplayName("404 on an instance: NOT_FOUND")
        void notFound() {
            script.thenJson(404, "{\"success\":false,\"error\":\"no_such_instance\",\"msg\":\"nope\"}");

            assertThat(catchThrowableOfType(VastApiException.class, () -> client.reboot(5)).kind())
                    .isEqualTo(Kind.NOT_FOUND);
        }

        @Test
        @DisplayName("401: UNAUTHORIZED, not retryable")
        void unauthorized() {
            script.thenJson(401, "{\"success\":false,\"error\":\"auth_error\",\"msg\":\"Invalid user key\"}");

            VastApiException e = catchThrowableOfType(VastApiException.class, () -> client.listInstances());

            assertThat(e.kind()).isEqualTo(Kind.UNAUTHORIZED);
            assertThat(e.retryable()).isFalse();
        }

        @Test
        @DisplayName("an HTML 502 page is UNAVAILABLE, its text shortened to one line")
        void html() {
            script.then(new MockResponse().setResponseCode(502).setBody("<html>\n<body>\n" + "x".repeat(2000) + "</body></html>"));

            VastApiException e = catchThrowableOfType(VastApiException.class, () -> client.listInstances());

            assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
            assertThat(e.getMessage()).doesNotContain("\n").hasSizeLessThan(500);
        }

        @Test
        @DisplayName("the API key is never in an error message, even when the server echoes it")
        void keyRedacted() {
            script.thenJson(400, "{\"msg\":\"bad key " + KEY + "\"}");

            VastApiException e = catchThrowableOfType(VastApiException.class, () -> client.listInstances());

            assertThat(e.getMessage()).doesNotContain(KEY).contains("***");
        }

        @Test
        @DisplayName("toString does not show the key")
        void toStringHidesKey() {
            assertThat(client.toString()).doesNotContain(KEY).contains(server.url("/").toString());
        }
    }
}
