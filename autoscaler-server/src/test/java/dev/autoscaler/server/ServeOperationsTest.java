package dev.autoscaler.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator of {@code serve} reads, over real HTTP: {@code /metrics}, {@code /healthz},
 * {@code /readyz}, {@code /decisions/}, the decision log and {@code status}. The tick is run by hand
 * (the scheduled one is 5 s away), so nothing here waits.
 */
@DisplayName("serve's metrics, probes, decision history, decision log and the status command")
class ServeOperationsTest {
    private final HttpClient client = HttpClient.newHttpClient();

    private ServerConfig config(Path dir, boolean metrics) {
        return new ServerConfigLoader(Map.<String, String>of()::get).parseJson("""
                {
                  "listen": "127.0.0.1:0",
                  "public_url": "http://127.0.0.1:1",
                  "api_keys": ["client-key"],
                  "engine_secret": "a-secret-of-enough-bytes",
                  "rsa_key_file": "%s",
                  "state_dir": "%s",
                  "metrics": %s,
                  "provider": {"name": "static", "settings": {"workers": [{"id": 1, "mtoken": "m1", "url": "http://127.0.0.1:9"}]}},
                  "endpoints": [{"endpoint_name": "llm", "cold_workers": 0, "policy": "fixed", "policy_params": {"active": 1},
                                 "groups": [{"group_name": "main"}]}]
                }
                """.formatted(dir.resolve("rsa.pem"), dir.resolve("state"), metrics));
    }

    private HttpResponse<String> get(String url, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @DisplayName("/metrics, /healthz, /readyz and /decisions/ answer with live values; each decision is one log line")
    void operations(@TempDir Path dir) throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        try (ConfiguredServer server = ConfiguredServer.start(config(dir, true), new DecisionLog(DecisionLog.Format.TEXT, lines::add))) {
            String base = server.baseUrl();
            server.engine().tick(); // creates the one worker the fixed policy asks for
            server.engine().tick(); // a hold

            HttpResponse<String> metrics = get(base + "/metrics", null);
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type")).hasValue(ConfiguredServer.PROMETHEUS_TEXT);
            assertThat(metrics.body())
                    .contains("autoscaler_target_workers{endpoint=\"llm\",group=\"main\",kind=\"active\"} 1.0")
                    .contains("autoscaler_decisions_total{endpoint=\"llm\",kind=\"change\"} 1.0")
                    .contains("autoscaler_decisions_total{endpoint=\"llm\",kind=\"hold\"} 1.0");
            // the create runs on the provider threads: the worker is creating or loading by now, counted once
            assertThat(metrics.body().lines().filter(l -> l.startsWith("autoscaler_workers{endpoint=\"llm\""))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum()).isEqualTo(1.0);

            assertThat(get(base + "/healthz", null).statusCode()).isEqualTo(200);
            HttpResponse<String> ready = get(base + "/readyz", null);
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            assertThat(ready.body()).doesNotContain("client-key").doesNotContain("secret");

            assertThat(get(base + "/decisions/?endpoint=llm", null).statusCode()).isEqualTo(401);
            JsonNode decisions = new ObjectMapper().readTree(get(base + "/decisions/?endpoint=llm", "client-key").body());
            assertThat(decisions.path("decisions").get(0).path("changed").asBoolean()).isTrue();
            assertThat(decisions.path("decisions").get(0).path("reason").asText()).contains("fixed");

            assertThat(lines).hasSize(1); // the hold says the same as the change: one line
            assertThat(lines.get(0)).startsWith("decision endpoint=llm changed=true targets=main:1+0 reason=\"");

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int status = new StatusCommand().run(new String[] {"--url", base, "--key", "client-key"},
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));
            String shown = out.toString(StandardCharsets.UTF_8);
            assertThat(status).as(shown).isZero();
            assertThat(shown).contains(base + ": ready").contains("endpoint llm: active, policy fixed")
                    .containsPattern("group main: target 1 active \\+ 0 cold; workers: 1 (creating|loading)")
                    .contains("last decisions:").contains(" change [main 1+0]");
        }
    }

    @Test
    @DisplayName("metrics: false turns /metrics off")
    void metricsOff(@TempDir Path dir) throws Exception {
        try (ConfiguredServer server = ConfiguredServer.start(config(dir, false))) {
            assertThat(get(server.baseUrl() + "/metrics", null).statusCode()).isEqualTo(404);
        }
    }

    @Test
    @DisplayName("the JSON decision log writes one object per line")
    void jsonLines() throws Exception {
        DecisionLog log = new DecisionLog(DecisionLog.Format.JSON, s -> { });
        String line = log.json(new dev.autoscaler.AutoscalerEvent.TickCompleted(java.time.Instant.parse("2026-12-04T17:00:00Z"),
                "llm", null, Map.of("main", new dev.autoscaler.GroupTarget(2, 1)), "held: \"stale\"", false));
        JsonNode parsed = new ObjectMapper().readTree(line);
        assertThat(line).doesNotContain("\n");
        assertThat(parsed.path("ts").asText()).isEqualTo("2026-12-04T17:00:00Z");
        assertThat(parsed.path("level").asText()).isEqualTo("INFO");
        assertThat(parsed.path("targets").path("main").path("cold").asInt()).isEqualTo(1);
        assertThat(parsed.path("reason").asText()).isEqualTo("held: \"stale\"");
        assertThat(DecisionLog.value("a b \"c\"")).isEqualTo("\"a b \\\"c\\\"\"");
    }
}
