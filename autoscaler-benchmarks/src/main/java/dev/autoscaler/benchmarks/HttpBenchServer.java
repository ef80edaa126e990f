package dev.autoscaler.benchmarks;

import com.sun.net.httpserver.HttpServer;
import dev.autoscaler.EndpointConfig;
import dev.autoscaler.GroupTarget;
import dev.autoscaler.LoadReport;
import dev.autoscaler.ScalingDecision;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.core.Autoscaler;
import dev.autoscaler.core.http.ApiResponse;
import dev.autoscaler.core.http.ApiServerOptions;
import dev.autoscaler.core.http.AutoscalerApi;
import dev.autoscaler.http.netty.NettyApiServer;
import dev.autoscaler.core.http.AutoscalerHttpServer;
import dev.autoscaler.core.provider.StaticInstanceProvider;
import dev.autoscaler.core.provider.StaticWorker;
import dev.autoscaler.core.router.Router;
import dev.autoscaler.core.ticket.TicketFormats;
import dev.autoscaler.spi.TicketSigner;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The server side of {@code scripts/bench-http.sh}: the real API (engine, router, signer) with a
 * static fleet of ready workers whose reservations never fill, and, on a second port of the same JDK
 * server with the same thread pool, a trivial JSON handler as the baseline; then the same two on the
 * Netty server ({@code autoscaler-http-netty}: the API and the trivial handler through the same server
 * code). Prints {@code API_PORT=...}, {@code BASELINE_PORT=...}, {@code NETTY_API_PORT=...} and
 * {@code NETTY_BASELINE_PORT=...}, then serves until killed. The script loads one pair at a time.
 *
 * <p>Arguments: {@code <ticket-format> [threads]}; the format is {@code vast-rsa} or {@code ed25519};
 * threads are the JDK server's handler threads (Netty runs one event loop per core).
 */
public final class HttpBenchServer {
    private HttpBenchServer() {
    }

    public static void main(String[] args) throws Exception {
        String format = args.length > 0 ? args[0] : "vast-rsa";
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : AutoscalerHttpServer.defaultThreads();
        AutoscalerHttpServer.configureJdkServer();

        TicketFormats tickets = TicketFormats.builder().build();
        Router router = readyRouter(format, tickets.signer(format), 8, true);
        AutoscalerApi api = AutoscalerApi.builder(router).apiKey("bench-key").tickets(tickets).build();
        InetAddress loopback = InetAddress.getLoopbackAddress();
        AutoscalerHttpServer apiServer = AutoscalerHttpServer.start(api, new InetSocketAddress(loopback, 0), threads);

        HttpServer baseline = HttpServer.create(new InetSocketAddress(loopback, 0), 1024);
        baseline.setExecutor(new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(4096),
                new ThreadPoolExecutor.CallerRunsPolicy()));
        byte[] answer = "{\"endpoint\":\"bench\",\"url\":\"http://10.0.0.1:4001\",\"cost\":100,\"reqnum\":1}"
                .getBytes(StandardCharsets.UTF_8);
        baseline.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, answer.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
            }
        });
        baseline.start();

        ApiServerOptions options = ApiServerOptions.defaults();
        NettyApiServer nettyApi = NettyApiServer.start(api, new InetSocketAddress(loopback, 0), options);
        ApiResponse trivial = ApiResponse.json(200, answer);
        NettyApiServer nettyBaseline = NettyApiServer.start(request -> trivial, api.maxBodyBytes(),
                new InetSocketAddress(loopback, 0), options);

        System.out.println("API_PORT=" + apiServer.port());
        System.out.println("NETTY_API_PORT=" + nettyApi.port());
        System.out.println("NETTY_BASELINE_PORT=" + nettyBaseline.port());
        System.out.println("BASELINE_PORT=" + baseline.getAddress().getPort());
        System.out.flush();
        Thread.currentThread().join();
    }

    /**
     * An engine with endpoint {@code bench} and {@code workers} ready workers of huge perf, so that
     * every route is routed (reservations pile up but never fill a worker), behind a router.
     */
    static Router readyRouter(String format, TicketSigner signer, int workers, boolean releaseInBackground) {
        return readyRouter(format, signer, workers, releaseInBackground, new dev.autoscaler.core.store.InMemoryStateStore());
    }

    static Router readyRouter(String format, TicketSigner signer, int workers, boolean releaseInBackground,
            dev.autoscaler.spi.StateStore store) {
        List<StaticWorker> fleet = new ArrayList<>();
        for (int i = 1; i <= workers; i++) {
            fleet.add(new StaticWorker(Integer.toString(100 + i), "tok-" + (100 + i), "http://10.0.0.1:" + (4000 + i)));
        }
        Autoscaler engine = Autoscaler.builder()
                .stateStore(store)
                .provider(new StaticInstanceProvider(fleet))
                .policies((name, params) -> s -> ScalingDecision.of(Map.of("main", new GroupTarget(workers, 0)), "bench"))
                .endpoint(EndpointConfig.builder("bench").coldWorkers(0).maxQueueTime(1e9).ticketFormat(format)
                        .addGroup(WorkerGroupConfig.builder("main").build()).build())
                .build();
        engine.tick();
        for (WorkerRecord w : engine.workers("bench")) {
            engine.report(LoadReport.builder(Long.parseLong(w.instanceId()), "tok-" + w.instanceId())
                    .maxPerf(1e12).url(w.url()).build());
        }
        // Stand in for the workers' reports: end every reservation a hundred times a second, so that
        // the request records do not pile up for the router's 30 s timeout to sweep (in small batches:
        // one large batch every 100 ms competed with the routes in bursts).
        Router router = Router.builder(engine).signer(signer).build();
        if (!releaseInBackground) {
            return router;
        }
        Thread accounting = new Thread(() -> {
            while (true) {
                for (var r : engine.stateStore().requests("bench")) {
                    router.abandon(r.requestIdx());
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "bench-accounting");
        accounting.setDaemon(true);
        accounting.start();
        return router;
    }

    /**
     * A router of a replica that does not lead: its engine neither ticks nor creates, and routes to
     * the workers another replica's engine put in the shared {@code store}.
     */
    static Router followerRouter(String format, TicketSigner signer, dev.autoscaler.spi.StateStore store) {
        Autoscaler engine = Autoscaler.builder()
                .stateStore(store)
                // never asked: a follower does not tick (the static provider wants one declared worker)
                .provider(new StaticInstanceProvider(List.of(new StaticWorker("0", "unused", "http://10.0.0.1:1"))))
                .policies((name, params) -> s -> ScalingDecision.keep("follower"))
                .endpoint(EndpointConfig.builder("bench").coldWorkers(0).maxQueueTime(1e9).ticketFormat(format)
                        .addGroup(WorkerGroupConfig.builder("main").build()).build())
                .build();
        return Router.builder(engine).signer(signer).build();
    }
}
