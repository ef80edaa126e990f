package dev.autoscaler.core.http;

import static dev.autoscaler.core.http.HttpHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A seeded storm of malformed bodies (byte damage, wrong types, NaN and huge numbers, deep nesting,
 * missing and unknown fields, bad query escapes) at every POST endpoint: none may get a 5xx or a
 * non-JSON error, and the engine must route correctly afterwards.
 */
@DisplayName("malformed input never yields a 5xx")
class MalformedInputTest {
    static final int PER_ENDPOINT = 10_000;
    static final long SEED = 20260101L;

    static final Map<String, List<String>> VALID = Map.of(
            "/route/", List.of(
                    "{\"endpoint\": \"llm\", \"api_key\": \"key-1\", \"cost\": 242.0, \"request_idx\": 0, \"replay_timeout\": 60.0}",
                    "{\"endpoint\": \"llm\", \"api_key\": \"key-1\", \"cost\": 100}"),
            "/worker_status/", List.of(
                    "{\"id\": 101, \"mtoken\": \"tok-101\", \"version\": \"0.4\", \"url\": \"http://10.0.0.1:4001\", "
                            + "\"loadtime\": 12.5, \"cur_load\": 10, \"new_load\": 5.5, \"rej_load\": 0, \"cur_perf\": 3, "
                            + "\"max_perf\": 120.5, \"error_msg\": \"\", \"num_requests_working\": 1, "
                            + "\"num_requests_recieved\": 7, \"working_request_idxs\": [1, 2], "
                            + "\"additional_disk_usage\": -0.5, \"cur_capacity\": 0, \"max_capacity\": 0}",
                    "{\"id\": 101, \"mtoken\": \"tok-101\", \"version\": \"0.4\", \"error_msg\": \"boom\", \"url\": \"\"}"),
            "/delete_requests/", List.of(
                    "{\"worker_id\": 101, \"mtoken\": \"tok-101\", \"request_idxs\": [1, 2, 3], \"success\": true}",
                    "{\"worker_id\": 101, \"mtoken\": \"tok-101\", \"requests\": [{\"request_idx\": 1, \"success\": true, "
                            + "\"status\": \"Success\", \"entered_queue_at\": 1.7e9, \"work_started_at\": 1.7e9, "
                            + "\"work_completed_at\": 1.7e9}]}"),
            "/get_endpoint_workers/", List.of("{\"endpoint\": \"llm\", \"api_key\": \"key-1\"}"));

    static final String[] WEIRD_VALUES = {
        "null", "true", "false", "\"\"", "\"text\"", "-1", "0", "-0.0", "0.5", "NaN", "Infinity", "-Infinity",
        "1e999", "-1e999", "123456789012345678901234567890", "9223372036854775808", "[]", "{}", "[1, \"a\", null]",
        "{\"a\": {\"b\": []}}", "\"\\ud800\"", "\"\\u0000\"", "\"" + "w".repeat(5000) + "\"", "[" + "1,".repeat(2000) + "1]",
        "[".repeat(3000) + "]".repeat(3000), "1.7976931348623157e308", "4.9e-324", "\"101\"", "\"-5\"",
    };

    static final String[] WHOLE_BODIES = {
        "", " ", "null", "[]", "123", "\"str\"", "{", "}", "{}", "{\"a\":", "[".repeat(100_000), "{\"x\": NaN}",
        "\u0000\u0001\u0002", "{\"endpoint\": \"llm\"}{\"endpoint\": \"llm\"}", "{'endpoint': 'llm'}",
        "{\"endpoint\": \"llm\", \"endpoint\": 5}", "\uFEFF{\"endpoint\": \"llm\"}",
    };

    static final String[] FIELDS = {
        "endpoint", "api_key", "cost", "request_idx", "replay_timeout", "id", "mtoken", "version", "url", "loadtime",
        "cur_load", "new_load", "rej_load", "cur_perf", "max_perf", "error_msg", "num_requests_working",
        "num_requests_recieved", "working_request_idxs", "additional_disk_usage", "cur_capacity", "max_capacity",
        "worker_id", "request_idxs", "success", "requests", "unknown_field",
    };

    static final String[] QUERIES = {"", "?api_key=key-1", "?api_key=%E9%28", "?api_key=%25zz", "?api_key", "?&&=&", "?api_key=key-1&api_key=x"};

