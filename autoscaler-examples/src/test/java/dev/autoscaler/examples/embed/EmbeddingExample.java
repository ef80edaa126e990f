package dev.autoscaler.examples.embed;

import dev.autoscaler.Clock;
import dev.autoscaler.EndpointConfig;
import dev.autoscaler.Settings;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.WorkerTemplate;
import dev.autoscaler.core.Autoscaler;
import dev.autoscaler.core.ExecutorTaskScheduler;
import dev.autoscaler.core.http.AutoscalerApi;
import dev.autoscaler.core.http.AutoscalerHttpServer;
import dev.autoscaler.core.router.Router;
import dev.autoscaler.core.ticket.TicketFormats;
import dev.autoscaler.spi.InstanceProvider;
import dev.autoscaler.spi.ProviderContext;
import dev.autoscaler.vast.VastInstanceProviderFactory;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The README's embedding sample, verbatim between the markers: {@link EmbeddingExampleTest} checks
 * that the README still shows exactly this code, and runs it against the fake Vast API.
 */
final class EmbeddingExample {
    final Autoscaler engine;
    final AutoscalerHttpServer http;
    final ExecutorTaskScheduler scheduler;
    final ExecutorService providerCalls;

    EmbeddingExample(String vastApiKey, String vastBaseUrl, String publicUrl, byte[] engineSecret, Path keyFile, int port) {
        // README:begin
        InstanceProvider vast = new VastInstanceProviderFactory().create(
                Settings.of(Map.of("api_key", vastApiKey, "base_url", vastBaseUrl)),
                new ProviderContext(Clock.system(), publicUrl));

        EndpointConfig llama = EndpointConfig.builder("llama")
                .apiKey("client-secret")                      // what clients present to /route/
                .targetUtil(0.8).coldWorkers(2).maxWorkers(10)
                .addGroup(WorkerGroupConfig.builder("rtx4090")
                        .template(WorkerTemplate.ofImage("vastai/vllm:latest"))
                        .searchParams("gpu_name=RTX_4090 num_gpus=1 reliability>0.98")
                        .maxPricePerHour(0.60)
                        .build())
                .build();

        ExecutorTaskScheduler scheduler = new ExecutorTaskScheduler("autoscaler");
        ExecutorService providerCalls = Executors.newFixedThreadPool(4);  // slow provider calls off the loop
        Autoscaler engine = Autoscaler.builder()
                .provider(vast)
                .scheduler(scheduler)
                .providerExecutor(providerCalls)
                .publicUrl(publicUrl)          // given to workers as REPORT_ADDR
                .secret(engineSecret)          // keep it: a restarted engine re-adopts its workers
                .endpoint(llama)
                .build();

        TicketFormats tickets = TicketFormats.builder().rsaKeyFile(keyFile).build();  // /pubkey/ survives restarts
        Router router = Router.builder(engine).tickets(tickets).build();
        router.scheduleSweeps(scheduler, java.time.Duration.ofSeconds(1));  // expired waits and reservations, off the request path
        AutoscalerHttpServer http = AutoscalerHttpServer.start(
                AutoscalerApi.builder(router).tickets(tickets).build(), new InetSocketAddress("127.0.0.1", port));
        engine.start();  // after the HTTP surface is up: booting workers fetch /pubkey/ at once
        // README:end
        this.engine = engine;
        this.http = http;
        this.scheduler = scheduler;
        this.providerCalls = providerCalls;
    }

    void close() {
        http.close();
        engine.close();
        scheduler.close();
        providerCalls.shutdownNow();
    }
}
