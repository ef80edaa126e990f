package dev.autoscaler.http.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoscaler.core.http.ApiRequest;
import dev.autoscaler.core.http.ApiResponse;
import dev.autoscaler.core.http.ApiServerOptions;
import dev.autoscaler.core.http.AutoscalerApi;
import dev.autoscaler.core.router.RouterHarness;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * An API whose state store does I/O is answered off the event loops: a report stuck on the database
 * delays no route, and one connection's answers keep the order of its requests. The "database" here
 * is a latch the test opens; nothing waits on a clock (the timeouts only stop a hung test).
 */
@DisplayName("the Netty server answering an API that may block")
class BlockingApiTest {
    final CountDownLatch database = new CountDownLatch(1);
    final CountDownLatch reportWaiting = new CountDownLatch(1);
    final List<String> handled = new CopyOnWriteArrayList<>();
    NettyApiServer server;

    /** Reports wait for the database; routes answer from memory. */
    final Function<ApiRequest, ApiResponse> api = request -> {
        if (request.path().equals(AutoscalerApi.WORKER_STATUS)) {
            handled.add("report started");
            reportWaiting.countDown();
            try {
                database.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            handled.add("report answered");
            return ApiResponse.json(200, "{\"report\":true}".getBytes(StandardCharsets.UTF_8));
        }
        handled.add("route answered");
        return ApiResponse.json(200, "{\"route\":true}".getBytes(StandardCharsets.UTF_8));
    };

    @AfterEach
    void close() {
        database.countDown();
        if (server != null) {
            server.close();
        }
    }

    void start(AnswerPools pools) {
        server = NettyApiServer.start(api, pools, 1024, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                ApiServerOptions.defaults());
    }

    @Test
    void a_report_waiting_on_the_database_delays_no_route() throws Exception {
        start(new AnswerPools(1)); // one thread each: the report holds all its pool has
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        URI base = URI.create("http://127.0.0.1:" + server.port());
        CompletableFuture<HttpResponse<String>> report = client.sendAsync(HttpRequest.newBuilder(base.resolve("/worker_status/"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(reportWaiting.await(30, TimeUnit.SECONDS)).isTrue();

        HttpResponse<String> route = client.send(HttpRequest.newBuilder(base.resolve("/route/")).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(route.body()).isEqualTo("{\"route\":true}");
        assertThat(report).isNotDone();
        database.countDown();
        assertThat(report.get(30, TimeUnit.SECONDS).body()).isEqualTo("{\"report\":true}");
    }

    @Test
    void pipelined_requests_are_answered_in_their_order() throws Exception {
        start(new AnswerPools(2));
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            // both in one write: the route is read while the report waits on the database
            out.write(("POST /worker_status/ HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}"
                    + "POST /route/ HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            assertThat(reportWaiting.await(30, TimeUnit.SECONDS)).isTrue();
            database.countDown();

            String answers = readAnswers(s.getInputStream(), 2);
            assertThat(answers.indexOf("{\"report\":true}")).isNotNegative()
                    .isLessThan(answers.indexOf("{\"route\":true}"));
            // and the route was not even handled before the report's answer was written
            assertThat(handled).containsExactly("report started", "report answered", "route answered");
        }
    }

    @Test
    void an_api_that_does_no_io_is_answered_on_the_event_loop() {
        RouterHarness h = new RouterHarness(1);
        AutoscalerApi inMemory = AutoscalerApi.builder(h.router).apiKey("k").tickets(RouterHarness.TICKETS).build();
        assertThat(inMemory.mayBlock()).isFalse();
    }

    /** Reads until {@code count} complete responses (each with a Content-Length body) have arrived. */
    static String readAnswers(InputStream in, int count) throws IOException {
        StringBuilder all = new StringBuilder();
        int done = 0;
        int from = 0;
        byte[] buf = new byte[4096];
        while (done < count) {
            int headEnd = all.indexOf("\r\n\r\n", from);
            if (headEnd >= 0) {
                String head = all.substring(from, headEnd).toLowerCase(java.util.Locale.ROOT);
                int at = head.indexOf("content-length:");
                int length = Integer.parseInt(head.substring(at + 15, head.indexOf("\r\n", at) < 0 ? head.length()
                        : head.indexOf("\r\n", at)).trim());
                if (all.length() >= headEnd + 4 + length) {
                    from = headEnd + 4 + length;
                    done++;
                    continue;
                }
            }
            int n = in.read(buf);
            if (n < 0) {
                break;
            }
            all.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
        }
        return all.toString();
    }
}
