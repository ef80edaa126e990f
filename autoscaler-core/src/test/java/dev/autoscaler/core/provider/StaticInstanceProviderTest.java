package dev.autoscaler.core.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autoscaler.InvalidConfigException;
import dev.autoscaler.LoadReport;
import dev.autoscaler.ManualClock;
import dev.autoscaler.ProviderException;
import dev.autoscaler.Settings;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.WorkerState;
import dev.autoscaler.core.router.RouterHarness;
import dev.autoscaler.spi.CreateInstanceRequest;
import dev.autoscaler.spi.Instance;
import dev.autoscaler.spi.InstanceProviderFactory;
import dev.autoscaler.spi.InstanceStatus;
import dev.autoscaler.spi.ProviderContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StaticInstanceProviderTest {
    final StaticInstanceProvider provider = new StaticInstanceProvider(List.of(
            new StaticWorker("1", "t1", "http://a:1/"), new StaticWorker("2", "t2", "http://b:2")));

    CreateInstanceRequest request(String label) {
        return new CreateInstanceRequest("llm", WorkerGroupConfig.builder("main").build(), label, Map.of());
    }

    @Test
    void create_hands_out_free_workers_in_order_with_their_own_token_then_runs_out() {
        Instance first = provider.create(request("o:llm:main:a"));
        Instance second = provider.create(request("o:llm:main:b"));

        assertThat(first.id()).isEqualTo("1");
        assertThat(first.url()).isEqualTo("http://a:1");
        assertThat(first.mtoken()).isEqualTo("t1");
        assertThat(first.label()).isEqualTo("o:llm:main:a");
        assertThat(second.id()).isEqualTo("2");
        assertThatThrownBy(() -> provider.create(request("o:llm:main:c"))).isInstanceOf(ProviderException.class)
                .extracting(e -> ((ProviderException) e).kind()).isEqualTo(ProviderException.Kind.NO_OFFER);
    }

    @Test
    void stop_start_and_destroy_only_mark_the_worker() {
        provider.create(request("o:llm:main:a"));

        provider.stop("1");
        assertThat(provider.list().get(0).status()).isEqualTo(InstanceStatus.STOPPED);
        provider.start("1");
        assertThat(provider.list().get(0).status()).isEqualTo(InstanceStatus.RUNNING);
        provider.destroy("1");
        provider.destroy("1");

        assertThat(provider.list().get(0).label()).isEmpty();
        assertThat(provider.inUseCount()).isZero();
        assertThat(provider.create(request("o:llm:main:z")).id()).isEqualTo("1");
    }

    @Test
    void the_engine_authenticates_a_static_worker_with_its_configured_token() {
        RouterHarness h = new RouterHarness(1);
        h.scaleTo(1);

        var worker = h.engine.report(LoadReport.builder(101, "tok-101").maxPerf(50).build());

        assertThat(worker.state()).isEqualTo(WorkerState.READY);
        assertThatThrownBy(() -> h.engine.report(LoadReport.builder(101, worker.label()).build()))
                .isInstanceOf(dev.autoscaler.AuthenticationException.class);
    }

    @Test
    void the_factory_is_registered_as_static_and_reads_settings_naming_bad_ones() {
        InstanceProviderFactory factory = InstanceProviderFactories.load().require("static");
        ProviderContext ctx = new ProviderContext(new ManualClock(), "");

        var made = factory.create(Settings.of(Map.of("workers.0.id", "5", "workers.0.mtoken", "m", "workers.0.url", "http://x:1")), ctx);

        assertThat(made.list()).extracting(Instance::id).containsExactly("5");
        assertThatThrownBy(() -> factory.create(Settings.of(Map.of("workers.0.id", "x", "workers.0.mtoken", "m",
                "workers.0.url", "http://x:1")), ctx)).isInstanceOf(InvalidConfigException.class)
                .extracting(e -> ((InvalidConfigException) e).field()).isEqualTo("workers.0.id");
        assertThatThrownBy(() -> factory.create(Settings.of(Map.of("workers.0.id", "1", "workers.0.url", "http://x:1")), ctx))
                .extracting(e -> ((InvalidConfigException) e).field()).isEqualTo("workers.0.mtoken");
        assertThatThrownBy(() -> factory.create(Settings.empty(), ctx)).isInstanceOf(InvalidConfigException.class);
    }
}
