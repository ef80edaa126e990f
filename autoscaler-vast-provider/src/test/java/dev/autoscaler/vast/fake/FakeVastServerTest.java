package dev.autoscaler.vast.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autoscaler.ManualClock;
import dev.autoscaler.vast.fake.FakeVastServer.Api;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The fake over raw HTTP: answer shapes, lifecycle, rate limits and faults. */
class FakeVastServerTest {
    private static final MediaType JSON = MediaType.get("application/json");
    private final ObjectMapper json = new ObjectMapper();
    private final ManualClock clock = new ManualClock();
    private final OkHttpClient http = new OkHttpClient.Builder().retryOnConnectionFailure(false)
            .readTimeout(300, TimeUnit.MILLISECONDS).build();
    private FakeVastServer fake;

    @BeforeEach
    void start() {
        fake = FakeVastServer.builder(clock).bootDelay(Duration.ofSeconds(60)).start();
    }

    @AfterEach
    void stop() {
        fake.close();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    private record Reply(int code, String body, String retryAfter) {
        JsonNode json() throws IOException {
            return new ObjectMapper().readTree(body);
        }
    }

    private Reply call(String method, String path, String body) throws IOException {
        return call(method, HttpUrl.get(fake.baseUrl() + path), body, "Bearer " + fake.apiKey());
    }

    private Reply call(String method, HttpUrl url, String body, String auth) throws IOException {
        Request.Builder request = new Request.Builder().url(url).header("Authorization", auth);
        request.method(method, body == null ? null : RequestBody.create(body, JSON));
        try (Response response = http.newCall(request.build()).execute()) {
            return new Reply(response.code(), response.body().string(), response.header("Retry-After"));
        }
    }

    private long create(long offerId, String label) throws IOException {
        Reply reply = call("PUT", "/api/v0/asks/" + offerId + "/",
                "{\"client_id\":\"me\",\"image\":\"img\",\"disk\":20,\"label\":\"" + label + "\","
                        + "\"env\":{\"-p 3000:3000\":\"1\",\"WORKER_PORT\":\"3000\"},\"runtype\":\"args\"}");
        assertThat(reply.code()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(5));
        return reply.json().get("new_contract").asLong();
    }

    private JsonNode listed(long id) throws IOException {
        clock.advance(Duration.ofSeconds(1));
        for (JsonNode instance : call("GET", "/api/v0/instances/?owner=me", null).json().get("instances")) {
            if (instance.get("id").asLong() == id) {
                return instance;
            }
        }
        return null;
    }

    private long firstOffer() {
        return fake.offerIds().get(0);
    }

    @Nested
    @DisplayName("offers")
    class Offers {
        @Test
        @DisplayName("search filters, orders and limits")
        void search() throws Exception {
            Reply reply = call("POST", "/api/v0/bundles/", "{\"gpu_ram\":{\"gte\":24000},\"rentable\":{\"eq\":true},"
                    + "\"gpu_name\":{\"in\":[\"RTX 4090\",\"RTX 3090\"]},\"order\":[[\"dph_total\",\"asc\"]],\"limit\":3}");

            JsonNode offers = reply.json().get("offers");
            assertThat(offers).hasSize(3);
            assertThat(offers.get(0).get("gpu_name").asText()).isEqualTo("RTX 3090");
            assertThat(offers.get(0).get("dph_total").asDouble()).isLessThanOrEqualTo(offers.get(1).get("dph_total").asDouble());
        }

        @Test
        @DisplayName("numbers sent as strings compare as numbers, as the CLI sends them")
        void stringNumbers() throws Exception {
            JsonNode offers = call("POST", "/api/v0/bundles/", "{\"num_gpus\":{\"eq\":\"1\"},\"gpu_ram\":{\"gte\":\"80000\"}}")
                    .json().get("offers");

            assertThat(offers).isNotEmpty().allSatisfy(o -> assertThat(o.get("gpu_name").asText()).isEqualTo("A100 SXM4"));
        }

        @Test
        @DisplayName("a rented offer leaves the market and comes back when the instance is destroyed")
        void rentedOffer() throws Exception {
            long offer = firstOffer();
            long id = create(offer, "x");
            assertThat(fake.isRentable(offer)).isFalse();

            assertThat(call("DELETE", "/api/v0/instances/" + id + "/", "{}").code()).isEqualTo(200);

            assertThat(fake.isRentable(offer)).isTrue();
        }
    }

    @Nested
    @DisplayName("create")
    class Create {
        @Test
        @DisplayName("an unknown offer is 404 no_such_ask")
        void unknownOffer() throws Exception {
            Reply reply = call("PUT", "/api/v0/asks/1/", "{\"image\":\"img\"}");

            assertThat(reply.code()).isEqualTo(404);
            assertThat(reply.json().get("error").asText()).isEqualTo("no_such_ask");
        }

        @Test
        @DisplayName("a taken offer is 410")
        void takenOffer() throws Exception {
            fake.withdrawOffer(firstOffer());

            assertThat(call("PUT", "/api/v0/asks/" + firstOffer() + "/", "{\"image\":\"img\"}").code()).isEqualTo(410);
        }

        @Test
        @DisplayName("no image and no template is 400 invalid_args")
        void invalid() throws Exception {
            Reply reply = call("PUT", "/api/v0/asks/" + firstOffer() + "/", "{\"disk\":10}");

            assertThat(reply.code()).isEqualTo(400);
            assertThat(reply.json().get("error").asText()).isEqualTo("invalid_args");
        }

        @Test
        @DisplayName("a dropped answer: the connection closes, yet the instance exists")
        void droppedAnswer() {
            fake.dropNextCreateAnswers(1);

            assertThatThrownBy(() -> call("PUT", "/api/v0/asks/" + firstOffer() + "/", "{\"image\":\"img\",\"label\":\"l\"}"))
                    .isInstanceOf(IOException.class);
            assertThat(fake.instances()).extracting(FakeInstance::label).containsExactly("l");
        }
    }

    @Nested
    @DisplayName("lifecycle on the clock")
    class Lifecycle {
        @Test
        @DisplayName("null, then loading, then running with ports after the boot delay")
        void boot() throws Exception {
            long id = create(firstOffer(), "boot");

            JsonNode fresh = listed(id);
            assertThat(fresh.get("actual_status").asText()).isEqualTo("loading");
            assertThat(fresh.has("ports")).isFalse();

            clock.advance(Duration.ofSeconds(60));
            JsonNode running = listed(id);
            assertThat(running.get("actual_status").asText()).isEqualTo("running");
            assertThat(running.get("ports").get("3000/tcp").get(0).get("HostPort").asText()).matches("\\d+");
            assertThat(running.get("label").asText()).isEqualTo("boot");
        }

        @Test
        @DisplayName("actual_status is null right after create")
        void provisioning() throws Exception {
            Reply reply = call("PUT", "/api/v0/asks/" + firstOffer() + "/", "{\"image\":\"img\"}");
            long id = reply.json().get("new_contract").asLong();

            JsonNode instance = call("GET", "/api/v0/instances/?owner=me", null).json().get("instances").get(0);

            assertThat(instance.get("id").asLong()).isEqualTo(id);
            assertThat(instance.get("actual_status").isNull()).isTrue();
        }

        @Test
        @DisplayName("stop, then start: stopped without ports, then running again with the same port")
        void stopStart() throws Exception {
            long id = create(firstOffer(), "s");
            clock.advance(Duration.ofMinutes(2));
            String port = listed(id).get("ports").get("3000/tcp").get(0).get("HostPort").asText();

            call("PUT", "/api/v0/instances/" + id + "/", "{\"state\":\"stopped\"}");
            clock.advance(Duration.ofSeconds(10));
            JsonNode stopped = listed(id);
            assertThat(stopped.get("actual_status").asText()).isEqualTo("stopped");
            assertThat(stopped.get("intended_status").asText()).isEqualTo("stopped");
            assertThat(stopped.has("ports")).isFalse();

            call("PUT", "/api/v0/instances/" + id + "/", "{\"state\":\"running\"}");
            clock.advance(Duration.ofMinutes(1));
            assertThat(listed(id).get("ports").get("3000/tcp").get(0).get("HostPort").asText()).isEqualTo(port);
        }

        @Test
        @DisplayName("reboot passes through rebooting back to running")
        void reboot() throws Exception {
            long id = create(firstOffer(), "r");
            clock.advance(Duration.ofMinutes(2));

            call("PUT", "/api/v0/instances/reboot/" + id + "/", "{}");

            assertThat(listed(id).get("actual_status").asText()).isEqualTo("rebooting");
            clock.advance(Duration.ofMinutes(1));
            assertThat(listed(id).get("actual_status").asText()).isEqualTo("running");
        }

        @Test
        @DisplayName("faults: stuck loading, exited after boot, exited on demand")
        void faults() throws Exception {
            fake.stickNextInstancesInLoading(1);
            long stuck = create(firstOffer(), "stuck");
            fake.exitNextInstancesAfterBoot(1);
            long dies = create(fake.offerIds().get(1), "dies");
            long later = create(fake.offerIds().get(2), "later");

            clock.advance(Duration.ofMinutes(10));
            fake.exitInstance(later);

            assertThat(listed(stuck).get("actual_status").asText()).isEqualTo("loading");
            assertThat(listed(dies).get("actual_status").asText()).isEqualTo("exited");
            assertThat(listed(later).get("actual_status").asText()).isEqualTo("exited");
        }

        @Test
        @DisplayName("unknown instances are 404 no_such_instance on every manage path")
        void unknown() throws Exception {
            assertThat(call("PUT", "/api/v0/instances/1/", "{\"state\":\"running\"}").code()).isEqualTo(404);
            clock.advance(Duration.ofSeconds(1));
            assertThat(call("PUT", "/api/v0/instances/reboot/1/", "{}").json().get("error").asText())
                    .isEqualTo("no_such_instance");
            assertThat(call("DELETE", "/api/v0/instances/1/", "{}").code()).isEqualTo(404);
        }
    }

    @Nested
    @DisplayName("v1 list")
    class V1List {
        @Test
        @DisplayName("pages of at most 25 chained by next_token, select_filters applied")
        void pages() throws Exception {
            for (int i = 0; i < 30; i++) {
                fake.addForeignInstance(i < 27 ? "mine" : "theirs", "RTX 3090");
            }
            HttpUrl first = HttpUrl.get(fake.baseUrl() + "/api/v1/instances/").newBuilder()
                    .addQueryParameter("select_filters", "{\"label\":{\"eq\":\"mine\"}}")
                    .addQueryParameter("limit", "25").build();

            JsonNode page1 = call("GET", first, null, "Bearer " + fake.apiKey()).json();
            clock.advance(Duration.ofSeconds(1));
            JsonNode page2 = call("GET", first.newBuilder().addQueryParameter("after_token",
                    page1.get("next_token").asText()).build(), null, "Bearer " + fake.apiKey()).json();

            assertThat(page1.get("instances")).hasSize(25);
            assertThat(page2.get("instances")).hasSize(2);
            assertThat(page2.get("next_token").isNull()).isTrue();
        }

        @Test
        @DisplayName("disabled: 404")
        void disabled() throws Exception {
            fake.disableV1List();

            assertThat(call("GET", "/api/v1/instances/", null).code()).isEqualTo(404);
        }
    }

    @Nested
    @DisplayName("rate limits")
    class RateLimits {
        @Test
        @DisplayName("a second call on a path within its interval is 429 with no Retry-After")
        void tooClose() throws Exception {
            assertThat(call("GET", "/api/v0/instances/", null).code()).isEqualTo(200);

            Reply second = call("GET", "/api/v0/instances/", null);

            assertThat(second.code()).isEqualTo(429);
            assertThat(second.retryAfter()).isNull();
            assertThat(fake.rateLimitedCalls()).isEqualTo(1);
        }

        @Test
        @DisplayName("after the interval the path answers again; other paths were never limited")
        void afterInterval() throws Exception {
            call("GET", "/api/v0/instances/", null);
            assertThat(call("POST", "/api/v0/bundles/", "{}").code()).isEqualTo(200);

            clock.advance(Duration.ofSeconds(1));

            assertThat(call("GET", "/api/v0/instances/", null).code()).isEqualTo(200);
        }

        @Test
        @DisplayName("creates need 4.5 s")
        void creates() throws Exception {
            call("PUT", "/api/v0/asks/" + firstOffer() + "/", "{\"image\":\"i\"}");
            clock.advance(Duration.ofSeconds(4));
            assertThat(call("PUT", "/api/v0/asks/" + fake.offerIds().get(1) + "/", "{\"image\":\"i\"}").code()).isEqualTo(429);
            clock.advance(Duration.ofMillis(500));
            assertThat(call("PUT", "/api/v0/asks/" + fake.offerIds().get(1) + "/", "{\"image\":\"i\"}").code()).isEqualTo(200);
        }
    }

    @Nested
    @DisplayName("faults")
    class Faults {
        @Test
        @DisplayName("a wrong key is 401")
        void auth() throws Exception {
            Reply reply = call("GET", HttpUrl.get(fake.baseUrl() + "/api/v0/instances/"), null, "Bearer nope");

            assertThat(reply.code()).isEqualTo(401);
        }

        @Test
        @DisplayName("failFor answers the status until the clock moves past it")
        void failFor() throws Exception {
            fake.failFor(Duration.ofSeconds(30), 500);

            assertThat(call("POST", "/api/v0/bundles/", "{}").code()).isEqualTo(500);
            clock.advance(Duration.ofSeconds(30));
            assertThat(call("POST", "/api/v0/bundles/", "{}").code()).isEqualTo(200);
        }

        @Test
        @DisplayName("failNext targets the given paths and counts down")
        void failNext() throws Exception {
            fake.failNext(1, 503, Api.LIST_LEGACY);

            assertThat(call("POST", "/api/v0/bundles/", "{}").code()).isEqualTo(200);
            assertThat(call("GET", "/api/v0/instances/", null).code()).isEqualTo(503);
            clock.advance(Duration.ofSeconds(1));
            assertThat(call("GET", "/api/v0/instances/", null).code()).isEqualTo(200);
        }

        @Test
        @DisplayName("a hung call gets no answer: the client times out")
        void hang() {
            fake.hangNext(1, Api.SEARCH);

            assertThatThrownBy(() -> call("POST", "/api/v0/bundles/", "{}")).isInstanceOf(IOException.class);
            assertThat(fake.calls()).extracting(FakeVastServer.RecordedCall::status).containsExactly(0);
        }

        @Test
        @DisplayName("random faults: seeded, about the fraction asked, the three kinds; timeouts and lost answers take effect")
        void randomFaults() throws Exception {
            fake.enforceRateLimits(false);
            fake.randomFaults(7, 0.3, Duration.ofSeconds(30));
            long offer = fake.offerIds().get(0);
            int errors = 0;
            int timeouts = 0;
            int lost = 0;
            for (int i = 0; i < 200; i++) {
                long before = clock.nanoTime();
                try {
                    int code = call("PUT", "/api/v0/asks/" + offer + "/", "{\"image\":\"img\",\"label\":\"x:" + i + "\"}").code();
                    if (code == 500) {
                        errors++;
                    } else if (code == 504) {
                        timeouts++;
                        assertThat(clock.nanoTime() - before).as("the client's wait passed").isEqualTo(30_000_000_000L);
                    }
                } catch (IOException dropped) {
                    lost++;
                }
                // whatever the answer, destroy (faults off) what was made, so that the offer is free again
                fake.randomFaults(0, 0, Duration.ZERO);
                for (FakeInstance made : fake.instances()) {
                    call("DELETE", "/api/v0/instances/" + made.id() + "/", "{}");
                }
                fake.randomFaults(1000 + i, 0.3, Duration.ofSeconds(30));
            }
            assertThat(errors + timeouts + lost).isBetween(30, 90);
            assertThat(errors).isPositive();
            assertThat(timeouts).isPositive();
            assertThat(lost).isPositive();
            // a create is made unless it failed with 500: one +1 and one -1 per instance
            assertThat(fake.peakInstances(l -> l.startsWith("x:"))).isEqualTo(1);
            assertThat(fake.calls().stream().filter(c -> c.api() == Api.CREATE).count()).isEqualTo(200);
            assertThat(fake.calls().stream().filter(c -> c.api() == Api.DESTROY).count()).isEqualTo(200 - errors);
        }

        @Test
        @DisplayName("peakInstances counts the most instances alive at one instant, per label")
        void peak() throws Exception {
            fake.enforceRateLimits(false);
            List<Long> offers = fake.offerIds();
            long a = create(offers.get(0), "p:a");
            create(offers.get(1), "p:b");
            call("DELETE", "/api/v0/instances/" + a + "/", "{}");
            create(offers.get(2), "q:c");
            create(offers.get(3), "p:d");

            assertThat(fake.peakInstances(l -> l.startsWith("p:"))).isEqualTo(2);
            assertThat(fake.peakInstances(l -> true)).isEqualTo(3);
        }

        @Test
        @DisplayName("every call is recorded with its path, body and status")
        void recorded() throws Exception {
            call("POST", "/api/v0/bundles/", "{\"limit\":1}");

            List<FakeVastServer.RecordedCall> calls = fake.calls();
            assertThat(calls).singleElement().satisfies(c -> {
                assertThat(c.api()).isEqualTo(Api.SEARCH);
                assertThat(c.body()).isEqualTo("{\"limit\":1}");
                assertThat(c.status()).isEqualTo(200);
            });
        }
    }
}
