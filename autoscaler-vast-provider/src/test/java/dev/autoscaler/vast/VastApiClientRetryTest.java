package dev.autoscaler.vast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.autoscaler.ManualClock;
import dev.autoscaler.ProviderException.Kind;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Spacing, retries with backoff, and lost creates, on a manual clock: nothing here really sleeps. */
class VastApiClientRetryTest {
    private static final long SECOND = Duration.ofSeconds(1).toNanos();
    private static final String OK = "{\"success\":true}";
    private static final String EMPTY_LIST = "{\"instances\":[],\"next_token\":null}";

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
        client = client(4, () -> 0.5);
    }

    private VastApiClient client(int maxRetries, java.util.function.DoubleSupplier random) {
        return VastApiClient.builder().apiKey("key").baseUrl(server.url("/").toString())
                .clock(clock).sleeper(sleeper).random(random).maxRetries(maxRetries)
                .backoff(Duration.ofSeconds(1), Duration.ofSeconds(8))
                .timeout(Duration.ofMillis(300)).build();
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        server.shutdown();
    }

    private List<Long> arrivalTimes() {
        return script.arrivals().stream().map(ScriptedDispatcher.Arrival::nanoTime).toList();
    }

    @Nested
    @DisplayName("spacing")
    class Spacing {
        @Test
        @DisplayName("two list calls in a row are 1 s apart")
        void list() {
            script.thenJson(200, EMPTY_LIST).thenJson(200, EMPTY_LIST);

            client.listInstances();
            client.listInstances();

            assertThat(arrivalTimes()).containsExactly(0L, SECOND);
        }

        @Test
        @DisplayName("two creates in a row are 4.5 s apart")
        void create() {
            script.thenJson(200, "{\"success\":true,\"new_contract\":1}").thenJson(200, "{\"success\":true,\"new_contract\":2}");

            client.createInstance(1, VastApiClientTest.createRequest("a"));
            client.createInstance(2, VastApiClientTest.createRequest("b"));

            assertThat(arrivalTimes()).containsExactly(0L, 4_500_000_000L);
        }

        @Test
        @DisplayName("calls on different paths do not wait for each other")
        void independentPaths() {
            script.thenJson(200, EMPTY_LIST).thenJson(200, OK).thenJson(200, OK);

            client.listInstances();
            client.stopInstance(1);
            client.reboot(1);

            assertThat(arrivalTimes()).containsExactly(0L, 0L, 0L);
            assertThat(sleeper.sleeps()).isEmpty();
        }

        @Test
        @DisplayName("a call that comes late enough does not wait at all")
        void noWaitWhenSpaced() {
            script.thenJson(200, OK).thenJson(200, OK);

            client.stopInstance(1);
            clock.advance(Duration.ofSeconds(3));
            client.stopInstance(1);

            assertThat(sleeper.sleeps()).isEmpty();
        }

        @Test
        @DisplayName("the intervals are configurable")
        void configurable() {
            VastApiClient fast = VastApiClient.builder().apiKey("key").baseUrl(server.url("/").toString())
                    .clock(clock).sleeper(sleeper).manageInterval(Duration.ofMillis(250)).build();
            script.thenJson(200, OK).thenJson(200, OK);

            fast.startInstance(1);
            fast.startInstance(1);
            fast.close();

            assertThat(arrivalTimes()).containsExactly(0L, 250_000_000L);
        }
    }

    @Nested
    @DisplayName("retries")
    class Retries {
        @Test
        @DisplayName("429 is retried after the spacing plus a jittered backoff, then succeeds")
        void rateLimited() {
            script.then(new MockResponse().setResponseCode(429).setBody("API requests too frequent"))
                    .then(new MockResponse().setResponseCode(429).setBody("API requests too frequent"))
                    .thenJson(200, EMPTY_LIST);

            client.listInstances();

            // the jitter comes on top of the spacing, never inside it: 1 s + 0.5 x 1 s; then the spacing
            // has doubled to 2 s, and the jitter is 0.5 x 2 s: 1.5 s + 2 s + 1 s
            assertThat(arrivalTimes()).containsExactly(0L, 1_500_000_000L, 4_500_000_000L);
        }

        @Test
        @DisplayName("the backoff grows exponentially past the spacing")
        void exponential() {
            for (int i = 0; i < 4; i++) {
                script.then(new MockResponse().setResponseCode(503));
            }
            script.thenJson(200, OK);
            VastApiClient jitterFree = client(4, () -> 0.999_999);

            jitterFree.stopInstance(1);
            jitterFree.close();

            List<Long> times = arrivalTimes();
            assertThat(times).hasSize(5);
            // ceilings 1, 2, 4, 8 s (capped at 8): gaps just under each
            assertThat(times.get(1) - times.get(0)).isBetween(SECOND - 1_000_000, SECOND);
            assertThat(times.get(2) - times.get(1)).isBetween(2 * SECOND - 1_000_000, 2 * SECOND);
            assertThat(times.get(3) - times.get(2)).isBetween(4 * SECOND - 1_000_000, 4 * SECOND);
            assertThat(times.get(4) - times.get(3)).isBetween(8 * SECOND - 1_000_000, 8 * SECOND);
        }

        @Test
        @DisplayName("retries are bounded: after max_retries the last error is thrown")
        void bounded() {
            for (int i = 0; i < 10; i++) {
                script.then(new MockResponse().setResponseCode(503).setBody("Service Temporarily Unavailable"));
            }
            VastApiClient twoRetries = client(2, () -> 0.5);

            VastApiException e = catchThrowableOfType(VastApiException.class, () -> twoRetries.listInstances());
            twoRetries.close();

            assertThat(script.requests()).hasSize(3);
            assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
            assertThat(e.httpStatus()).isEqualTo(503);
        }

        @Test
        @DisplayName("502 and 504 are retried")
        void gateways() {
            script.then(new MockResponse().setResponseCode(502)).then(new MockResponse().setResponseCode(504))
                    .thenJson(200, OK);

            client.destroy(3);

            assertThat(script.requests()).hasSize(3);
        }

        @Test
        @DisplayName("500 is not retried by the client (the engine decides)")
        void internalError() {
            script.thenJson(500, "{\"msg\":\"Internal server error\"}");

            VastApiException e = catchThrowableOfType(VastApiException.class, () -> client.stopInstance(3));

            assertThat(script.requests()).hasSize(1);
            assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
            assertThat(e.retryable()).isTrue();
        }

        @Test
        @DisplayName("4xx errors are not retried")
        void clientErrors() {
            script.thenJson(400, "{\"message\":\"bad\"}");

            catchThrowableOfType(VastApiException.class, () -> client.stopInstance(3));

            assertThat(script.requests()).hasSize(1);
        }

        @Test
        @DisplayName("a call that gets no answer times out and is retried")
        void timeout() {
            script.then(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE)).thenJson(200, EMPTY_LIST);

            client.listInstances();

            assertThat(script.requests()).hasSize(2);
        }

        @Test
        @DisplayName("when every try times out, the error is TIMEOUT")
        void timeoutKind() {
            script.then(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
            VastApiClient noRetry = client(0, () -> 0.5);

            VastApiException e = catchThrowableOfType(VastApiException.class, () -> noRetry.stopInstance(1));
            noRetry.close();

            assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
            assertThat(e.httpStatus()).isZero();
        }
    }

    @Nested
    @DisplayName("a create whose answer is lost")
    class LostCreate {
        private static final String LABELLED = "{\"instances\":[{\"id\":555,\"label\":\"ep--g--w7\","
                + "\"actual_status\":null,\"intended_status\":\"running\"}],\"next_token\":null}";

        @Test
        @DisplayName("is not repeated when the list shows its label: the instance is adopted")
        void adopted() {
            script.then(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST))
                    .thenJson(200, LABELLED);

            long id = client.createInstance(42, VastApiClientTest.createRequest("ep--g--w7"));

            assertThat(id).isEqualTo(555);
            assertThat(script.requests()).extracting(r -> r.getMethod()).containsExactly("PUT", "GET");
        }

        @Test
        @DisplayName("is repeated only after the list shows no instance with its label")
        void retriedWhenAbsent() {
            script.then(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST))
                    .thenJson(200, EMPTY_LIST)
                    .thenJson(200, "{\"success\":true,\"new_contract\":556}");

            long id = client.createInstance(42, VastApiClientTest.createRequest("ep--g--w7"));

            assertThat(id).isEqualTo(556);
            assertThat(script.requests()).extracting(r -> r.getMethod()).containsExactly("PUT", "GET", "PUT");
            assertThat(arrivalTimes().get(2)).isGreaterThanOrEqualTo(4_500_000_000L);
        }

        @Test
        @DisplayName("a timed-out create is looked up by label too")
        void timeout() {
            script.then(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE)).thenJson(200, LABELLED);

            assertThat(client.createInstance(42, VastApiClientTest.createRequest("ep--g--w7"))).isEqualTo(555);
            assertThat(script.requests()).hasSize(2);
        }

        @Test
        @DisplayName("a 504 on create is looked up by label")
        void gatewayTimeout() {
            script.then(new MockResponse().setResponseCode(504)).thenJson(200, LABELLED);

            assertThat(client.createInstance(42, VastApiClientTest.createRequest("ep--g--w7"))).isEqualTo(555);
        }

        @Test
        @DisplayName("a 500 on create is looked up, and not retried when absent")
        void internalError() {
            script.thenJson(500, "{\"msg\":\"oops\"}").thenJson(200, EMPTY_LIST);

            VastApiException e = catchThrowableOfType(VastApiException.class,
                    () -> client.createInstance(42, VastApiClientTest.createRequest("ep--g--w7")));

            assertThat(script.requests()).extracting(r -> r.getMethod()).containsExactly("PUT", "GET");
            assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
            assertThat(e).hasMessageContaining("no instance labelled ep--g--w7");
        }

        @Test
        @DisplayName("when the lookup fails too, the outcome is reported unknown (TIMEOUT)")
        void lookupFails() {
            VastApiClient noRetry = client(0, () -> 0.5);
            script.then(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST))
                    .thenJson(401, "{\"msg\":\"denied\"}");

            VastApiException e = catchThrowableOfType(VastApiException.class,
                    () -> noRetry.createInstance(42, VastApiClientTest.createRequest("ep--g--w7")));
            noRetry.close();

            assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
            assertThat(e).hasMessageContaining("outcome is unknown");
            assertThat(script.requests()).hasSize(2);
        }

        @Test
        @DisplayName("429 and 503 on create are retried without a lookup (nothing was created)")
        void refusedIsRetried() {
            script.then(new MockResponse().setResponseCode(429).setBody("too frequent"))
                    .then(new MockResponse().setResponseCode(503))
                    .thenJson(200, "{\"success\":true,\"new_contract\":9}");

            assertThat(client.createInstance(42, VastApiClientTest.createRequest("x"))).isEqualTo(9);
            assertThat(script.requests()).extracting(r -> r.getMethod()).containsOnly("PUT");
        }

        @Test
        @DisplayName("an offer that is gone is not retried")
        void offerGone() {
            script.thenJson(410, "{\"msg\":\"gone\"}");

            VastApiException e = catchThrowableOfType(VastApiException.class,
                    () -> client.createInstance(42, VastApiClientTest.createRequest("x")));

            assertThat(e.kind()).isEqualTo(Kind.OFFER_GONE);
            assertThat(script.requests()).hasSize(1);
        }
    }

    @Test
    @DisplayName("the create body's label is what the lookup searches for")
    void labelRoundTrip() {
        VastCreateRequest request = new VastCreateRequest("img", 8, "ep--g--w8", Map.of(), "", List.of(), "", "running", true);
        script.then(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST))
                .thenJson(200, "{\"instances\":[{\"id\":9,\"label\":\"ep--g--w8\"}]}");

        assertThat(client.createInstance(1, request)).isEqualTo(9);
        assertThat(script.requests().get(1).getRequestUrl().queryParameter("select_filters"))
                .isEqualTo("{\"label\":{\"eq\":\"ep--g--w8\"}}");
    }
}
