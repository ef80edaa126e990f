package dev.autoscaler.core.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoscaler.ProviderException;
import dev.autoscaler.WorkerState;
import dev.autoscaler.spi.InstanceStatus;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The engine acts only on what it has listed: no tick and no wake-up before the first successful
 * list after start (retried with backoff), no create while the last list is too old.
 */
class ListBeforeActingTest {

    private static ProviderException unavailable() {
        return new ProviderException(ProviderException.Kind.UNAVAILABLE, "HTTP 500: Internal server error");
    }

    /** A provider account holding {@code n} running instances labelled for llm/main by a previous engine. */
    private static FakeInstanceProvider accountWith(int n) {
        FakeInstanceProvider provider = new FakeInstanceProvider();
        for (int i = 0; i < n; i++) {
            provider.addExternal("autoscaler:llm:main:00000000000000" + i + "0", InstanceStatus.RUNNING);
        }
        return provider;
    }

    @Test
    @DisplayName("a restart whose first lists fail creates nothing, ticks nothing, wakes nothing; then adopts the fleet")
    void firstListFails() {
        FakeInstanceProvider provider = accountWith(3);
        for (int i = 0; i < 4; i++) {
            provider.failNext(FakeInstanceProvider.Call.LIST, unavailable());
        }
        EngineHarness h = new EngineHarness(EngineHarness.endpoint().maxWorkers(3).build(), provider);
        h.target(3, 0);

        assertThat(h.engine.hasListedProviders()).isFalse();
        assertThat(h.engine.waitingReason()).get().asString().contains("first successful list").contains("HTTP 500");
        h.engine.tick("llm"); // what the router's wake-up calls
        for (int i = 0; i < 4; i++) {
            h.tick();
            assertThat(provider.count("create")).as("no create before a list").isZero();
            assertThat(h.workers()).isEmpty();
        }
        long listsWhileFailing = provider.count("list");
        assertThat(listsWhileFailing).as("retried, but with backoff: not on every 5 s tick for ever").isBetween(2L, 5L);

        for (int i = 0; i < 30 && !h.engine.hasListedProviders(); i++) {
            h.tick();
        }
        assertThat(h.engine.hasListedProviders()).isTrue();
        assertThat(h.engine.waitingReason()).isEmpty();
        assertThat(h.workers()).hasSize(3).allSatisfy(w -> assertThat(w.state()).isEqualTo(WorkerState.LOADING));
        h.tick();
        assertThat(provider.count("create")).as("the adopted fleet is the target: nothing rented").isZero();
        assertThat(provider.count("destroy")).isZero();
        assertThat(provider.instances).hasSize(3);
    }

    @Test
    @DisplayName("the backoff between failed first lists grows, and is capped")
    void backoffGrows() {
        FakeInstanceProvider provider = new FakeInstanceProvider();
        for (int i = 0; i < 1000; i++) {
            provider.failNext(FakeInstanceProvider.Call.LIST, unavailable());
        }
        EngineHarness h = new EngineHarness(EngineHarness.endpoint().build(), provider);
        h.target(1, 0);
        for (int i = 0; i < 12 * 10; i++) { // ten minutes of ticks
            h.tick();
        }
        long lists = provider.count("list");
        // 1, 2, 4, 8, 16, 32 s then every 60 s at most (at least half of it): about 10 to 25 in ten minutes
        assertThat(lists).isBetween(8L, 25L);
        assertThat(provider.count("create")).isZero();
    }

    @Test
    @DisplayName("no create while the last successful list is older than the bound; creates resume once a list succeeds")
    void staleList() {
        EngineHarness h = new EngineHarness(EngineHarness.endpoint().maxWorkers(10).build());
        h.target(1, 0);
        h.tick();
        assertThat(provider(h).count("create")).isEqualTo(1);

        // every list fails from now on, for longer than the bound (3 x the 60 s sync interval)
        for (int i = 0; i < 200; i++) {
            provider(h).failNext(FakeInstanceProvider.Call.LIST, unavailable());
        }
        h.scheduler.advance(Duration.ofMinutes(4));
        h.target(3, 0);
        h.tick();
        h.tick();
        assertThat(provider(h).count("create")).as("the engine does not know what it would add to").isEqualTo(1);
        assertThat(h.engine.waitingReason()).get().asString().contains("older than 180 s");

        // the provider answers again: the tick's retry lists, and the creates go out
        clearListFailures(provider(h));
        for (int i = 0; i < 20 && provider(h).count("create") < 3; i++) {
            h.tick();
        }
        assertThat(provider(h).count("create")).isEqualTo(3);
    }

    private static FakeInstanceProvider provider(EngineHarness h) {
        return h.provider;
    }

    private static void clearListFailures(FakeInstanceProvider provider) {
        provider.clearFailures(FakeInstanceProvider.Call.LIST);
    }
}
