package dev.autoscaler.benchmarks;

import dev.autoscaler.core.http.ApiRequest;
import dev.autoscaler.core.http.ApiResponse;
import dev.autoscaler.core.http.AutoscalerApi;
import dev.autoscaler.core.router.Router;
import dev.autoscaler.core.ticket.TicketFormats;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What one {@code POST /route/} costs in process, from the HTTP request as {@link AutoscalerApi} sees
 * it (headers as wrk sends them, the JSON body) to the answer's bytes: body parsing, API key check,
 * the routing decision, the signature and the JSON answer. Against {@code RoutingBenchmark.route},
 * the difference is what the HTTP surface adds before the JDK server's own work.
 *
 * <p>Run: {@code mvn -B -q -pl autoscaler-benchmarks -am package -DskipTests && java -jar
 * autoscaler-benchmarks/target/benchmarks.jar ApiRoute -f 1 -wi 2 -i 3 -w 2s -r 2s}
 * (add {@code -prof gc} for the bytes allocated per request).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ApiRouteBenchmark {
    @Param({"vast-rsa", "ed25519"})
    public String format;

    private AutoscalerApi api;
    private Router router;
    private final byte[] body = ("{\"endpoint\": \"bench\", \"api_key\": \"bench-key\", \"cost\": 100, "
            + "\"request_idx\": 0, \"replay_timeout\": 60.0}").getBytes(StandardCharsets.UTF_8);
    private final Map<String, List<String>> headers = Map.of(
            "Host", List.of("127.0.0.1:40000"),
            "Content-type", List.of("application/json"),
            "Content-length", List.of(Integer.toString(body.length)));

    @Setup
    public void setUp() {
        TicketFormats tickets = TicketFormats.builder().build();
        router = HttpBenchServer.readyRouter(format, tickets.signer(format), 8, false);
        api = AutoscalerApi.builder(router).apiKey("bench-key").tickets(tickets).build();
    }

    @Benchmark
    public ApiResponse handleRoute() {
        ApiResponse response = api.handle(new ApiRequest("POST", "/route/", null, headers, body));
        router.abandon(requestIdx(response.body())); // as the worker's report would
        return response;
    }

    private static long requestIdx(byte[] answer) {
        String json = new String(answer, StandardCharsets.ISO_8859_1);
        int at = json.indexOf("\"request_idx\":") + "\"request_idx\":".length();
        int end = at;
        while (end < json.length() && Character.isDigit(json.charAt(end))) {
            end++;
        }
        return Long.parseLong(json.substring(at, end));
    }
}