    @Test
    void ten_thousand_malformed_bodies_per_endpoint_get_no_5xx_and_routing_still_works() throws Exception {
        try (HttpHarness http = new HttpHarness(2)) {
            http.h.scaleTo(2);
            SplittableRandom random = new SplittableRandom(SEED);
            Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
            List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            Semaphore inFlight = new Semaphore(16);
            List<CompletableFuture<?>> pending = new ArrayList<>();
            for (String path : new TreeMap<>(VALID).keySet()) {
                for (int i = 0; i < PER_ENDPOINT; i++) {
                    String body = malformed(random, VALID.get(path).get(random.nextInt(VALID.get(path).size())));
                    String query = QUERIES[random.nextInt(QUERIES.length)];
                    byte[] bytes = random.nextInt(20) == 0 ? damageBytes(random, body.getBytes(StandardCharsets.UTF_8))
                            : body.getBytes(StandardCharsets.UTF_8);
                    HttpRequest request = HttpRequest.newBuilder(http.uri(path + query))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                            .header("Authorization", random.nextBoolean() ? "Bearer key-1" : "Bearer \u00e9\u00e9").build();
                    inFlight.acquire();
                    pending.add(http.client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                            .whenComplete((response, error) -> {
                                inFlight.release();
                                if (error != null) {
                                    failures.add(path + ": " + error);
                                    return;
                                }
                                statuses.computeIfAbsent(response.statusCode(), s -> new AtomicInteger()).incrementAndGet();
                                if (response.statusCode() >= 500 || !isJson(response.body())) {
                                    failures.add(path + " " + response.statusCode() + " for " + abbreviate(body)
                                            + " -> " + abbreviate(response.body()));
                                }
                            }));
                }
            }
            CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0])).exceptionally(e -> null).join();

            assertThat(failures).isEmpty();
            assertThat(statuses.keySet()).allMatch(s -> s < 500);
            assertThat(statuses.values().stream().mapToInt(AtomicInteger::get).sum()).isEqualTo(4 * PER_ENDPOINT);
            assertThat(statuses).containsKeys(200, 400, 401);

            // afterwards: a clean worker reports ready and a route gets a verifiable ticket
            assertThat(http.post("/worker_status/", "{\"id\": 102, \"mtoken\": \"tok-102\", \"max_perf\": 100}")
                    .statusCode()).isEqualTo(200);
            HttpResponse<String> routed = http.post("/route/", "{\"endpoint\": \"llm\", \"api_key\": \"key-1\", \"cost\": 1}");
            JsonNode answer = json(routed);
            assertThat(routed.statusCode()).isEqualTo(200);
            assertThat(answer.get("url").asText()).startsWith("http://10.0.0.1:400");
            assertThat(AutoscalerHttpServerTest.verifies(http.get("/pubkey/").body(), answer.get("url").asText(),
                    answer.get("signature").asText())).isTrue();
        }
    }

    static String malformed(SplittableRandom random, String valid) {
        switch (random.nextInt(6)) {
            case 0:
                return WHOLE_BODIES[random.nextInt(WHOLE_BODIES.length)];
            case 1: { // a field gets a weird value (replacing it, or added)
                String field = FIELDS[random.nextInt(FIELDS.length)];
                String value = WEIRD_VALUES[random.nextInt(WEIRD_VALUES.length)];
                String stripped = valid.replaceFirst("\"" + field + "\": (\\[[^\\]]*\\]|\"[^\"]*\"|[^,}]*)(, )?", "");
                stripped = stripped.replace(", }", "}").replace("{, ", "{");
                return stripped.substring(0, stripped.length() - 1) + (stripped.length() > 2 ? ", " : "")
                        + "\"" + field + "\": " + value + "}";
            }
            case 2: { // a field goes missing
                String field = FIELDS[random.nextInt(FIELDS.length)];
                return valid.replaceFirst("\"" + field + "\": (\\[[^\\]]*\\]|\"[^\"]*\"|[^,}]*)(, )?", "");
            }
            case 3: { // characters deleted
                int from = random.nextInt(valid.length());
                int to = Math.min(valid.length(), from + 1 + random.nextInt(8));
                return valid.substring(0, from) + valid.substring(to);
            }
            case 4: { // characters inserted
                int at = random.nextInt(valid.length() + 1);
                String alphabet = "{}[]\",:0-e.\\nNaI\u00e9\u0000 ";
                String junk = alphabet.charAt(random.nextInt(alphabet.length())) + "";
                return valid.substring(0, at) + junk.repeat(1 + random.nextInt(3)) + valid.substring(at);
            }
            default: { // truncated
                return valid.substring(0, random.nextInt(valid.length()));
            }
        }
    }

    static byte[] damageBytes(SplittableRandom random, byte[] body) {
        byte[] copy = body.clone();
        for (int i = 0; i < 1 + random.nextInt(4) && copy.length > 0; i++) {
            copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
        }
        return copy;
    }

    static boolean isJson(String body) {
        try {
            HttpHarness.JSON.readTree(body);
            return !body.isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
