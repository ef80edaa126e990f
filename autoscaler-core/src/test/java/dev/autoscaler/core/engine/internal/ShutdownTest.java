package dev.autoscaler.core.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoscaler.ProviderException;
import dev.autoscaler.ShutdownAction;
import dev.autoscaler.ShutdownSummary;
import dev.autoscaler.Sleeper;
import dev.autoscaler.spi.InstanceStatus;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What an engine's shutdown does with its instances: keep (default), stop or destroy, bounded, with a summary. */
class ShutdownTest {

    private static EngineHarness fleetOf3() {
        EngineHarness h = new EngineHarness(EngineHarness.endpoint().build());
        h.target(2, 1);
        h.tick();
        h.allReady(1000);
        h.tick(); // the pool worker is stopped
        assertThat(h.provider.instances).hasSize(3);
        return h;
    }

    @Test
    @DisplayName("keep: nothing is touched, and the summary says what is left running and stopped")
    void keep() {
        EngineHarness h = fleetOf3();
        long calls = h.provider.calls.size();
        ShutdownSummary s = h.engine.shutdown(ShutdownAction.KEEP, Duration.ofSeconds(60), Sleeper.advancing(h.clock));

        assertThat(h.provider.calls).hasSize((int) calls);
        assertThat(s.leftRunning()).hasSize(2);
        assertThat(s.leftStopped()).hasSize(1);
        assertThat(s.describe()).contains("keep").contains("left running: 2");
        h.scheduler.advance(Duration.ofMinutes(5));
        assertThat(h.provider.calls).as("no tick or sync after the shutdown").hasSize((int) calls);
    }

    @Test
    @DisplayName("destroy: every instance destroyed, a failed destroy retried within the bound")
    void destroy() {
        EngineHarness h = fleetOf3();
        h.provider.failNext(FakeInstanceProvider.Call.DESTROY, new ProviderException(ProviderException.Kind.UNAVAILABLE, "500"));
        ShutdownSummary s = h.engine.shutdown(ShutdownAction.DESTROY, Duration.ofSeconds(60), Sleeper.advancing(h.clock));

        assertThat(h.provider.instances).isEmpty();
        assertThat(s.destroyed()).isEqualTo(3);
        assertThat(s.leftRunning()).isEmpty();
        assertThat(s.timedOut()).isFalse();
    }

    @Test
    @DisplayName("stop: every running instance stopped, none destroyed")
    void stop() {
        EngineHarness h = fleetOf3();
        ShutdownSummary s = h.engine.shutdown(ShutdownAction.STOP, Duration.ofSeconds(60), Sleeper.advancing(h.clock));

        assertThat(h.provider.instances.values()).allSatisfy(i -> assertThat(i.status()).isEqualTo(InstanceStatus.STOPPED));
        assertThat(h.provider.count("destroy")).isZero();
        assertThat(s.stopped()).isEqualTo(2);
        assertThat(s.leftStopped()).hasSize(3);
    }

    @Test
    @DisplayName("a provider that keeps failing: the shutdown ends at its time bound and says what it left")
    void bounded() {
        EngineHarness h = fleetOf3();
        for (int i = 0; i < 10_000; i++) {
            h.provider.failNext(FakeInstanceProvider.Call.DESTROY, new ProviderException(ProviderException.Kind.UNAVAILABLE, "500"));
        }
        long start = h.clock.nanoTime();
        ShutdownSummary s = h.engine.shutdown(ShutdownAction.DESTROY, Duration.ofSeconds(10), Sleeper.advancing(h.clock));

        assertThat(s.timedOut()).isTrue();
        assertThat(h.clock.nanoTime() - start).isLessThanOrEqualTo(Duration.ofSeconds(10).toNanos());
        assertThat(s.leftRunning().size() + s.leftStopped().size()).isEqualTo(3);
    }
}
