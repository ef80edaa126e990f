package dev.autoscaler.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} as a real process, killed with SIGKILL while admin changes are in flight, then
 * started again on the same config: every change that was answered 2xx is there.
 */
@DisplayName("serve killed with SIGKILL in the middle of admin changes loses none that it acknowledged")
class ServeKilledMidChangeTest {
    static final String ADMIN = "admin-key-0123456789";
    static final Pattern SERVING = Pattern.compile("serving \\d+ endpoint\\(s\\) on (http://127\\.0\\.0\\.1:\\d+)");
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final ObjectMapper json = new ObjectMapper();

    record Serve(Process process, String baseUrl) {
    }

    Serve start(Path config) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ServeCommand.class.getName(),
                "--config", config.toString()).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        List<String> seen = new ArrayList<>();
        String line;
        while ((line = out.readLine()) != null) {
            seen.add(line);
            Matcher m = SERVING.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "serve-output");
                drain.setDaemon(true);
                drain.start();
                return new Serve(p, m.group(1));
            }
        }
        throw new AssertionError("serve exited before serving: " + String.join("\n", seen));
    }

    CompletableFuture<HttpResponse<String>> createEndpoint(Serve s, String name) {
        String body = "{\"endpoint_name\": \"" + name + "\", \"cold_workers\": 0, \"groups\": [{\"group_name\": \"g\"}]}";
        return client.sendAsync(HttpRequest.newBuilder(URI.create(s.baseUrl() + "/admin/endpoints/"))
                .header("Authorization", "Bearer " + ADMIN).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    Set<String> endpoints(Serve s) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(s.baseUrl() + "/admin/endpoints/"))
                .header("Authorization", "Bearer " + ADMIN).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        Set<String> names = new HashSet<>();
        for (JsonNode e : json.readTree(r.body()).get("endpoints")) {
            names.add(e.get("endpoint_name").asText());
        }
        return names;
    }

    @Test
    void everyAcknowledgedChangeSurvives(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("serve.json");
        Files.writeString(config, AdminChangesSurviveRestartTest.config(dir));
        Random random = new Random(42);
        Set<String> acknowledged = new HashSet<>();
        int next = 0;
        for (int round = 0; round < 4; round++) {
            Serve serve = start(config);
            try {
                assertThat(endpoints(serve)).as("round " + round + ": every change answered 2xx before the kill")
                        .containsAll(acknowledged);
                // a few changes answered, then more in flight when the process is killed
                int answered = random.nextInt(4);
                for (int i = 0; i < answered; i++) {
                    String name = "e" + next++;
                    assertThat(createEndpoint(serve, name).get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(201);
                    acknowledged.add(name);
                }
                List<String> names = new ArrayList<>();
                List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
                for (int i = 0; i < 1 + random.nextInt(6); i++) {
                    String name = "e" + next++;
                    names.add(name);
                    inFlight.add(createEndpoint(serve, name));
                }
                serve.process().destroyForcibly(); // SIGKILL
                serve.process().waitFor(30, TimeUnit.SECONDS);
                for (int i = 0; i < inFlight.size(); i++) {
                    try {
                        if (inFlight.get(i).get(30, TimeUnit.SECONDS).statusCode() == 201) {
                            acknowledged.add(names.get(i)); // answered before the kill: it must survive too
                        }
                    } catch (java.util.concurrent.ExecutionException lostWithTheProcess) {
                        // not answered: it may or may not have been kept
                    }
                }
            } finally {
                serve.process().destroyForcibly();
            }
        }
        Serve last = start(config);
        try {
            assertThat(endpoints(last)).containsAll(acknowledged);
        } finally {
            last.process().destroyForcibly();
            last.process().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
