package dev.autoscaler.examples.demo;

import dev.autoscaler.Clock;
import dev.autoscaler.EndpointConfig;
import dev.autoscaler.Settings;
import dev.autoscaler.core.Autoscaler;
import dev.autoscaler.core.ExecutorTaskScheduler;
import dev.autoscaler.core.http.AutoscalerApi;
import dev.autoscaler.core.http.ApiServer;
import dev.autoscaler.core.http.ApiServerOptions;
import dev.autoscaler.core.http.ApiServers;
import dev.autoscaler.core.router.Router;
import dev.autoscaler.core.ticket.TicketFormats;
import dev.autoscaler.examples.local.LocalProcessProvider;
import dev.autoscaler.spi.AutoscalerListener;
import dev.autoscaler.spi.Instance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * The engine as the demo runs it: the {@code local} provider (worker JVMs on loopback, state in a
 * temporary directory), the router signing real tickets, and the HTTP surface on a loopback port,
 * started in the order workers need (HTTP first: they fetch {@code /pubkey/} as they start).
 * {@link #close()} destroys every worker and deletes their state.
 */
public final class LocalDemoStack implements AutoCloseable {
    private final LocalProcessProvider provider;
    private final Path stateDir;
    private final ExecutorService providerCalls;
    private final ExecutorTaskScheduler scheduler;
    private final Autoscaler engine;
    private final Router router;
    private final ApiServer http;
    private final String url;
    private final dev.autoscaler.TaskScheduler.Cancellable sweeps;

    private LocalDemoStack(EndpointConfig endpoint, Map<String, String> providerSettings, int port,
                           AutoscalerListener listener) throws IOException {
        this.stateDir = Files.createTempDirectory("autoscaler-demo-");
        Map<String, String> settings = new HashMap<>(providerSettings);
        settings.put("state_dir", stateDir.toString());
        this.provider = LocalProcessProvider.create(Settings.of(settings));
        int bound = port == 0 ? freePort() : port;
        this.url = "http://127.0.0.1:" + bound;
        this.providerCalls = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "provider-calls");
            t.setDaemon(true);
            return t;
        });
        this.scheduler = new ExecutorTaskScheduler("demo-scheduler");
        TicketFormats tickets = TicketFormats.builder().build();
        Autoscaler.Builder builder = Autoscaler.builder()
                .clock(Clock.system())
                .scheduler(scheduler)
                .provider(provider)
                .providerExecutor(providerCalls)
                .publicUrl(url)
                .tickInterval(Duration.ofSeconds(1))
                .syncInterval(Duration.ofSeconds(5))
                .endpoint(endpoint);
        if (listener != null) {
            builder.listener(listener);
        }
        this.engine = builder.build();
        this.router = Router.builder(engine).tickets(tickets).build();
        AutoscalerApi api = AutoscalerApi.builder(router).apiKeys(endpoint.apiKey().stream().toList())
                .tickets(tickets).build();
        this.http = ApiServers.start(ApiServers.DEFAULT, api, new InetSocketAddress(InetAddress.getLoopbackAddress(), bound),
                ApiServerOptions.defaults());
        this.sweeps = router.scheduleSweeps(scheduler, Duration.ofSeconds(1));
        engine.start();
    }

    /**
     * Starts the stack for one endpoint.
     *
     * @param providerSettings the local provider's settings (the worker emulation); {@code state_dir}
     *                         is always a fresh temporary directory
     * @param port             the HTTP port, 0 for a free one
     * @param listener         the engine's listener, or null
     */
    public static LocalDemoStack start(EndpointConfig endpoint, Map<String, String> providerSettings, int port,
                                       AutoscalerListener listener) throws IOException {
        return new LocalDemoStack(endpoint, providerSettings, port, listener);
    }

    public Autoscaler engine() {
        return engine;
    }

    /** The engine's base URL (what workers get as REPORT_ADDR). */
    public String url() {
        return url;
    }

    public ExecutorTaskScheduler scheduler() {
        return scheduler;
    }

    public LocalProcessProvider provider() {
        return provider;
    }

    public Path stateDir() {
        return stateDir;
    }

    @Override
    public void close() {
        sweeps.cancel();
        http.close();
        engine.close();
        for (Instance i : provider.list()) {
            provider.destroy(i.id());
        }
        provider.close();
        scheduler.close();
        providerCalls.shutdownNow();
        try (Stream<Path> all = Files.walk(stateDir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temporary directory left behind is harmless
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
