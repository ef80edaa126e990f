package dev.autoscaler.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code autoscaler status --url URL [--key KEY]}: what a running {@code serve} is doing, read over
 * HTTP: readiness ({@code /readyz}), each endpoint with its targets, its groups with workers by state,
 * ready capacity, load and $/h ({@code /dashboard/state.json}, no key), and its last decisions with
 * their reasons ({@code /decisions/}, with an endpoint's API key or the admin key). Exit status 0
 * when the server is ready, 1 when it is not or cannot be reached.
 */
public final class StatusCommand {
    /** Decisions shown per endpoint. */
    static final int DECISIONS = 5;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Runs; returns the exit status. @throws ServeCommand.UsageError for a bad command line */
    public int run(String[] args, PrintStream out, PrintStream err) {
        String url = null;
        String key = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--url") && i + 1 < args.length) {
                url = args[++i];
            } else if (args[i].startsWith("--url=")) {
                url = args[i].substring("--url=".length());
            } else if (args[i].equals("--key") && i + 1 < args.length) {
                key = args[++i];
            } else if (args[i].startsWith("--key=")) {
                key = args[i].substring("--key=".length());
            } else {
                throw new ServeCommand.UsageError("unknown option '" + args[i] + "'");
            }
        }
        if (url == null) {
            throw new ServeCommand.UsageError("--url URL is required, e.g. --url http://127.0.0.1:8080");
        }
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw new ServeCommand.UsageError("--url must start with http:// or https://, got '" + url + "'");
        }
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        try {
            return status(url, key, out, err);
        } catch (IOException e) {
            String why = e.getMessage() != null ? e.getMessage()
                    : e instanceof java.net.ConnectException ? "connection refused" : e.getClass().getSimpleName();
            err.println("status: cannot reach " + url + ": " + why);
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private int status(String url, String key, PrintStream out, PrintStream err) throws IOException, InterruptedException {
        HttpResponse<String> ready = get(url + "/readyz", null);
        JsonNode readiness = parse(ready);
        boolean isReady = ready.statusCode() == 200;
        List<String> checks = new ArrayList<>();
        readiness.path("checks").fields().forEachRemaining(c -> checks.add(c.getKey() + " " + c.getValue().asText()));
        out.println(url + ": " + (isReady ? "ready" : "NOT READY (HTTP " + ready.statusCode() + ")")
                + (checks.isEmpty() ? "" : " (" + String.join(", ", checks) + ")"));

        HttpResponse<String> stateResponse = get(url + "/dashboard/state.json", null);
        if (stateResponse.statusCode() == 404) {
            err.println("status: " + url + " serves no dashboard (dashboard: false); endpoints and workers are not shown");
            return isReady ? 0 : 1;
        }
        JsonNode state = parse(stateResponse);
        for (JsonNode e : state.path("endpoints")) {
            String name = e.path("name").asText();
            out.println();
            out.printf(Locale.ROOT, "endpoint %s: %s, policy %s, max_workers %d%n", name, e.path("state").asText(),
                    e.path("policy").asText(), e.path("max_workers").asInt());
            for (JsonNode g : state.path("groups")) {
                if (!g.path("endpoint").asText().equals(name)) {
                    continue;
                }
                String group = g.path("name").asText();
                Map<String, Integer> byState = new LinkedHashMap<>();
                for (JsonNode w : state.path("workers")) {
                    if (w.path("endpoint").asText().equals(name) && w.path("group").asText().equals(group)) {
                        byState.merge(w.path("state").asText(), 1, Integer::sum);
                    }
                }
                List<String> states = new ArrayList<>();
                byState.entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .forEach(s -> states.add(s.getValue() + " " + s.getKey()));
                out.printf(Locale.ROOT, "  group %s: target %d active + %d cold; workers: %s%n", group,
                        g.path("target_active").asInt(), g.path("target_cold").asInt(),
                        states.isEmpty() ? "none" : String.join(", ", states));
                out.printf(Locale.ROOT, "    ready capacity %.0f perf units/s, load in flight %.0f perf units, %.2f $/h%n",
                        g.path("ready_perf").asDouble(), g.path("cur_load").asDouble(), g.path("price_per_hour").asDouble());
            }
            decisions(url, key, name, e, out);
        }
        return isReady ? 0 : 1;
    }

    private void decisions(String url, String key, String endpoint, JsonNode summary, PrintStream out)
            throws IOException, InterruptedException {
        if (key == null) {
            out.println("  last decision: " + summary.path("last_decision_reason").asText()
                    + "  (--key KEY shows the last " + DECISIONS + ")");
            return;
        }
        HttpResponse<String> r = get(url + "/decisions/?endpoint=" + URLEncoder.encode(endpoint, StandardCharsets.UTF_8), key);
        if (r.statusCode() != 200) {
            out.println("  decisions: HTTP " + r.statusCode() + (r.statusCode() == 401 ? " (the key is not this endpoint's or the admin key)" : ""));
            return;
        }
        JsonNode all = parse(r).path("decisions");
        out.println("  last decisions:");
        for (int i = Math.max(0, all.size() - DECISIONS); i < all.size(); i++) {
            JsonNode d = all.get(i);
            List<String> targets = new ArrayList<>();
            d.path("targets").fields().forEachRemaining(t -> targets.add(t.getKey() + " " + t.getValue().path("active").asInt()
                    + "+" + t.getValue().path("cold").asInt()));
            String repeat = d.path("count").asInt() > 1
                    ? " (x" + d.path("count").asInt() + " until " + seconds(d.path("last_at").asText()) + ")" : "";
            out.printf(Locale.ROOT, "    %s %s [%s]%s: %s%n", seconds(d.path("at").asText()), d.path("changed").asBoolean() ? "change" : "hold",
                    String.join(", ", targets), repeat, d.path("reason").asText());
        }
    }

    /** An ISO instant to the second ({@code 2026-12-04T18:15:22Z}): the decisions' nanoseconds are noise here. */
    private static String seconds(String instant) {
        try {
            return java.time.Instant.parse(instant).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        } catch (java.time.format.DateTimeParseException e) {
            return instant;
        }
    }

    private HttpResponse<String> get(String url, String key) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET();
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode parse(HttpResponse<String> r) throws IOException {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IOException(r.uri() + " answered HTTP " + r.statusCode() + " with no JSON (is it an autoscaler?)", e);
        }
    }

    /** The usage lines, indented by two spaces. */
    public String usage() {
        return "  status --url URL [--key KEY]\n"
                + "      a running serve: readiness, endpoints, groups, workers by state, last decisions (KEY: an\n"
                + "      endpoint's API key or the admin key, for the decisions)\n";
    }
}
