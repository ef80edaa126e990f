package dev.autoscaler.core.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoscaler.ManualClock;
import dev.autoscaler.ManualScheduler;
import dev.autoscaler.OrphanPolicy;
import dev.autoscaler.ProviderException;
import dev.autoscaler.ScalingDecision;
import dev.autoscaler.core.Autoscaler;
import dev.autoscaler.spi.Instance;
import dev.autoscaler.spi.InstanceStatus;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Instances labelled ours for an endpoint or group that is not configured: shown, then the policy acts. */
class OrphansTest {
    private static final String ORPHAN_LABEL = "autoscaler:removed:main:00000000000000f0";

    @Test
    @DisplayName("default: shown for 10 minutes, then destroyed (a failed destroy is tried again); foreign ones untouched")
    void destroyedAfterGrace() {
        FakeInstanceProvider provider = new FakeInstanceProvider();
        Instance orphan = provider.addExternal(ORPHAN_LABEL, InstanceStatus.RUNNING);
        Instance foreign = provider.addExternal("someone-else:removed:main:00000000000000f1", InstanceStatus.RUNNING);
        EngineHarness h = new EngineHarness(EngineHarness.endpoint().build(), provider);

        assertThat(h.engine.orphans()).singleElement().satisfies(o -> {
            assertThat(o.instanceId()).isEqualTo(orphan.id());
            assertThat(o.policy()).isEqualTo(OrphanPolicy.DESTROY);
            assertThat(o.secondsUntilAction()).isEqualTo(600);
        });
        String dashboard = new String(dev.autoscaler.core.http.internal.DashboardState.json(h.engine),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(dashboard).contains("\"orphans\":[{\"provider\":\"default\",\"instance_id\":\"" + orphan.id() + "\"")
                .contains("\"policy\":\"destroy\"").contains("\"seconds_until_action\":600");
        h.scheduler.advance(Duration.ofMinutes(9));
        assertThat(provider.instances).containsKey(orphan.id());

        provider.failNext(FakeInstanceProvider.Call.DESTROY,
                new ProviderException(ProviderException.Kind.UNAVAILABLE, "HTTP 500"));
        h.scheduler.advance(Duration.ofMinutes(1)); // the sync at 10 min: the destroy fails
        assertThat(provider.instances).containsKey(orphan.id());
        h.scheduler.advance(Duration.ofMinutes(1)); // the next sync tries again
        assertThat(provider.instances).doesNotContainKey(orphan.id()).containsKey(foreign.id());
        h.scheduler.advance(Duration.ofMinutes(1));
        assertThat(h.engine.orphans()).isEmpty();
    }

    @Test
    @DisplayName("an endpoint configured again within the grace period takes its instance over: nothing destroyed")
    void configBackInTime() {
        FakeInstanceProvider provider = new FakeInstanceProvider();
        Instance orphan = provider.addExternal("autoscaler:llm:old:00000000000000f0", InstanceStatus.RUNNING);
        EngineHarness h = new EngineHarness(EngineHarness.endpoint().build(), provider);
        assertThat(h.engine.orphans()).hasSize(1);

        h.engine.updateEndpoint("llm", e -> e.toBuilder()
                .addGroup(dev.autoscaler.WorkerGroupConfig.builder("old").build()).build());
        h.scheduler.advance(Duration.ofMinutes(1));
        assertThat(h.engine.orphans()).isEmpty();
        assertThat(h.workers()).extracting(w -> w.instanceId()).contains(orphan.id());
        h.scheduler.advance(Duration.ofMinutes(15));
        // from now on it is a worker like any other: whatever the reconciler does, the orphan policy does nothing
        assertThat(h.events(dev.autoscaler.AutoscalerEvent.InstanceActionTaken.class))
                .noneMatch(e -> e.reason().startsWith("orphan"));
    }

    @Test
    @DisplayName("orphans: stop stops it after the grace period; keep leaves it running, shown")
    void stopAndKeep() {
        for (OrphanPolicy policy : new OrphanPolicy[] {OrphanPolicy.STOP, OrphanPolicy.KEEP}) {
            FakeInstanceProvider provider = new FakeInstanceProvider();
            Instance orphan = provider.addExternal(ORPHAN_LABEL, InstanceStatus.RUNNING);
            ManualClock clock = new ManualClock();
            ManualScheduler scheduler = new ManualScheduler(clock);
            Autoscaler engine = Autoscaler.builder().clock(clock).scheduler(scheduler).provider(provider)
                    .secret(EngineHarness.SECRET).random((RandomGenerator) new SplittableRandom(1))
                    .policies((n, p) -> s -> ScalingDecision.keep("test"))
                    .orphans(policy, Duration.ofMinutes(2))
                    .endpoint(EngineHarness.endpoint().build()).build();
            engine.start();
            scheduler.advance(Duration.ofMinutes(5));

            if (policy == OrphanPolicy.STOP) {
                assertThat(provider.instances.get(orphan.id()).status()).isEqualTo(InstanceStatus.STOPPED);
                assertThat(provider.count("stop " + orphan.id())).isEqualTo(1);
            } else {
                assertThat(provider.instances.get(orphan.id()).status()).isEqualTo(InstanceStatus.RUNNING);
                assertThat(engine.orphans()).singleElement().satisfies(o -> assertThat(o.secondsUntilAction()).isEqualTo(-1));
            }
            assertThat(provider.count("destroy")).isZero();
            engine.close();
        }
    }
}
