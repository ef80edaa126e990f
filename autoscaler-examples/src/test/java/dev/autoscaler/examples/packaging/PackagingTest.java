package dev.autoscaler.examples.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autoscaler.Clock;
import dev.autoscaler.vast.fake.FakeVastServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaging of {@code serve}: the systemd unit and the Dockerfile start the same command line,
 * and that command line, run as a real process with the packaged config and the packaged
 * environment file's variables (paths adapted to this machine, the provider pointed at a fake Vast
 * API), serves on loopback. Docker and systemd themselves are not needed.
 */
@DisplayName("packaging: the systemd unit and the Dockerfile run the same serve command, and it serves")
class PackagingTest {
    private static final Path REPOSITORY = Path.of("..");
    private static final Path UNIT = REPOSITORY.resolve("packaging/autoscaler.service");
    private static final Path DOCKERFILE = REPOSITORY.resolve("Dockerfile");
    private static final Path CONFIG = REPOSITORY.resolve("packaging/autoscaler.yaml");
    private static final Path ENV_FILE = REPOSITORY.resolve("packaging/autoscaler.env");
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newHttpClient();
    private FakeVastServer fake;
    private Process serve;

    @AfterEach
    void stop() throws InterruptedException {
        if (serve != null && serve.isAlive()) {
            serve.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (fake != null) {
            fake.close();
        }
    }

    /** ExecStart= of the unit, split as systemd splits it (whitespace, double quotes). */
    static List<String> execStart(Path unit) throws IOException {
        List<String> lines = Files.readAllLines(unit).stream().filter(l -> l.startsWith("ExecStart=")).toList();
        assertThat(lines).as("ExecStart lines of " + unit).hasSize(1);
        String command = lines.get(0).substring("ExecStart=".length()).replaceFirst("^[-@:+!]+", "");
        List<String> words = new ArrayList<>();
        Matcher m = Pattern.compile("\"([^\"]*)\"|(\\S+)").matcher(command);
        while (m.find()) {
            words.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return words;
    }

    /** The last stage's ENTRYPOINT followed by its CMD, both in exec (JSON array) form. */
    static List<String> entrypoint(Path dockerfile) throws IOException {
        String text = Files.readString(dockerfile).replace("\\\n", " ");
        String lastStage = text.substring(text.lastIndexOf("\nFROM "));
        List<String> command = new ArrayList<>(instruction(lastStage, "ENTRYPOINT"));
        assertThat(command).as("the Dockerfile's ENTRYPOINT, in exec form").isNotEmpty();
        command.addAll(instruction(lastStage, "CMD"));
        return command;
    }

    private static List<String> instruction(String stage, String name) throws IOException {
        Matcher m = Pattern.compile("(?m)^" + name + "\\s+(\\[.*])\\s*$").matcher(stage);
        List<String> found = List.of();
        while (m.find()) {
            found = Arrays.asList(new ObjectMapper().readValue(m.group(1), String[].class)); // the last one counts
        }
        return found;
    }

    @Test
    @DisplayName("ExecStart and ENTRYPOINT are the same command line, on the jar the image installs")
    void sameCommandLine() throws IOException {
        List<String> unit = execStart(UNIT);
        assertThat(unit).isEqualTo(entrypoint(DOCKERFILE));
        assertThat(unit).containsSubsequence("-jar", "/opt/autoscaler/autoscaler.jar", "serve", "--config");
        assertThat(Files.readString(DOCKERFILE)).contains("/opt/autoscaler/autoscaler.jar\n")
                .contains("COPY packaging/autoscaler.yaml " + unit.get(unit.indexOf("--config") + 1));
        assertThat(Files.readString(UNIT)).contains("EnvironmentFile=/etc/autoscaler/autoscaler.env")
                .contains("User=autoscaler");
        assertThat(Files.readString(DOCKERFILE)).containsPattern("(?m)^USER autoscaler$");
    }

    @Test
    @DisplayName("the environment file names every variable the packaged config reads")
    void envFileCoversTheConfig() throws IOException {
        Set<String> fromConfig = new TreeSet<>();
        Matcher m = Pattern.compile("_env:\\s*([A-Z_][A-Z0-9_]*)").matcher(Files.readString(CONFIG));
        while (m.find()) {
            fromConfig.add(m.group(1));
        }
        fromConfig.add("VAST_API_KEY"); // the vast provider's key, read from the environment by default
        assertThat(envFileNames()).containsExactlyInAnyOrderElementsOf(fromConfig);
    }

    @Test
    @DisplayName("that command line, with the packaged config and secrets from the env file, answers on loopback")
    void serveStartsFromThePackagedCommandLine(@TempDir Path dir) throws Exception {
        fake = FakeVastServer.builder(Clock.system()).rateLimits(false).start();
        int port = freePort();
        Path state = Files.createDirectories(dir.resolve("state"));
        Path config = dir.resolve("autoscaler.yaml");
        Files.writeString(config, Files.readString(CONFIG)
                .replace("listen: 0.0.0.0:8080", "listen: 127.0.0.1:" + port)
                .replace("public_url: https://autoscaler.example.com", "public_url: http://127.0.0.1:" + port)
                .replace("/var/lib/autoscaler/", state + "/")
                .replace("https://console.vast.ai", fake.baseUrl()));
        assertThat(Files.readString(config)).as("adapted config").doesNotContain("/var/lib/", "example.com", "console.vast.ai");

        List<String> command = adapt(execStart(UNIT), config);
        Map<String, String> secrets = new LinkedHashMap<>();
        for (String name : envFileNames()) {
            secrets.put(name, switch (name) {
                case "VAST_API_KEY" -> fake.apiKey();
                case "AUTOSCALER_API_KEYS" -> "client-key,other-key";
                default -> name.toLowerCase() + "-0123456789abcdef";
            });
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(secrets);
        serve = builder.start();
        BlockingQueue<String> output = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    output.add(line);
                }
            } catch (IOException ignored) {
                // the process went away
            }
        }, "serve-output");
        reader.setDaemon(true);
        reader.start();

