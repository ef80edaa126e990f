package dev.autoscaler.http.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoscaler.core.http.ApiServerOptions;
import dev.autoscaler.core.http.ApiServers;
import dev.autoscaler.core.http.AutoscalerApi;
import dev.autoscaler.core.router.RouterHarness;
import java.io.ByteArrayOutputStream;
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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The slow-client attacks against the Netty server, on loopback. No test waits on a clock:
 * a deadline test reads until the server answers (the timeouts are set short), and the starvation
 * test asserts that every normal call succeeds, not how fast.
 */
@DisplayName("the Netty server against slow and greedy clients")
class HostileClientsTest {
    static final String ROUTE_BODY = "{\"endpoint\": \"llm\", \"api_key\": \"key-1\", \"cost\": 10}";

    final RouterHarness h = new RouterHarness(1);
    final AutoscalerApi api = AutoscalerApi.builder(h.router).apiKey("key-1").tickets(RouterHarness.TICKETS).build();
    final List<Socket> sockets = new ArrayList<>();
    NettyApiServer server;

    @AfterEach
    void close() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        if (server != null) {
            server.close();
        }
    }

    NettyApiServer start(ApiServerOptions options) {
        server = NettyApiServer.start(api, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), options);
        return server;
    }

    static ApiServerOptions shortDeadlines() {
        Duration quarter = Duration.ofMillis(250);
        return ApiServerOptions.defaults().withTimeouts(quarter, quarter, quarter);
    }

    Socket open() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port());
        s.setSoTimeout(30_000); // a test that hangs fails rather than blocking the build
        sockets.add(s);
        return s;
    }

    static void send(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Everything the server sends until it closes the connection. */
    static String readToEnd(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
            }
        } catch (java.net.SocketException reset) {
            out.write(("\n<reset: " + reset.getMessage() + ">").getBytes(StandardCharsets.ISO_8859_1));
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void is_the_server_serve_prefers() {
        assertThat(ApiServers.factory(ApiServers.DEFAULT).name()).isEqualTo("netty");
    }

    @Test
    void sixty_four_slow_connections_do_not_starve_a_normal_client() throws Exception {
        h.ready(1, 1e9);
        start(ApiServerOptions.defaults());
        for (int i = 0; i < 32; i++) {
            send(open(), "POST /route/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Ty"); // headers, stalled
            send(open(), "POST /route/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n{\"endp"); // body, stalled
        }
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/route/"))
                    .timeout(Duration.ofSeconds(3)).POST(HttpRequest.BodyPublishers.ofString(ROUTE_BODY)).build();
            statuses.add(client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode());
        }

        assertThat(statuses).hasSize(50).containsOnly(200);
        assertThat(server.openConnectionsFrom(InetAddress.getLoopbackAddress())).isGreaterThanOrEqualTo(64);
    }

    @Test
    void headers_not_complete_in_time_get_408_not_a_reset() throws IOException {
        start(shortDeadlines());
        Socket s = open();
        send(s, "GET /pubkey/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAcc");

        String answer = readToEnd(s);

        assertThat(answer).startsWith("HTTP/1.1 408 ").containsIgnoringCase("connection: close")
                .contains("{\"error\":\"Request headers not received in time\"}");
    }

    @Test
    void a_lying_content_length_gets_408_once_the_body_deadline_passes() throws IOException {
        start(shortDeadlines());
        Socket s = open();
        send(s, "POST /route/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 500\r\n\r\n" + ROUTE_BODY);

        String answer = readToEnd(s);

        assertThat(answer).startsWith("HTTP/1.1 408 ").contains("Request body not received in time");
    }

    @Test
    void an_idle_keep_alive_connection_is_closed_after_its_answer() throws IOException {
        h.ready(1, 1e9);
        start(shortDeadlines());
        Socket s = open();
        send(s, "POST /route/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + ROUTE_BODY.length() + "\r\n\r\n" + ROUTE_BODY);

        String answer = readToEnd(s); // the server closes it: nothing more was asked

        assertThat(answer).startsWith("HTTP/1.1 200 OK").contains("\"signature\"").doesNotContain("408");
    }

    @Test
    void headers_over_the_limit_get_431() throws IOException {
        start(ApiServerOptions.defaults().withMaxHeaderBytes(4096));
        Socket s = open();
        send(s, "GET /pubkey/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Flood: " + "a".repeat(8000) + "\r\n\r\n");

        assertThat(readToEnd(s)).startsWith("HTTP/1.1 431 ").contains("Request headers too large");
    }

    @Test
    void a_request_line_over_the_limit_gets_414() throws IOException {
        start(ApiServerOptions.defaults().withMaxHeaderBytes(4096));
        Socket s = open();
        send(s, "GET /" + "p".repeat(6000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");

        assertThat(readToEnd(s)).startsWith("HTTP/1.1 414 ");
    }

    @Test
    void a_declared_body_over_the_limit_gets_413_and_the_body_is_drained_not_reset() throws IOException {
        start(ApiServerOptions.defaults());
        Socket s = open();
        int size = AutoscalerApi.DEFAULT_MAX_BODY_BYTES * 2;
        send(s, "POST /route/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + size + "\r\n\r\n");
        send(s, "x".repeat(size));

        String answer = readToEnd(s);

        assertThat(answer).startsWith("HTTP/1.1 413 ").contains("Request body too large").doesNotContain("<reset");
    }

    @Test
    void connections_over_the_per_address_cap_get_429() throws IOException {
        h.ready(1, 1e9);
        start(ApiServerOptions.defaults().withMaxConnectionsPerAddress(2));
        Socket first = open();
        Socket second = open();
        send(first, "GET /pubkey/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        send(second, "GET /pubkey/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertThat(new String(first.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 200");
        assertThat(new String(second.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 200");

        Socket third = open();

        assertThat(readToEnd(third)).startsWith("HTTP/1.1 429 ").contains("Too many connections from your address");
        assertThat(server.refusedConnections()).isEqualTo(1);
    }
}
