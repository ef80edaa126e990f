package dev.autoscaler.core.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoscaler.ProviderException;
import dev.autoscaler.ShutdownAction;
import dev.autoscaler.ShutdownSummary;
import dev.autoscaler.Sleeper;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import dev.autoscaler.spi.CreateInstanceRequest;
import dev.autoscaler.spi.Instance;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A create whose outcome is unknown (its answer was lost and the provider could not find out:
 * {@link ProviderException.Kind#TIMEOUT}) keeps its worker CREATING, counted against
 * {@code max_workers}, until a provider list taken after the failure settles it. Found by the chaos
 * test on the fake Vast API: the worker used to be dropped at once, the next tick rented a
 * replacement, and the lost instance, adopted by the next list, made one more than the cap.
 */
class UnknownCreateTest {

    /** A provider whose next create(s) fail with TIMEOUT, having made the instance or not. */
    private static final class LosingProvider extends FakeInstanceProvider {
        int loseAnswers;
        boolean makeIt = true;

        @Override
        public Instance create(CreateInstanceRequest request) {
            if (loseAnswers > 0) {
                loseAnswers--;
                if (makeIt) {
                    super.create(request);
                } else {
                    calls.add("create " + request.group().name());
                }
                throw new ProviderException(ProviderException.Kind.TIMEOUT, "answer lost; the label lookup failed too");
            }
            return super.create(request);
        }
    }

    private static EngineHarness harness(LosingProvider provider, int maxWorkers) {
        // a long sync interval: only the test's own syncs list the provider
        return new EngineHarness(EngineHarness.endpoint().maxWorkers(maxWorkers).build(), provider);
    }

    @Test
    @DisplayName("an instance made by a create whose answer was lost: no replacement before a list, then bound; never past max_workers")
    void lostAnswerNeverPastTheCap() {
        LosingProvider provider = new LosingProvider();
        provider.loseAnswers = 1;
        EngineHarness h = harness(provider, 2);
        h.target(2, 0);

        h.tick();
        h.tick();
        h.tick();

        assertThat(provider.instances).hasSize(2);
        assertThat(h.workers()).hasSize(2);
        assertThat(h.count(WorkerState.CREATING)).as("the unknown one waits for a list").isEqualTo(1);
        assertThat(provider.count("create")).as("no replacement for it").isEqualTo(2);

        h.engine.syncWithProviders();
        h.tick();

        assertThat(h.workers()).extracting(WorkerRecord::instanceId)
                .containsExactlyInAnyOrderElementsOf(provider.instances.keySet());
        assertThat(h.count(WorkerState.CREATING)).isZero();
        assertThat(provider.maxAlive).isEqualTo(2);
    }

    @Test
    @DisplayName("a create that timed out and made nothing: dropped after the next list, then replaced")
    void madeNothingIsReplacedAfterAList() {
        LosingProvider provider = new LosingProvider();
        provider.loseAnswers = 1;
        provider.makeIt = false;
        EngineHarness h = harness(provider, 1);
        h.target(1, 0);

        h.tick();
        h.tick();
        assertThat(provider.instances).isEmpty();
        assertThat(h.count(WorkerState.CREATING)).isEqualTo(1);

        h.engine.syncWithProviders();
        assertThat(h.workers()).as("the list shows no instance with its label").isEmpty();

        h.clock.advance(Duration.ofMinutes(5)); // past the create backoff
        h.tick();
        assertThat(provider.instances).hasSize(1);
        assertThat(h.workers()).singleElement().satisfies(w -> assertThat(w.state()).isEqualTo(WorkerState.LOADING));
    }

    @Test
    @DisplayName("shutdown destroy with a create of unknown outcome: it lists, binds the instance and destroys it")
    void shutdownSettlesUnknownCreates() {
        LosingProvider provider = new LosingProvider();
        provider.loseAnswers = 1;
        EngineHarness h = harness(provider, 2);
        h.target(2, 0);
        h.tick();
        h.tick();
        h.tick();
        assertThat(provider.instances).hasSize(2);
        assertThat(h.count(WorkerState.CREATING)).isEqualTo(1);

        ShutdownSummary s = h.engine.shutdown(ShutdownAction.DESTROY, Duration.ofSeconds(60), Sleeper.advancing(h.clock));

        assertThat(provider.instances).isEmpty();
        assertThat(s.timedOut()).isFalse();
        assertThat(h.workers()).isEmpty();
    }

    @Test
    @DisplayName("shutdown destroy lists at the end and destroys an instance of ours it had lost track of")
    void shutdownFindsWhatItLostTrackOf() {
        EngineHarness h = new EngineHarness(EngineHarness.endpoint().build());
        h.target(1, 0);
        h.tick();
        // made by this engine, its record lost (a create answer lost on a path that dropped the worker)
        h.provider.addExternal(h.workers().get(0).label().replaceAll(":[^:]+$", ":0123456789abcdef-r00000000"),
                dev.autoscaler.spi.InstanceStatus.RUNNING);
        assertThat(h.provider.instances).hasSize(2);

        h.engine.shutdown(ShutdownAction.DESTROY, Duration.ofSeconds(60), Sleeper.advancing(h.clock));

        assertThat(h.provider.instances).isEmpty();
    }
}
