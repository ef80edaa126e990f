package dev.autoscaler.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autoscaler.EndpointConfig;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import dev.autoscaler.core.client.AutoscalerClient;
import dev.autoscaler.core.client.WorkerResponse;
import dev.autoscaler.examples.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The whole demo path with real processes: the engine's HTTP surface, the local provider starting a
 * worker JVM, the worker fetching /pubkey/, benchmarking and reporting ready, the Java client
 * routing and calling it with a signed ticket, the worker verifying it and serving. The only wait is
 * the client's own bounded wait for a worker (maxWaitForWorker); the test never sleeps.
 */
@DisplayName("demo stack end to end")
class LocalDemoStackEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    @DisplayName("a request through the client is served by a real worker process, which the engine sees READY")
    void requestServedByWorkerProcess() throws Exception {
        String apiKey = "e2e-key-0123456789";
        EndpointConfig endpoint = EndpointConfig.builder("demo").apiKey(apiKey).minLoad(500).maxWorkers(2)
                .coldWorkers(1).addGroup(WorkerGroupConfig.builder("local").expectedPerf(1000.0).build()).build();
        Map<String, String> shortMode = Map.of("throughput", "1000", "cold_load_ms", "50", "warm_load_ms", "10",
                "benchmark_rounds", "2", "benchmark_parallel", "2", "benchmark_cost", "5",
                "busy_report_ms", "200", "idle_report_ms", "500", "pubkey_backoff_ms", "200");

        try (LocalDemoStack stack = LocalDemoStack.start(endpoint, shortMode, 0, null)) {
            AutoscalerClient client = AutoscalerClient.builder(stack.url(), apiKey)
                    .maxWaitForWorker(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100),
                            Duration.ofMillis(500)).build();

            WorkerResponse answer = client.call("demo", Worker.GENERATE_ROUTE, 30,
                    Map.of("prompt_tokens", 10, "max_tokens", 20));

            assertThat(answer.status()).isEqualTo(200);
            assertThat(JSON.readTree(answer.body()).path("generated_tokens").asInt()).isEqualTo(20);
            List<WorkerRecord> workers = stack.engine().workers("demo");
            assertThat(workers).anySatisfy(w -> {
                assertThat(w.state()).isEqualTo(WorkerState.READY);
                assertThat(w.url()).isEqualTo(answer.ticket().url());
                assertThat(w.maxPerf()).isPositive();
            });
        }
    }
}
