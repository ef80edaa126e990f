package dev.autoscaler.vast;

import dev.autoscaler.ManualClock;
import dev.autoscaler.Sleeper;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.WorkerTemplate;
import dev.autoscaler.spi.InstanceProvider;
import dev.autoscaler.testkit.InstanceProviderContract;
import dev.autoscaler.vast.fake.FakeVastServer;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;

/** The {@code vast} provider passes the contract every provider owes the engine, against the fake Vast API. */
@DisplayName("vast provider contract (against FakeVastServer)")
class VastInstanceProviderContractTest extends InstanceProviderContract {
    private final ManualClock clock = new ManualClock();
    private FakeVastServer fake;

    @Override
    protected void setUpWorld() {
        fake = FakeVastServer.builder(clock).start();
    }

    @Override
    protected void tearDownWorld() {
        fake.close();
    }

    @Override
    protected InstanceProvider newProvider() {
        VastApiClient client = VastApiClient.builder().apiKey(fake.apiKey()).baseUrl(fake.baseUrl())
                .clock(clock).sleeper(Sleeper.advancing(clock)).build();
        return new VastInstanceProvider(client, 64, 5, 3000);
    }

    @Override
    protected void letTimePass(Duration duration) {
        clock.advance(duration);
    }

    @Override
    protected WorkerGroupConfig group() {
        return WorkerGroupConfig.builder("contract").template(WorkerTemplate.ofImage("vastai/test:latest")).build();
    }
}
