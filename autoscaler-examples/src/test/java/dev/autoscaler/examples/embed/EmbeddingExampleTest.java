package dev.autoscaler.examples.embed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoscaler.ManualClock;
import dev.autoscaler.vast.fake.FakeVastServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The README's embedding sample compiles, runs, and is what the README shows")
class EmbeddingExampleTest {

    @Test
    @DisplayName("the README shows exactly the sample's code")
    void readmeMatchesTheSample() throws Exception {
        String source = Files.readString(Path.of("src/test/java/dev/autoscaler/examples/embed/EmbeddingExample.java"));
        String body = source.substring(source.indexOf("// README:begin") + "// README:begin".length(),
                source.indexOf("        // README:end"));
        String readme = Files.readString(Path.of("../README.md"));
        for (String line : body.strip().lines().map(String::strip).toList()) {
            assertThat(readme).as("README line").contains(line);
        }
    }

    @Test
    @DisplayName("the sample serves /pubkey/ and starts the engine against the fake Vast API")
    void sampleRuns(@TempDir Path dir) throws Exception {
        FakeVastServer vast = FakeVastServer.builder(new ManualClock()).start();
        EmbeddingExample sample = new EmbeddingExample(vast.apiKey(), vast.baseUrl(), "http://127.0.0.1:0",
                "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8), dir.resolve("rsa.pem"), 0);
        try {
            HttpResponse<String> pubkey = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(sample.http.baseUrl() + "/pubkey/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(pubkey.statusCode()).isEqualTo(200);
            assertThat(pubkey.body()).startsWith("-----BEGIN PUBLIC KEY-----");
            assertThat(sample.engine.endpointNames()).containsExactly("llama");
            assertThat(Files.exists(dir.resolve("rsa.pem"))).isTrue();
        } finally {
            sample.close();
            vast.close();
        }
    }
}
