package dev.autoscaler.core.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autoscaler.AuthenticationException;
import dev.autoscaler.AutoscalerEvent;
import dev.autoscaler.EndpointState;
import dev.autoscaler.LoadReport;
import dev.autoscaler.PluginNotFoundException;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import dev.autoscaler.core.Autoscaler;
import dev.autoscaler.spi.AutoscalerListener;
import dev.autoscaler.spi.InstanceStatus;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The engine's lifecycle: restarts, endpoint states, plugins that throw, authentication")
class EngineLifecycleTest {

    @Test
    @DisplayName("a restarted engine adopts every labelled instance: nothing duplicated, nothing leaked, nothing foreign touched")
    void adoptionAfterRestart() {
        EngineHarness h = new EngineHarness(EngineHarness.endpoint().build());
        h.target(2, 2);
        h.tick();
        h.allReady(1000);
        h.tick();
        assertThat(h.count(WorkerState.READY)).isEqualTo(2);
        assertThat(h.count(WorkerState.STOPPED)).isEqualTo(2);
        var foreign = h.provider.addExternal("someone-else:llm:main:0123456789abcdef", InstanceStatus.RUNNING);
        var unlabelled = h.provider.addExternal("", InstanceStatus.RUNNING);
        var unknownEndpoint = h.provider.addExternal("autoscaler:other:main:0123456789abcdef", InstanceStatus.RUNNING);
        Set<String> ours = h.workers().stream().map(WorkerRecord::instanceId).collect(Collectors.toSet());
        h.engine.close();

        // A new engine, same provider account and secret, empty memory.
        EngineHarness restarted = new EngineHarness(EngineHarness.endpoint().build(), h.provider);
        restarted.target(2, 2);
        assertThat(restarted.workers()).extracting(WorkerRecord::instanceId).containsExactlyInAnyOrderElementsOf(ours);
        assertThat(restarted.events(AutoscalerEvent.InstanceActionTaken.class)).hasSize(4);

        // Adopted running workers re-report with the mtoken derived from their label: they authenticate.
        restarted.allReady(1000);
        restarted.tick();
        restarted.tick();
        assertThat(restarted.count(WorkerState.READY)).isEqualTo(2);
        assertThat(restarted.count(WorkerState.STOPPED)).isEqualTo(2);
        assertThat(h.provider.instances).hasSize(7);
        List<String> touched = h.provider.calls.stream()
                .filter(c -> c.endsWith(" " + foreign.id()) || c.endsWith(" " + unlabelled.id()) || c.endsWith(" " + unknownEndpoint.id()))
                .toList();
        assertThat(touched).isEmpty();
    }

    @Test
    @DisplayName("a create whose answer was lost is bound to its instance by label, not created twice")
    void lostCreateAnswerAdopted() {
        FakeInstanceProvider provider = new FakeInstanceProvider() {
            private boolean dropped;

            @Override
            public dev.autoscaler.spi.Instance create(dev.autoscaler.spi.CreateInstanceRequest request) {
                dev.autoscaler.spi.Instance made = super.create(request);
                if (!dropped) {
                    dropped = true;
                    throw new dev.autoscaler.ProviderException(dev.autoscaler.ProviderException.Kind.TIMEOUT, "answer lost");
                }
                return made;
            }
        };
        EngineHarness h = new EngineHarness(EngineHarness.endpoint().build(), provider);
        h.target(1, 0);
        h.tick();
        assertThat(provider.instances).hasSize(1);
        h.engine.syncWithProviders();
        assertThat(h.workers()).singleElement().satisfies(w -> assertThat(w.state()).isEqualTo(WorkerState.LOADING));
        h.tick();
        h.tick();
        assertThat(provider.instances).hasSize(1);
    }

