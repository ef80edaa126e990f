package dev.autoscaler.vast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.autoscaler.ManualClock;
import dev.autoscaler.vast.fake.FakeVastServer;
import dev.autoscaler.vast.fake.FakeVastServer.Api;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The client against the fake's strict rate limiter: a server stricter than the client's own
 * spacing answers 429 with Retry-After and its threshold, and refuses (and counts) any call that
 * comes sooner than it asked. On a manual clock moved by the client's own waits.
 */
class VastRateLimitOnFakeTest {
    private static final long SECOND = 1_000_000_000L;

    private final ManualClock clock = new ManualClock();
    private FakeVastServer fake;
    private VastApiClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (fake != null) {
            fake.close();
        }
    }

    private void start(Duration serverInterval, Duration retryAfter, double jitter) {
        fake = FakeVastServer.builder(clock).rateLimit(Api.LIST_V1, serverInterval)
                .rateLimit(Api.MANAGE, serverInterval).start();
        fake.strictRateLimits(retryAfter);
        client = VastApiClient.builder().apiKey(fake.apiKey()).baseUrl(fake.baseUrl()).clock(clock)
                .sleeper(new RecordingSleeper(clock)).random(() -> jitter).maxRetries(6)
                .backoff(Duration.ofMillis(500), Duration.ofSeconds(8)).timeout(Duration.ofSeconds(2)).build();
    }

    @Test
    @DisplayName("no call sooner than the server asked, every call succeeds, and the spacing follows the threshold")
    void neverSoonerThanAsked() {
        start(Duration.ofSeconds(3), Duration.ofSeconds(2), 0.7);

        for (int i = 0; i < 12; i++) {
            client.listInstances();
        }

        assertThat(fake.callsSoonerThanAsked()).isZero();
        assertThat(fake.rateLimitedCalls()).as("the first 429 teaches the client the threshold").isEqualTo(1);
        assertThat(fake.calls().stream().filter(c -> c.status() == 200).count()).isEqualTo(12);
    }

    @Test
    @DisplayName("with jitter 0 too, for every path in turn, the 429s never bring a call before Retry-After")
    void zeroJitterStillWaitsWhatWasAsked() {
        start(Duration.ofSeconds(5), Duration.ofSeconds(4), 0.0);

        for (int i = 0; i < 6; i++) {
            client.listInstances();
            long id = 1_000_000 + i;
            // admitted, then 404 no_such_instance: it counts as a call on the manage path
            assertThat(catchThrowableOfType(VastApiException.class, () -> client.stopInstance(id)).httpStatus())
                    .isEqualTo(404);
        }

        assertThat(fake.callsSoonerThanAsked()).isZero();
        List<FakeVastServer.RecordedCall> lists = fake.calls().stream().filter(c -> c.api() == Api.LIST_V1 && c.status() == 200).toList();
        assertThat(lists).hasSize(6);
    }

    @Test
    @DisplayName("the spacing grows after a 429 and decays back to the server's threshold after successes")
    void growsThenDecays() {
        start(Duration.ofSeconds(3), Duration.ofSeconds(1), 0.0);
        List<Long> gaps = new ArrayList<>();
        long last = -1;
        for (int i = 0; i < 10; i++) {
            client.listInstances();
            long now = clock.nanoTime();
            if (last >= 0) {
                gaps.add(now - last);
            }
            last = now;
        }

        assertThat(fake.callsSoonerThanAsked()).isZero();
        // right after the 429 the spacing is twice the threshold: 6 s...
        assertThat(gaps.get(0)).isGreaterThanOrEqualTo(3 * SECOND);
        assertThat(gaps.get(1)).isGreaterThan(3 * SECOND);
        // ...and decays after successes, down to the threshold, never below it
        assertThat(gaps.get(gaps.size() - 1)).isEqualTo(3 * SECOND);
        assertThat(gaps).allSatisfy(g -> assertThat(g).isGreaterThanOrEqualTo(3 * SECOND));
        assertThat(fake.calls()).anyMatch(c -> c.api() == Api.LIST_V1 && c.status() == 429);
    }
}
