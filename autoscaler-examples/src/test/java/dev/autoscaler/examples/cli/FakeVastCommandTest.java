package dev.autoscaler.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autoscaler.vast.fake.FakeVastServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code autoscaler fake-vast}: its command line and the fake it starts (not the wait for Ctrl-C). */
class FakeVastCommandTest {

    @Nested
    @DisplayName("a bad command line exits 2 with a message naming what is wrong, then the usage")
    class BadArguments {
        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
                "fake-vast --port abc                 | --port must be an integer in 0..65535, got 'abc'",
                "fake-vast --port 70000               | --port must be an integer in 0..65535, got '70000'",
                "fake-vast --port                     | --port needs a value",
                "fake-vast --port 1 --port 2          | --port is given twice",
                "fake-vast --boot-seconds -1          | --boot-seconds must be a number of seconds in 0..86400, got '-1'",
                "fake-vast --boot-seconds soon        | --boot-seconds must be a number of seconds in 0..86400, got 'soon'",
                "fake-vast --workers                  | unknown option '--workers'",
                "fake-vast now                        | unexpected argument 'now'",
        })
        void badArgument(String commandLine, String message) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = new Main().run(commandLine.trim().split("\\s+"), new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));

            assertThat(status).isEqualTo(Main.USAGE);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("autoscaler fake-vast: " + message)
                    .contains("usage: autoscaler").contains("fake-vast [--port P]");
            assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        }
    }

    @Test
    void defaults_are_a_free_port_a_ten_second_boot_and_no_emulated_workers() {
        assertThat(FakeVastCommand.parse(new String[0])).isEqualTo(new FakeVastCommand.Options(0, 10, false));
    }

    @Test
    void reads_every_option() {
        assertThat(FakeVastCommand.parse(new String[] {"--boot-seconds", "2.5", "--emulate-workers", "--port", "8081"}))
                .isEqualTo(new FakeVastCommand.Options(8081, 2.5, true));
    }

    @Test
    void starts_the_fake_on_the_given_port_answering_with_the_printed_key() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (FakeVastServer fake = FakeVastCommand.start(new FakeVastCommand.Options(port, 1, true))) {
            HttpResponse<String> list = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v0/instances/"))
                            .header("Authorization", "Bearer " + fake.apiKey()).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(fake.baseUrl()).isEqualTo("http://127.0.0.1:" + port);
            assertThat(list.statusCode()).isEqualTo(200);
            assertThat(list.body()).contains("\"instances\"");
        }
    }

    @Test
    void a_port_in_use_is_a_clear_error() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> FakeVastCommand.start(new FakeVastCommand.Options(taken.getLocalPort(), 1, false)))
                    .hasMessageContaining("cannot start the fake Vast server");
        }
    }
}