    @Test
    @DisplayName("suspended: the engine leaves the workers alone (no scaling, no repair)")
    void suspended() {
        EngineHarness h = new EngineHarness(EngineHarness.endpoint().build());
        h.target(2, 0);
        h.tick();
        h.allReady(1000);
        h.report(h.workers().get(0), 1000, "broken");
        int calls = h.provider.calls.size();

        h.engine.putEndpoint(EngineHarness.endpoint().state(EndpointState.SUSPENDED).build());
        h.target(5, 5);
        h.tick();
        h.tick();
        assertThat(h.provider.calls).hasSize(calls);
        assertThat(h.workers()).hasSize(2);
    }

    @Test
    @DisplayName("stopped: every worker goes inactive, none is destroyed, none is created")
    void stopped() {
        EngineHarness h = new EngineHarness(EngineHarness.endpoint().build());
        h.target(2, 1);
        h.tick();
        h.allReady(1000);
        h.tick();

        h.engine.putEndpoint(EngineHarness.endpoint().state(EndpointState.STOPPED).build());
        h.tick();
        assertThat(h.workers()).hasSize(3).allSatisfy(w -> assertThat(w.state()).isEqualTo(WorkerState.STOPPED));
        assertThat(h.provider.count("destroy")).isZero();

        h.engine.putEndpoint(EngineHarness.endpoint().build());
        h.tick();
        assertThat(h.count(WorkerState.STARTING)).isEqualTo(2);
    }

    @Test
    @DisplayName("a policy that throws is logged and published; the endpoint keeps its size and the loop goes on")
    void throwingPolicy() {
        EngineHarness h = new EngineHarness(EngineHarness.endpoint().build());
        h.target(2, 0);
        h.tick();
        h.allReady(1000);
        h.policy = s -> {
            throw new IllegalStateException("bug in policy");
        };
        h.tick();
        h.tick();
        assertThat(h.events(AutoscalerEvent.PluginFailed.class)).hasSize(2);
        assertThat(h.count(WorkerState.READY)).isEqualTo(2);

        // A worker that breaks meanwhile is still repaired and replaced: the size is kept.
        WorkerRecord w = h.workers().get(0);
        h.report(w, 1000, "err");
        h.tick();
        h.report(h.workers().get(0), 1000, "err again");
        h.tick();
        h.tick();
        assertThat(h.workers()).hasSize(2);

        h.target(3, 0);
        h.tick();
        assertThat(h.workers()).hasSize(3);
    }

    @Test
    @DisplayName("a listener that throws does not stop the engine")
    void throwingListener() {
        EngineHarness h = new EngineHarness(EngineHarness.endpoint().build());
        h.engine.addListener(new AutoscalerListener() {
            @Override
            public void onEvent(AutoscalerEvent event) {
                throw new RuntimeException("listener bug");
            }
        });
        h.target(2, 0);
        h.tick();
        assertThat(h.workers()).hasSize(2);
    }

    @Test
    @DisplayName("a report with an unknown id or a wrong mtoken is refused")
    void reportAuthentication() {
        EngineHarness h = new EngineHarness(EngineHarness.endpoint().build());
        h.target(1, 0);
        h.tick();
        WorkerRecord w = h.workers().get(0);
        assertThatThrownBy(() -> h.engine.report(LoadReport.builder(Long.parseLong(w.instanceId()), "wrong").build()))
                .isInstanceOf(AuthenticationException.class);
        assertThatThrownBy(() -> h.engine.report(LoadReport.builder(999_999, w.mtoken()).build()))
                .isInstanceOf(AuthenticationException.class);
    }

    @Test
    @DisplayName("an unknown policy name fails when the endpoint is added, listing the policies found")
    void unknownPolicy() {
        assertThatThrownBy(() -> Autoscaler.builder().provider(new FakeInstanceProvider())
                .endpoint(EngineHarness.endpoint().policy("nope").build()).build())
                .isInstanceOf(PluginNotFoundException.class)
                .hasMessageContaining("no scaling policy named 'nope'; found:");
    }
}
