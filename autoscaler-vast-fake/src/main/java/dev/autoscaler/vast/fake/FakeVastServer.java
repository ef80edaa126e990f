package dev.autoscaler.vast.fake;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.autoscaler.Clock;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stateful fake of the Vast.ai REST API, served over real HTTP on loopback, for tests and demos
 * of the {@code vast} provider without renting anything.
 *
 * <p>It serves the calls the provider makes (search offers, create, v1 and legacy list, start,
 * stop, label, reboot, destroy) with Vast's answer shapes, over a market of offers of several GPU
 * types and an account whose instances go through a lifecycle on the injected {@link Clock}:
 * {@code null} (provisioning) then {@code loading} for a boot delay, {@code running} with mapped
 * ports, {@code stopped}, {@code rebooting}, {@code exited}. It enforces Vast's rate limits per API
 * path (429 with no Retry-After when calls come closer than the path's interval; in
 * {@linkplain #strictRateLimits strict mode} with Retry-After, the path closed until then, and every
 * call that comes sooner counted) and has faults a
 * test can switch on: error statuses for a number of calls or for a while, calls that are never
 * answered, creates that succeed but drop their answer, instances stuck loading, instances that
 * turn {@code exited}, resumes that stall waiting for their GPU, a missing v1 list, and
 * {@linkplain #randomFaults random faults} on a fraction of all calls (500s, timeouts, lost answers).
 * It keeps the {@linkplain #peakInstances peak} number of instances per label, for tests of caps.
 *
 * <p>With a {@link dev.autoscaler.ManualClock} everything steps with the test: nothing happens
 * between two calls unless the clock moves.
 *
 * <p>Opt-in {@linkplain Builder#emulateWorkers() emulated workers}: every running instance whose
 * create carried {@code REPORT_ADDR} and {@code MASTER_TOKEN} gets a worker that reports to the
 * engine over real HTTP as Vast's worker library would ({@code max_perf} 0 while its model loads,
 * then its {@code max_perf} every report interval) and, by default, answers 200 to any HTTP request
 * on the instance's URL ({@code http://public_ipaddr:host port}). With it, an engine on this fake
 * scales up and down with nothing else running.
 *
 * <p>Starting one sets {@code sun.net.httpserver.nodelay=true} when unset (JDK 17's server otherwise
 * waits for the client's delayed ACK, about 40 ms per answer); loading the class sets nothing.
 */
public final class FakeVastServer implements AutoCloseable {

    /** The API paths, each with its own rate limit. */
    public enum Api { SEARCH, CREATE, LIST_V1, LIST_LEGACY, MANAGE, REBOOT, DESTROY }

    /** One call as the fake received it. */
    public record RecordedCall(Api api, String method, String path, String query, String body, int status) {
    }

    private static final Pattern ASK = Pattern.compile("^/api/v0/asks/(\\d+)/?$");
    private static final Pattern REBOOT_PATH = Pattern.compile("^/api/v0/instances/reboot/(\\d+)/?$");
    private static final Pattern INSTANCE = Pattern.compile("^/api/v0/instances/(\\d+)/?$");

    private final ObjectMapper json = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private final Clock clock;
    private final String apiKey;
    private final FakeVastAccount account;
    private final HttpServer server;
    private final ExecutorService executor;
    private final EmulatedWorkers workers;
    private final Map<Api, Long> intervals = new EnumMap<>(Api.class);
    private final Map<Api, Long> lastAccepted = new EnumMap<>(Api.class);
    private final List<Fault> faults = new ArrayList<>();
    private final List<HttpExchange> hung = new ArrayList<>();
    private final List<RecordedCall> calls = new ArrayList<>();
    private final AtomicInteger rateLimited = new AtomicInteger();
    private final AtomicInteger callsSoonerThanAsked = new AtomicInteger();
    /** Strict mode: per path, the time before which the last 429 asked the client not to call again. */
    private final Map<Api, Long> askedNotBefore = new EnumMap<>(Api.class);
    private boolean rateLimits;
    private Duration strictRetryAfter;
    private boolean v1Disabled;
    private int dropCreateAnswers;
    private int loseOffers;
    /** Random faults on every admitted call (null: off). */
    private RandomFaults randomFaults;

    private FakeVastServer(Builder b) throws IOException {
        this.clock = b.clock;
        this.apiKey = b.apiKey;
        this.account = new FakeVastAccount(b.clock, json,
                new FakeVastAccount.Timings(b.provisioning, b.boot, b.stop, b.start, b.reboot), b.publicIp);
        b.intervals.forEach((api, d) -> intervals.put(api, d.toNanos()));
        this.rateLimits = b.rateLimits;
        if (b.defaultOffers) {
            addDefaultOffers();
        }
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "fake-vast-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true"); // read when the server is created
        }
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), b.port), 64);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        this.workers = b.emulateWorkers ? new EmulatedWorkers(account, b.clock, new EmulatedWorkers.Settings(
                b.workerReportInterval, b.workerLoadTime, b.workerMaxPerf, b.workerHttp), json) : null;
    }

    public static Builder builder(Clock clock) {
        return new Builder(clock);
    }

    /** {@return {@code http://127.0.0.1:PORT}: give it to the provider as {@code base_url}} */
    public String baseUrl() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
    }

    public String apiKey() {
        return apiKey;
    }

    // ------------------------------------------------------------------ market and account

    /**
     * The default market: 8 RTX 3090 (24 GB, ~$0.25/h), 8 RTX 4090 (24 GB, ~$0.42/h), 4 A100 SXM4
     * (80 GB, ~$1.20/h) and 4 RTX 3060 (12 GB, ~$0.08/h), with slightly varied prices and reliability.
     */
    private void addDefaultOffers() {
        addOffers("RTX 3090", 8, 24, 0.25, 28.0);
        addOffers("RTX 4090", 8, 24, 0.42, 52.0);
        addOffers("A100 SXM4", 4, 80, 1.20, 75.0);
        addOffers("RTX 3060", 4, 12, 0.08, 10.0);
    }

    /** Adds {@code count} one-GPU offers of a type, prices and reliability varying a little; returns their ids. */
    public List<Long> addOffers(String gpuName, int count, int gpuRamGb, double dphTotal, double dlperf) {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            double price = Math.round((dphTotal * (1 + 0.02 * (i % 5))) * 10_000) / 10_000.0;
            double reliability = 0.99 - 0.005 * (i % 4);
            ids.add(account.addOffer(gpuName, 1, gpuRamGb, price, dlperf, reliability, i % 2 == 0 ? "Sweden, SE" : "Texas, US"));
        }
        return ids;
    }

    /** Adds one offer; returns its id. */
    public long addOffer(String gpuName, int numGpus, int gpuRamGb, double dphTotal, double dlperf, double reliability) {
        return account.addOffer(gpuName, numGpus, gpuRamGb, dphTotal, dlperf, reliability, "Sweden, SE");
    }

    /** Someone else rents this offer: creates on it now fail with 410. */
    public void withdrawOffer(long offerId) {
        account.withdrawOffer(offerId);
    }

    public List<Long> offerIds() {
        return account.offerIds();
    }

    public boolean isRentable(long offerId) {
        return account.isRentable(offerId);
    }

    /** {@return the account's instances, brought up to the clock's time} */
    public List<FakeInstance> instances() {
        return account.snapshots();
    }

    public Optional<FakeInstance> instance(long id) {
        return account.snapshot(id);
    }

    /** {@return an instance on the account that the engine did not make (running, with its own label)} */
    public long addForeignInstance(String label, String gpuName) {
        return account.addForeignInstance(label, gpuName);
    }

    // ------------------------------------------------------------------ faults

    /** The next {@code count} calls (to {@code apis}, or to any path when none given) answer {@code status}. */
    public synchronized void failNext(int count, int status, Api... apis) {
        faults.add(new Fault(apis, FaultKind.STATUS, status, count, Long.MAX_VALUE));
    }

    /** Calls (to {@code apis}, or any) answer {@code status} until the clock has moved {@code duration}. */
    public synchronized void failFor(Duration duration, int status, Api... apis) {
        faults.add(new Fault(apis, FaultKind.STATUS, status, -1, clock.nanoTime() + duration.toNanos()));
    }

    /** The next {@code count} calls (to {@code apis}, or any) get no answer at all: the client times out. */
    public synchronized void hangNext(int count, Api... apis) {
        faults.add(new Fault(apis, FaultKind.HANG, 0, count, Long.MAX_VALUE));
    }

    /** The next {@code count} creates succeed (the instance exists) but the connection closes before the answer. */
    public synchronized void dropNextCreateAnswers(int count) {
        dropCreateAnswers += count;
    }

    /**
     * From now on, each call that passes the rate limiter fails with probability {@code fraction},
     * drawn from a generator seeded with {@code seed} (so that one seed and one order of calls give
     * the same faults), in three equally likely ways:
     * <ul>
     *   <li><b>error</b>: 500, and the call did nothing;</li>
     *   <li><b>timeout</b>: the call took effect, but its answer came later than the client waits.
     *       The client's timeouts run on wall time, so instead of holding the answer the fake moves
     *       its clock by {@code timeout} (when it is a {@link dev.autoscaler.ManualClock}: the time
     *       the client would have waited) and answers 504 Gateway Timeout, which is what a client
     *       behind Vast's proxy sees when the backend is slow: the outcome is unknown;</li>
     *   <li><b>lost</b>: the call took effect (a create made its instance, a destroy destroyed) and
     *       the connection closes before the answer.</li>
     * </ul>
     * The explicit faults ({@link #failNext}, {@link #hangNext}, ...) and the rate limiter come first.
     * {@link #randomFaultCounts()} tells how many of each were injected. A {@code fraction} of 0 turns
     * them off.
     */
    public synchronized void randomFaults(long seed, double fraction, Duration timeout) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be in [0, 1], got " + fraction);
        }
        Objects.requireNonNull(timeout, "timeout");
        randomFaults = fraction == 0 ? null : new RandomFaults(new java.util.SplittableRandom(seed), fraction, timeout);
    }

    /** {@return how many random faults of each kind ("error", "timeout", "lost") were injected so far} */
    public synchronized Map<String, Integer> randomFaultCounts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (RandomFault kind : List.of(RandomFault.ERROR, RandomFault.TIMEOUT, RandomFault.LOST)) {
            counts.put(kind.name().toLowerCase(java.util.Locale.ROOT), randomFaults == null ? 0 : randomFaults.count(kind));
        }
        return counts;
    }

    /**
     * The most instances whose label {@code labels} accepts that existed at any one instant since
     * the fake started: every create, relabel and destroy is recorded in order, so this is exact
     * however briefly the peak lasted.
     */
    public int peakInstances(java.util.function.Predicate<String> labels) {
        return account.peak(labels);
    }

    /**
     * The next {@code count} creates lose a race: another renter takes the offer just before, so
     * the offer leaves the market and the create answers 410.
     */
    public synchronized void loseNextOffers(int count) {
        loseOffers += count;
    }

    /** The next {@code count} new instances stay {@code loading} for ever. */
    public void stickNextInstancesInLoading(int count) {
        account.stickNextInLoading(count);
    }

    /** The next {@code count} new instances turn {@code exited} when they finish booting. */
    public void exitNextInstancesAfterBoot(int count) {
        account.exitNextAfterBoot(count);
    }

    /** The next {@code count} resumes wait for their GPU for ever (another renter holds it). */
    public void stallNextStarts(int count) {
        account.stallNextStarts(count);
    }

    /** The instance's container dies: {@code exited}, for good. */
    public void exitInstance(long id) {
        account.exit(id);
    }

    /** Makes {@code GET /api/v1/instances/} answer 404, as on a server without the v1 API. */
    public synchronized void disableV1List() {
        v1Disabled = true;
    }

    public synchronized void enforceRateLimits(boolean enforce) {
        rateLimits = enforce;
    }

    /**
     * Strict rate limiting, as a server that means its 429s: each 429 carries {@code Retry-After}
     * (whole seconds, rounded up from {@code retryAfter}) and the path's interval as
     * {@code threshold=S} in its body, and the path stays closed until that time has passed. A call
     * that comes sooner than the last 429 asked is refused again and counted
     * ({@link #callsSoonerThanAsked()}); a well-behaved client makes none. Turns rate limits on.
     */
    public synchronized void strictRateLimits(Duration retryAfter) {
        rateLimits = true;
        strictRetryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    }

    /** In strict mode: how many calls came before the time a 429 asked the client to wait for. */
    public int callsSoonerThanAsked() {
        return callsSoonerThanAsked.get();
    }

    /** Clears every pending fault and answers the calls left hanging (with 503). */
    public synchronized void clearFaults() {
        faults.clear();
        dropCreateAnswers = 0;
        loseOffers = 0;
        for (HttpExchange exchange : hung) {
            try {
                send(exchange, 503, "text/plain", "released");
            } catch (IOException | RuntimeException ignored) {
                exchange.close();
            }
        }
        hung.clear();
    }

    // ------------------------------------------------------------------ observing

    public synchronized List<RecordedCall> calls() {
        return List.copyOf(calls);
    }

    public synchronized long callCount(Api api) {
        return calls.stream().filter(c -> c.api() == api).count();
    }

    /** How many calls were refused with 429. */
    public int rateLimitedCalls() {
        return rateLimited.get();
    }

    // ------------------------------------------------------------------ HTTP

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        String query = Objects.requireNonNullElse(exchange.getRequestURI().getRawQuery(), "");
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Api api = route(method, path);
        Answer answer;
        boolean hang = false;
        RandomFault chaos = RandomFault.NONE;
        synchronized (this) {
            if (api == null) {
                answer = Answer.json(404, "{\"detail\":\"Not Found\"}");
            } else if (!("Bearer " + apiKey).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                answer = Answer.json(401, "{\"success\":false,\"error\":\"auth_error\",\"msg\":\"Invalid user key\"}");
            } else {
                Fault fault = activeFault(api);
                if (fault != null && fault.kind == FaultKind.HANG) {
                    hang = true;
                    answer = null;
                    hung.add(exchange);
                } else if (fault != null) {
                    answer = faultAnswer(fault.status);
                } else if (!admit(api)) {
                    rateLimited.incrementAndGet();
                    answer = rateLimitedAnswer(api);
                } else {
                    answer = null;
                    chaos = randomFaults == null ? RandomFault.NONE : randomFaults.draw();
                    if (chaos == RandomFault.ERROR) {
                        answer = faultAnswer(500);
                    }
                }
            }
        }
        if (hang) {
            record(new RecordedCall(api, method, path, decode(query), body, 0));
            return;
        }
        if (answer == null) {
            try {
                answer = serve(api, path, query, body);
            } catch (RuntimeException e) {
                answer = Answer.json(500, "{\"msg\":\"fake server error: " + e.getClass().getSimpleName() + "\"}");
            }
            // the call took effect; only its answer goes wrong
            if (chaos == RandomFault.TIMEOUT) {
                answer = timedOut();
            } else if (chaos == RandomFault.LOST) {
                answer = Answer.DROP;
            }
        }
        record(new RecordedCall(api, method, path, decode(query), body, answer.status));
        if (answer == Answer.DROP) {
            exchange.close();
            return;
        }
        if (answer.retryAfterSeconds > 0) {
            exchange.getResponseHeaders().set("Retry-After", Long.toString(answer.retryAfterSeconds));
        }
        send(exchange, answer.status, answer.contentType, answer.body);
    }

    private synchronized void record(RecordedCall call) {
        calls.add(call);
    }

    private static Answer faultAnswer(int status) {
        if (status == 500) {
            return Answer.json(500, "{\"msg\":\"Internal server error\"}");
        }
        if (status == 503) {
            return Answer.text(503, "Service Temporarily Unavailable");
        }
        if (status == 502 || status == 504) {
            return Answer.text(status, "<html><body><h1>" + status + " Gateway</h1></body></html>");
        }
        return Answer.json(status, "{\"message\":\"injected fault " + status + "\"}");
    }

    /** A random fault's timeout: the time the client would have waited passes, then a gateway's 504. */
    private Answer timedOut() {
        Duration waited;
        synchronized (this) {
            waited = randomFaults == null ? Duration.ZERO : randomFaults.timeout;
        }
        if (clock instanceof dev.autoscaler.ManualClock manual) {
            manual.advance(waited);
        }
        return Answer.text(504, "<html><body><h1>504 Gateway Time-out</h1></body></html>");
    }

    private Fault activeFault(Api api) {
        long now = clock.nanoTime();
        faults.removeIf(f -> f.remaining == 0 || now >= f.untilNanos);
        for (Fault fault : faults) {
            if (fault.apis.contains(api)) {
                if (fault.remaining > 0) {
                    fault.remaining--;
                }
                return fault;
            }
        }
        return null;
    }

    /**
     * Vast's rate limit: a minimum interval between accepted calls on a path; refused calls do not
     * count. In strict mode a path is also closed until the time its last 429 asked for.
     */
    private boolean admit(Api api) {
        if (!rateLimits) {
            return true;
        }
        long now = clock.nanoTime();
        Long notBefore = askedNotBefore.get(api);
        if (strictRetryAfter != null && notBefore != null && now < notBefore) {
            callsSoonerThanAsked.incrementAndGet();
            return false;
        }
        long interval = intervals.getOrDefault(api, 0L);
        Long last = lastAccepted.get(api);
        if (last != null && now - last < interval) {
            return false;
        }
        lastAccepted.put(api, now);
        return true;
    }

    /** A 429 in Vast's shapes; in strict mode with Retry-After, and the path closed until then. */
    private Answer rateLimitedAnswer(Api api) {
        String threshold = String.format(java.util.Locale.ROOT, "%.1f", intervals.getOrDefault(api, 0L) / 1e9);
        if (strictRetryAfter == null) {
            return api == Api.CREATE
                    ? Answer.json(429, "{\"success\":false,\"error\":\"rate_limited\",\"msg\":\"API requests too frequent\"}")
                    : Answer.text(429, "API requests too frequent endpoint threshold=" + threshold);
        }
        long seconds = Math.max(1, (strictRetryAfter.toNanos() + 999_999_999L) / 1_000_000_000L);
        long now = clock.nanoTime();
        askedNotBefore.merge(api, now + seconds * 1_000_000_000L, Math::max);
        Answer body = api == Api.CREATE
                ? Answer.json(429, "{\"success\":false,\"error\":\"rate_limited\",\"msg\":\"API requests too frequent endpoint threshold="
                        + threshold + "\"}")
                : Answer.text(429, "API requests too frequent endpoint threshold=" + threshold);
        return body.withRetryAfter(seconds);
    }

    private static Api route(String method, String path) {
        switch (method) {
            case "POST":
                return path.matches("^/api/v0/bundles/?$") ? Api.SEARCH : null;
            case "GET":
                if (path.matches("^/api/v1/instances/?$")) {
                    return Api.LIST_V1;
                }
                return path.matches("^/api/v0/instances/?$") ? Api.LIST_LEGACY : null;
            case "PUT":
                if (ASK.matcher(path).matches()) {
                    return Api.CREATE;
                }
                if (REBOOT_PATH.matcher(path).matches()) {
                    return Api.REBOOT;
                }
                return INSTANCE.matcher(path).matches() ? Api.MANAGE : null;
            case "DELETE":
                return INSTANCE.matcher(path).matches() ? Api.DESTROY : null;
            default:
                return null;
        }
    }

    private Answer serve(Api api, String path, String query, String body) {
        return switch (api) {
            case SEARCH -> search(body);
            case CREATE -> create(id(ASK, path), body);
            case LIST_V1 -> listV1(query);
            case LIST_LEGACY -> listLegacy();
            case MANAGE -> manage(id(INSTANCE, path), body);
            case REBOOT -> account.reboot(id(REBOOT_PATH, path)) ? ok() : noSuchInstance(id(REBOOT_PATH, path));
            case DESTROY -> account.destroy(id(INSTANCE, path)) ? ok() : noSuchInstance(id(INSTANCE, path));
        };
    }

    private Answer search(String body) {
        JsonNode filter = readJson(body);
        if (filter == null || !filter.isObject()) {
            return Answer.json(400, "{\"success\":false,\"error\":\"invalid_args\",\"msg\":\"the body must be a JSON object\"}");
        }
        ArrayNode offers;
        try {
            offers = account.search(filter);
        } catch (IllegalArgumentException e) {
            return Answer.json(400, "{\"success\":false,\"error\":\"invalid_args\",\"msg\":" + quote(e.getMessage()) + "}");
        }
        ObjectNode answer = json.createObjectNode();
        answer.set("offers", offers);
        return Answer.json(200, answer.toString());
    }

    private Answer create(long offerId, String body) {
        JsonNode request = readJson(body);
        if (request == null || !request.isObject()) {
            return Answer.json(400, "{\"message\":\"the body must be a JSON object\"}");
        }
        if (request.path("image").asText("").isEmpty() && request.path("template_hash_id").asText("").isEmpty()) {
            return Answer.json(400, "{\"success\":false,\"error\":\"invalid_args\",\"msg\":\"image or template_hash_id is required\"}");
        }
        if (request.has("env") && !request.get("env").isObject()) {
            return Answer.json(400, "{\"success\":false,\"error\":\"invalid_args\",\"msg\":\"env must be an object\"}");
        }
        synchronized (this) {
            if (loseOffers > 0) {
                loseOffers--;
                account.withdrawOffer(offerId);
            }
        }
        FakeVastAccount.Created created = account.create(offerId, request);
        if (created instanceof FakeVastAccount.Created.NoSuchOffer) {
            return Answer.json(404, "{\"success\":false,\"error\":\"no_such_ask\",\"msg\":\"Instance type by id "
                    + offerId + " is not available.\"}");
        }
        if (created instanceof FakeVastAccount.Created.OfferTaken) {
            return Answer.json(410, "{\"msg\":\"offer " + offerId + " is no longer available\"}");
        }
        long id = ((FakeVastAccount.Created.Made) created).id();
        synchronized (this) {
            if (dropCreateAnswers > 0) {
                dropCreateAnswers--;
                return Answer.DROP;
            }
        }
        return Answer.json(200, "{\"success\":true,\"new_contract\":" + id + "}");
    }

    private Answer listV1(String rawQuery) {
        synchronized (this) {
            if (v1Disabled) {
                return Answer.json(404, "{\"detail\":\"Not Found\"}");
            }
        }
        Map<String, String> params = params(rawQuery);
        JsonNode filters = params.containsKey("select_filters") ? readJson(params.get("select_filters")) : null;
        if (params.containsKey("select_filters") && (filters == null || !filters.isObject())) {
            return Answer.json(400, "{\"success\":false,\"error\":\"invalid_args\",\"msg\":\"select_filters must be a JSON object\"}");
        }
        int limit;
        try {
            limit = Math.max(1, Math.min(25, Integer.parseInt(params.getOrDefault("limit", "25"))));
        } catch (NumberFormatException e) {
            return Answer.json(400, "{\"message\":\"limit must be an integer\"}");
        }
        long after = -1;
        String token = params.get("after_token");
        if (token != null && !token.isEmpty()) {
            try {
                JsonNode decoded = json.readTree(Base64.getDecoder().decode(token));
                after = decoded.path("values").path("id").asLong();
            } catch (IOException | IllegalArgumentException e) {
                return Answer.json(400, "{\"message\":\"bad after_token\"}");
            }
        }
        List<ObjectNode> matching = new ArrayList<>();
        for (ObjectNode instance : account.instancesJson()) {
            if (instance.get("id").asLong() > after && (filters == null || FilterMatcher.matches(filters, instance))) {
                matching.add(instance);
            }
        }
        ObjectNode answer = json.createObjectNode();
        answer.put("success", true);
        ArrayNode page = answer.putArray("instances");
        matching.stream().limit(limit).forEach(page::add);
        answer.put("instances_found", page.size());
        if (matching.size() > limit) {
            long last = matching.get(limit - 1).get("id").asLong();
            String next = Base64.getEncoder().encodeToString(
                    ("{\"values\": {\"id\": " + last + "}}").getBytes(StandardCharsets.UTF_8));
            answer.put("next_token", next);
        } else {
            answer.putNull("next_token");
        }
        return Answer.json(200, answer.toString());
    }

    private Answer listLegacy() {
        ObjectNode answer = json.createObjectNode();
        ArrayNode all = answer.putArray("instances");
        account.instancesJson().forEach(all::add);
        return Answer.json(200, answer.toString());
    }

    private Answer manage(long id, String body) {
        JsonNode request = readJson(body);
        if (request == null || !request.isObject()) {
            return Answer.json(400, "{\"message\":\"the body must be a JSON object\"}");
        }
        if (request.has("state")) {
            String state = request.get("state").asText();
            if (!state.equals("running") && !state.equals("stopped")) {
                return Answer.json(400, "{\"success\":false,\"error\":\"invalid_args\",\"msg\":\"state must be running or stopped\"}");
            }
            return account.setState(id, state) ? ok() : noSuchInstance(id);
        }
        if (request.has("label")) {
            return account.setLabel(id, request.get("label").asText()) ? ok() : noSuchInstance(id);
        }
        return Answer.json(400, "{\"success\":false,\"error\":\"invalid_args\",\"msg\":\"nothing to change\"}");
    }

    private static Answer ok() {
        return Answer.json(200, "{\"success\":true}");
    }

    private static Answer noSuchInstance(long id) {
        return Answer.json(404, "{\"success\":false,\"error\":\"no_such_instance\",\"msg\":\"Instance " + id + " not found\"}");
    }

    private JsonNode readJson(String text) {
        if (text == null || text.isBlank()) {
            return json.createObjectNode();
        }
        try {
            return json.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }

    private static long id(Pattern pattern, String path) {
        Matcher m = pattern.matcher(path);
        if (!m.matches()) {
            throw new IllegalStateException("no id in " + path);
        }
        return Long.parseLong(m.group(1));
    }

    private static Map<String, String> params(String rawQuery) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            params.put(key, eq < 0 ? "" : decode(pair.substring(eq + 1)));
        }
        return params;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private String quote(String text) {
        return json.getNodeFactory().textNode(text).toString();
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            for (HttpExchange exchange : hung) {
                exchange.close();
            }
            hung.clear();
        }
        if (workers != null) {
            workers.close();
        }
        server.stop(0);
        executor.shutdownNow();
    }

    private enum FaultKind { STATUS, HANG }

    private enum RandomFault { NONE, ERROR, TIMEOUT, LOST }

    /** The random faults' generator and tally. */
    private static final class RandomFaults {
        final java.util.SplittableRandom random;
        final double fraction;
        final Duration timeout;
        final Map<RandomFault, Integer> counts = new EnumMap<>(RandomFault.class);

        RandomFaults(java.util.SplittableRandom random, double fraction, Duration timeout) {
            this.random = random;
            this.fraction = fraction;
            this.timeout = timeout;
        }

        RandomFault draw() {
            if (random.nextDouble() >= fraction) {
                return RandomFault.NONE;
            }
            RandomFault kind = switch (random.nextInt(3)) {
                case 0 -> RandomFault.ERROR;
                case 1 -> RandomFault.TIMEOUT;
                default -> RandomFault.LOST;
            };
            counts.merge(kind, 1, Integer::sum);
            return kind;
        }

        int count(RandomFault kind) {
            return counts.getOrDefault(kind, 0);
        }
    }

    private static final class Fault {
        final Set<Api> apis;
        final FaultKind kind;
        final int status;
        int remaining;
        final long untilNanos;

        Fault(Api[] apis, FaultKind kind, int status, int remaining, long untilNanos) {
            this.apis = apis.length == 0 ? EnumSet.allOf(Api.class) : EnumSet.copyOf(List.of(apis));
            this.kind = kind;
            this.status = status;
            this.remaining = remaining;
            this.untilNanos = untilNanos;
        }
    }

    private record Answer(int status, String contentType, String body, long retryAfterSeconds) {
        static final Answer DROP = new Answer(0, "", "", 0);

        static Answer json(int status, String body) {
            return new Answer(status, "application/json", body, 0);
        }

        static Answer text(int status, String body) {
            return new Answer(status, "text/plain; charset=utf-8", body, 0);
        }

        Answer withRetryAfter(long seconds) {
            return new Answer(status, contentType, body, seconds);
        }
    }

    /** Configures a fake; {@link #start()} binds it to a loopback port (a free one unless {@link #port} says). */
    public static final class Builder {
        private final Clock clock;
        private String apiKey = "fake-vast-key";
        private String publicIp = "127.0.0.1";
        private Duration provisioning = Duration.ofSeconds(5);
        private Duration boot = Duration.ofSeconds(90);
        private Duration stop = Duration.ofSeconds(3);
        private Duration start = Duration.ofSeconds(15);
        private Duration reboot = Duration.ofSeconds(20);
        private final Map<Api, Duration> intervals = new EnumMap<>(Api.class);
        private boolean rateLimits = true;
        private boolean defaultOffers = true;
        private int port;
        private boolean emulateWorkers;
        private Duration workerReportInterval = Duration.ofSeconds(10);
        private Duration workerLoadTime = Duration.ofSeconds(10);
        private double workerMaxPerf;
        private boolean workerHttp = true;

        private Builder(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            for (Api api : Api.values()) {
                intervals.put(api, Duration.ofSeconds(1));
            }
            intervals.put(Api.CREATE, Duration.ofMillis(4500));
        }

        public Builder apiKey(String apiKey) {
            this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
            return this;
        }

        /**
         * The {@code public_ipaddr} of every instance (default 127.0.0.1).
         *
         * @param publicIp the new value
         * @return this builder
         */
        public Builder publicIp(String publicIp) {
            this.publicIp = Objects.requireNonNull(publicIp, "publicIp");
            return this;
        }

        /**
         * From create to running: {@code actual_status} null for up to 5 s, then loading (default 90 s in all).
         *
         * @param boot the new value
         * @return this builder
         */
        public Builder bootDelay(Duration boot) {
            this.boot = boot;
            return this;
        }

        public Builder stopDelay(Duration stop) {
            this.stop = stop;
            return this;
        }

        public Builder startDelay(Duration start) {
            this.start = start;
            return this;
        }

        public Builder rebootDelay(Duration reboot) {
            this.reboot = reboot;
            return this;
        }

        /**
         * The minimum interval between accepted calls on a path (defaults: create 4.5 s, others 1 s).
         *
         * @param api the new value
         * @param interval the new value
         * @return this builder
         */
        public Builder rateLimit(Api api, Duration interval) {
            intervals.put(api, interval);
            return this;
        }

        public Builder rateLimits(boolean enforce) {
            this.rateLimits = enforce;
            return this;
        }

        /**
         * Without the default market (add offers with {@link FakeVastServer#addOffers}).
         *
         * @return this builder
         */
        public Builder noDefaultOffers() {
            this.defaultOffers = false;
            return this;
        }

        /**
         * The loopback port to listen on; 0 (the default) picks a free one.
         *
         * @param port the new value
         * @return this builder
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be in 0..65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * Running instances get an emulated worker that reports to the engine over HTTP (see the class
         * comment). The report thread polls every 50 ms of real time and decides on this fake's clock.
         *
         * @return this builder
         */
        public Builder emulateWorkers() {
            this.emulateWorkers = true;
            return this;
        }

        /**
         * An emulated worker's report period once loaded (default 10 s, Vast's idle cadence).
         *
         * @param interval the new value
         * @return this builder
         */
        public Builder workerReportInterval(Duration interval) {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("workerReportInterval must be > 0, got " + interval);
            }
            this.workerReportInterval = interval;
            return this;
        }

        /**
         * From an instance running to its worker's first report with {@code max_perf} > 0 (default
         * 10 s: model load and benchmark). Before that it reports {@code max_perf} 0 every second.
         *
         * @param loadTime the new value
         * @return this builder
         */
        public Builder workerLoadTime(Duration loadTime) {
            if (loadTime.isNegative()) {
                throw new IllegalArgumentException("workerLoadTime must be >= 0, got " + loadTime);
            }
            this.workerLoadTime = loadTime;
            return this;
        }

        /**
         * The {@code max_perf} every emulated worker reports; 0 (the default) derives it from the
         * instance's offer as {@code dlperf x 10} (RTX 3060 100, RTX 3090 280, RTX 4090 520, A100 750).
         *
         * @param maxPerf the new value
         * @return this builder
         */
        public Builder workerMaxPerf(double maxPerf) {
            if (!(maxPerf >= 0) || Double.isInfinite(maxPerf)) {
                throw new IllegalArgumentException("workerMaxPerf must be >= 0, got " + maxPerf);
            }
            this.workerMaxPerf = maxPerf;
            return this;
        }

        /**
         * Whether emulated workers answer HTTP on their instance URL (default true).
         *
         * @param serve the new value
         * @return this builder
         */
        public Builder workerHttp(boolean serve) {
            this.workerHttp = serve;
            return this;
        }

        public FakeVastServer start() {
            try {
                return new FakeVastServer(this);
            } catch (IOException e) {
                throw new IllegalStateException("cannot start the fake Vast server", e);
            }
        }
    }
}
