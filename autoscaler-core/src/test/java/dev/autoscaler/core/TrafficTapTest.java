package dev.autoscaler.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autoscaler.EndpointConfig;
import dev.autoscaler.ManualClock;
import dev.autoscaler.ManualScheduler;
import dev.autoscaler.NotFoundException;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.core.provider.StaticInstanceProvider;
import dev.autoscaler.core.provider.StaticWorker;
import dev.autoscaler.core.router.Router;
import dev.autoscaler.core.router.RouterHarness;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Traffic shared between engines: the tap sees what the router counts, countTraffic adds another's")
class TrafficTapTest {

    private final ManualClock clock = new ManualClock();
    private final List<String> tapped = new ArrayList<>();

    private Autoscaler engine(boolean tap) {
        Autoscaler.Builder b = Autoscaler.builder().clock(clock).scheduler(new ManualScheduler(clock))
                .provider(new StaticInstanceProvider(List.of(new StaticWorker("101", "tok-101", "http://10.0.0.1:4001"))))
                .secret("0123456789abcdef0123456789abcdef".getBytes())
                .random((RandomGenerator) new SplittableRandom(7))
                .endpoint(EndpointConfig.builder("llm").coldWorkers(0)
                        .addGroup(WorkerGroupConfig.builder("main").build())
                        .addGroup(WorkerGroupConfig.builder("spare").overflow(true).build()).build());
        if (tap) {
            b.trafficTap((endpoint, group, cost) -> tapped.add(endpoint + "/" + group + "/" + cost));
        }
        Autoscaler engine = b.build();
        engine.start();
        return engine;
    }

    @Test
    @DisplayName("a first call is tapped once with its cost (a re-poll is not); traffic counted from elsewhere raises the rates and is not tapped again")
    void tapAndCount() {
        Autoscaler a = engine(true);
        Router router = Router.builder(a).tickets(RouterHarness.TICKETS).build();
        var first = router.route("llm", 250, 0);
        router.route("llm", 250, first.requestIdx());
        assertThat(tapped).containsExactly("llm//250.0"); // nothing ready: it waits, counted once

        Autoscaler b = engine(false);
        double before = b.snapshot("llm").load().arrivalRateBurst();
        b.countTraffic("llm", "", 1_000);
        b.countTraffic("llm", "spare", 400);
        assertThat(b.snapshot("llm").load().arrivalRateBurst()).isGreaterThan(before);
        assertThat(b.snapshot("llm").groups()).filteredOn(g -> g.config().name().equals("spare"))
                .allSatisfy(g -> assertThat(g.spillRateShort()).isGreaterThan(0));
        assertThat(tapped).hasSize(1);
        assertThatThrownBy(() -> b.countTraffic("llm", "nope", 1)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> b.countTraffic("other", "", 1)).isInstanceOf(NotFoundException.class);
    }
}
