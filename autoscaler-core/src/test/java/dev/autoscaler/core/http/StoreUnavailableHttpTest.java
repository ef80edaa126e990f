package dev.autoscaler.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoscaler.EndpointConfig;
import dev.autoscaler.ManualClock;
import dev.autoscaler.ManualScheduler;
import dev.autoscaler.ScalingDecision;
import dev.autoscaler.StoreUnavailableException;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.core.Autoscaler;
import dev.autoscaler.core.provider.StaticInstanceProvider;
import dev.autoscaler.core.provider.StaticWorker;
import dev.autoscaler.core.router.Router;
import dev.autoscaler.core.store.InMemoryStateStore;
import dev.autoscaler.core.ticket.TicketFormats;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("a replica whose shared store is unreachable answers 503, and /readyz says why")
class StoreUnavailableHttpTest {
    @Test
    void routesAre503WhileTheStoreIsDown() {
        AtomicBoolean down = new AtomicBoolean();
        InMemoryStateStore memory = new InMemoryStateStore();
        // every store call fails while 'down' is set, as a database that cannot be reached does
        dev.autoscaler.spi.StateStore store = (dev.autoscaler.spi.StateStore) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {dev.autoscaler.spi.StateStore.class}, (proxy, method, args) -> {
                    if (down.get() && !method.getName().equals("close")) {
                        throw new StoreUnavailableException("PostgreSQL store: connection refused", null);
                    }
                    try {
                        return method.invoke(memory, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        ManualClock clock = new ManualClock();
        Autoscaler engine = Autoscaler.builder().clock(clock).scheduler(new ManualScheduler(clock))
                .provider(new StaticInstanceProvider(List.of(new StaticWorker("101", "tok-101", "http://10.0.0.1:4001"))))
                .secret("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8)).stateStore(store)
                .policies((name, params) -> snapshot -> ScalingDecision.keep("test"))
                .endpoint(EndpointConfig.builder("llm").coldWorkers(0).addGroup(WorkerGroupConfig.builder("main").build()).build())
                .build();
        engine.start();
        TicketFormats tickets = TicketFormats.builder().build();
        AutoscalerApi api = AutoscalerApi.builder(Router.builder(engine).tickets(tickets).build()).apiKey("key-1")
                .tickets(tickets).build();
        ApiRequest route = new ApiRequest("POST", "/route/", "", Map.of("Authorization", List.of("Bearer key-1")),
                "{\"endpoint\": \"llm\", \"cost\": 1}".getBytes(StandardCharsets.UTF_8));
        assertThat(api.handle(route).status()).isEqualTo(200);

        down.set(true);
        ApiResponse refused = api.handle(route);
        assertThat(refused.status()).isEqualTo(503);
        assertThat(new String(refused.body(), StandardCharsets.UTF_8)).contains("State store unavailable");
        ApiResponse ready = api.handle(new ApiRequest("GET", "/readyz", "", Map.of(), new byte[0]));
        assertThat(ready.status()).isEqualTo(503);
        assertThat(new String(ready.body(), StandardCharsets.UTF_8)).contains("the state store failed a lookup");

        down.set(false);
        assertThat(api.handle(route).status()).isEqualTo(200);
        engine.close();
    }
}
