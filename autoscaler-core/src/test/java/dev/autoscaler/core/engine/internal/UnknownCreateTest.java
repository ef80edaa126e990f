package dev.autoscaler.core.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoscaler.ProviderException;
import dev.autoscaler.ShutdownAction;
import dev.autoscaler.ShutdownSummary;
import dev.autoscaler.Sleeper;
import dev.autoscaler.WorkerState;
import dev.autoscaler.spi.CreateInstanceRequest;
import dev.autoscaler.spi.Instance;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A create whose outcome is unknown (its answer was lost and the provider could not find out:
 * {@link ProviderException.Kind#TIMEOUT}) keeps its worker CREATING, counted against
 * {@code max_workers}, until a provider list taken after the failure settles it; the engine asks
 * for that list one second later. Found by the chaos test on the fake Vast API: the worker used to
 * be dropped at once, the next tick rented a replacement, and the lost instance, adopted by the
 * next list, made one more than the cap.
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

    private static EngineHarness oneWorker(LosingProvider provider) {
        EngineHarness h = new EngineHarness(EngineHarness.endpoint().maxWorkers(1).build(), provider);
        h.target(1, 0);
        return h;
    }

    /** A control tick long after the failure (past the create backoff), before any list has run. */
    private static void tickBeforeAnyList(EngineHarness h) {
        h.clock.advance(Duration.ofMinutes(1)); // the clock alone: no scheduled task runs
        h.engine.tick();
    }

    @Test
    @DisplayName("an instance made by a create whose answer was lost: no replacement before a list, then bound; never past max_workers")
    void lostAnswerNeverPastTheCap() {
        LosingProvider provider = new LosingProvider();
        provider.loseAnswers = 1;
        EngineHarness h = oneWorker(provider);

        h.tick();
        tickBeforeAnyList(h);

        assertThat(h.workers()).singleElement().satisfies(w -> {
            assertThat(w.state()).isEqualTo(WorkerState.CREATING);
            assertThat(w.instanceId()).isEmpty();
        });
        assertThat(provider.count("create")).as("no replacement while the outcome is unknown").isEqualTo(1);

        h.tick(); // the list the engine asked for runs: the instance is found by its label

        assertThat(h.workers()).singleElement().satisfies(w -> {
            assertThat(w.state()).isEqualTo(WorkerState.LOADING);
            assertThat(w.instanceId()).isEqualTo(provider.instances.keySet().iterator().next());
        });
        assertThat(provider.count("create")).isEqualTo(1);
        assertThat(provider.maxAlive).isEqualTo(1);
    }

    @Test
    @DisplayName("a create that timed out and made nothing: dropped by the next list, then replaced")
    void madeNothingIsReplacedAfterAList() {
        LosingProvider provider = new LosingProvider();
        provider.loseAnswers = 1;
        provider.makeIt = false;
        EngineHarness h = oneWorker(provider);

        h.tick();
        tickBeforeAnyList(h);
        assertThat(provider.instances).isEmpty();
        assertThat(h.count(WorkerState.CREATING)).isEqualTo(1);
        assertThat(provider.count("create")).isEqualTo(1);

        h.tick(); // the list shows no instance with its label: dropped, and this tick replaces it

        assertThat(provider.instances).hasSize(1);
        assertThat(provider.count("create")).isEqualTo(2);
        assertThat(h.workers()).singleElement().satisfies(w -> assertThat(w.state()).isEqualTo(WorkerState.LOADING));
    }

    @Test
    @DisplayName("the engine lists one second after the failure, not at the next periodic sync")
    void listsSoon() {
        LosingProvider provider = new LosingProvider();
        provider.loseAnswers = 1;
        EngineHarness h = oneWorker(provider);
        h.tick();
        long lists = provider.count("list");

        h.scheduler.advance(Duration.ofSeconds(1));

        assertThat(provider.count("list")).isEqualTo(lists + 1);
        assertThat(h.workers()).singleElement().satisfies(w -> assertThat(w.state()).isEqualTo(WorkerState.LOADING));
    }

    @Test
    @DisplayName("shutdown destroy with creates of unknown outcome: it lists, binds or drops them, and destroys what exists")
    void shutdownSettlesUnknownCreates() {
        for (boolean made : new boolean[] {true, false}) {
            LosingProvider provider = new LosingProvider();
            provider.loseAnswers = 1;
            provider.makeIt = made;
            EngineHarness h = oneWorker(provider);
            h.tick();
            assertThat(h.count(WorkerState.CREATING)).isEqualTo(1);

            ShutdownSummary s = h.engine.shutdown(ShutdownAction.DESTROY, Duration.ofSeconds(60), Sleeper.advancing(h.clock));

            assertThat(provider.instances).as("made: " + made).isEmpty();
            assertThat(s.timedOut()).isFalse();
            assertThat(h.workers()).isEmpty();
        }
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