        String base = "http://127.0.0.1:" + port;
        List<String> seen = new ArrayList<>();
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (seen.stream().noneMatch(l -> l.startsWith("autoscaler: serving"))) {
            String line = output.poll(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertThat(line).as("serve printed its address within %d s; it printed %s", DEADLINE.toSeconds(), seen).isNotNull();
            seen.add(line);
        }
        assertThat(seen.get(seen.size() - 1)).contains(base);

        HttpResponse<String> pubkey = http.send(HttpRequest.newBuilder(URI.create(base + "/pubkey/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(pubkey.statusCode()).isEqualTo(200);
        assertThat(pubkey.body()).startsWith("-----BEGIN PUBLIC KEY-----");
        assertThat(state.resolve("rsa.pem")).as("the RSA key is kept in the state directory").exists();

        // the client keys came from AUTOSCALER_API_KEYS: the second one routes
        HttpResponse<String> route = http.send(HttpRequest.newBuilder(URI.create(base + "/route/"))
                .header("Authorization", "Bearer other-key")
                .POST(HttpRequest.BodyPublishers.ofString("{\"endpoint\": \"llama\", \"cost\": 0}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(route.statusCode()).as(route.body()).isEqualTo(200);
        assertThat(route.body()).contains("\"request_idx\"");

        // the admin key came from AUTOSCALER_ADMIN_KEY
        HttpResponse<String> admin = http.send(HttpRequest.newBuilder(URI.create(base + "/admin/endpoints"))
                .header("Authorization", "Bearer " + secrets.get("AUTOSCALER_ADMIN_KEY")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(admin.statusCode()).as(admin.body()).isEqualTo(200);
        assertThat(admin.body()).contains("llama").doesNotContain(secrets.get("AUTOSCALER_ADMIN_KEY"));

        // SIGTERM, as systemd and docker stop send it: a clean exit, 0 or the 143 the unit accepts
        serve.destroy();
        assertThat(serve.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("serve stops on SIGTERM").isTrue();
        assertThat(serve.exitValue()).isIn(0, 143);
    }

    /**
     * The packaged command line made runnable here: this JVM's java, the test class path and the
     * executable jar's main class instead of the installed jar, and the adapted config.
     */
    private static List<String> adapt(List<String> packaged, Path config) throws IOException {
        List<String> command = new ArrayList<>();
        for (int i = 0; i < packaged.size(); i++) {
            String word = packaged.get(i);
            if (i == 0) {
                assertThat(Path.of(word).getFileName().toString()).isEqualTo("java");
                command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            } else if (word.equals("-jar")) {
                command.add("-cp");
                command.add(System.getProperty("java.class.path"));
                command.add(jarMainClass());
                i++; // the jar's path
            } else if (word.equals("/etc/autoscaler/autoscaler.yaml")) {
                command.add(config.toString());
            } else {
                command.add(word);
            }
        }
        return command;
    }

    /** The Main-Class the shade plugin writes into autoscaler.jar. */
    private static String jarMainClass() throws IOException {
        Matcher m = Pattern.compile("<mainClass>([^<]+)</mainClass>").matcher(Files.readString(Path.of("pom.xml")));
        assertThat(m.find()).as("a mainClass in autoscaler-examples' pom").isTrue();
        return m.group(1);
    }

    private static List<String> envFileNames() throws IOException {
        return Files.readAllLines(ENV_FILE).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#"))
                .map(l -> l.substring(0, l.indexOf('=')).trim())
                .toList();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
