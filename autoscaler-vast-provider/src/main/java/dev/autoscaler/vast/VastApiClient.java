package dev.autoscaler.vast;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.autoscaler.Clock;
import dev.autoscaler.ProviderException.Kind;
import dev.autoscaler.Sleeper;
import dev.autoscaler.vast.internal.Backoff;
import dev.autoscaler.vast.internal.CallSpacer;
import dev.autoscaler.vast.internal.ErrorBody;
import dev.autoscaler.vast.internal.ErrorClassifier;
import dev.autoscaler.vast.internal.RateLimitAnswer;
import dev.autoscaler.vast.internal.Route;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client of the Vast.ai REST API (docs/PROTOCOL.md#the-vast-rest-api): search offers,
 * create, list, start, stop, label, reboot and destroy instances.
 *
 * <p>Every call keeps Vast's minimum spacing per API path (so that 429s stay rare), retries 429,
 * 502, 503, 504 and timeouts a bounded number of times with exponential backoff and full jitter
 * (after a 429: never before the server's {@code Retry-After} or the {@code threshold} its body
 * names, the jitter on top, and the path's spacing grown, decaying again after successes; see
 * {@link CallSpacer}),
 * and fails with a {@link VastApiException} whose {@link Kind} says what to do next. Time and
 * waiting are injected ({@link Clock}, {@link Sleeper}), so tests never really sleep.
 *
 * <p>A create has no idempotency key on Vast: when its answer is lost (timeout, broken connection,
 * 500/502/504), the client lists the account and looks for the instance's label before anything
 * else; it adopts the instance when it is there, and only retries the create when it is not.
 *
 * <p>The API key goes into the {@code Authorization} header and nowhere else: it is never logged,
 * never put in a message, and {@link #toString()} does not show it.
 */
public final class VastApiClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(VastApiClient.class);
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    /** Vast's page size for the v1 list. */
    public static final int LIST_PAGE_SIZE = 25;
    private static final int MAX_PAGES = 10_000;

    private final ObjectMapper json = dev.autoscaler.vast.internal.Json.mapper();
    private final String apiKey;
    private final HttpUrl baseUrl;
    private final OkHttpClient http;
    private final CallSpacer spacer;
    private final Backoff backoff;
    private final Sleeper sleeper;
    private final int maxRetries;
    private volatile boolean legacyList;

    private VastApiClient(Builder b) {
        this.apiKey = b.apiKey;
        this.baseUrl = b.baseUrl;
        this.sleeper = b.sleeper;
        this.maxRetries = b.maxRetries;
        this.backoff = new Backoff(b.backoffBase.toNanos(), b.backoffMax.toNanos(), b.random);
        Map<String, Long> intervals = new HashMap<>();
        for (Route route : Route.values()) {
            intervals.put(route.pathKey(), b.intervals.get(route.bucket()).toNanos());
        }
        this.spacer = new CallSpacer(b.clock, b.sleeper, intervals);
        this.http = new OkHttpClient.Builder()
                .callTimeout(b.timeout.toMillis(), TimeUnit.MILLISECONDS)
                .connectTimeout(b.timeout.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(b.timeout.toMillis(), TimeUnit.MILLISECONDS)
                .writeTimeout(b.timeout.toMillis(), TimeUnit.MILLISECONDS)
                // OkHttp would otherwise silently repeat a request on some connection failures, which
                // for a create could rent a second instance: every retry decision is ours
                .retryOnConnectionFailure(false)
                .build();
    }

    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------- offers

    /**
     * {@code POST /api/v0/bundles/}: the offers matching a filter (see {@link VastQuery}), in the
     * order the filter asks for.
     */
    public List<VastOffer> searchOffers(ObjectNode filter) {
        Request request = request(url("api/v0/bundles/")).post(body(filter)).build();
        JsonNode answer = call(Route.SEARCH_OFFERS, request);
        List<VastOffer> offers = new ArrayList<>();
        JsonNode list = answer.get("offers");
        if (list == null || !list.isArray()) {
            // an answer without its list is not "no offers": the caller must not conclude the market is empty
            throw missing("search offers", "offers");
        }
        for (JsonNode offer : list) {
            VastOffer parsed = VastOffer.fromJson(offer);
            if (parsed.id() >= 0) {
                offers.add(parsed);
            }
        }
        return offers;
    }

    // ---------------------------------------------------------------- create

    /**
     * {@code PUT /api/v0/asks/{offerId}/}: rents an offer and returns the new instance's id.
     *
     * @throws VastApiException {@link Kind#OFFER_GONE} when the offer was taken (take the next one);
     *                          {@link Kind#TIMEOUT} when the outcome stayed unknown and no instance
     *                          with the request's label could be found
     */
    public long createInstance(long offerId, VastCreateRequest create) {
        Request request = request(url("api/v0/asks/" + offerId + "/")).put(body(create.toJson(json))).build();
        int retry = 0;
        while (true) {
            Exchange exchange = exchange(Route.CREATE, request);
            if (exchange.ok()) {
                long id = dev.autoscaler.vast.internal.Json.id(exchange.answer(), "new_contract");
                if (id < 0) {
                    throw new VastApiException(Kind.OTHER, exchange.status(), "",
                            "Vast create instance (offer " + offerId + "): the answer has no new_contract", null);
                }
                return id;
            }
            VastApiException error = exchange.error();
            if (exchange.outcomeUnknown()) {
                if (create.label().isEmpty()) {
                    throw error;
                }
                Optional<VastInstance> made = lookForLabel(create.label(), error);
                if (made.isPresent()) {
                    log.info("Vast create on offer {} lost its answer ({}); adopted instance {} labelled {}",
                            offerId, error.getMessage(), made.get().id(), create.label());
                    return made.get().id();
                }
                if (error.httpStatus() == 500 || retry >= maxRetries) {
                    throw new VastApiException(error.kind(), error.httpStatus(), error.errorCode(),
                            error.getMessage() + "; no instance labelled " + create.label() + " was found", error);
                }
            } else if (!exchange.retryable() || retry >= maxRetries) {
                throw error;
            }
            pause(Route.CREATE, retry++, exchange);
        }
    }

    /** After a lost create answer: does the instance exist after all? */
    private Optional<VastInstance> lookForLabel(String label, VastApiException lost) {
        try {
            return findByLabel(label).stream().findFirst();
        } catch (VastApiException listFailed) {
            VastApiException unknown = new VastApiException(Kind.TIMEOUT, lost.httpStatus(), lost.errorCode(),
                    lost.getMessage() + "; the create's outcome is unknown and listing to look for label "
                            + label + " failed too: " + listFailed.getMessage(), lost);
            unknown.addSuppressed(listFailed);
            throw unknown;
        }
    }

    // ---------------------------------------------------------------- list

    /** {@return every instance of the account (v1 pages; the legacy list when v1 is not available)} */
    public List<VastInstance> listInstances() {
        return list(json.createObjectNode());
    }

    /** {@return the instances whose label is exactly {@code label}} */
    public List<VastInstance> findByLabel(String label) {
        ObjectNode filter = json.createObjectNode();
        filter.putObject("label").put("eq", label);
        return list(filter).stream().filter(i -> i.label().equals(label)).toList();
    }

    private List<VastInstance> list(ObjectNode selectFilters) {
        if (!legacyList) {
            try {
                return listV1(selectFilters);
            } catch (VastApiException e) {
                int status = e.httpStatus();
                if (status != 404 && status != 405 && status != 501) {
                    throw e;
                }
                legacyList = true;
                log.info("Vast v1 instance list unavailable (HTTP {}); using the legacy list from now on", status);
            }
        }
        return listLegacy();
    }

    private List<VastInstance> listV1(ObjectNode selectFilters) {
        List<VastInstance> all = new ArrayList<>();
        Set<String> seenTokens = new HashSet<>();
        String token = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            HttpUrl.Builder url = url("api/v1/instances/").newBuilder()
                    .addQueryParameter("select_filters", selectFilters.toString())
                    .addQueryParameter("limit", Integer.toString(LIST_PAGE_SIZE));
            if (token != null) {
                url.addQueryParameter("after_token", token);
            }
            JsonNode answer = call(Route.LIST_V1, request(url.build()).get().build());
            JsonNode instances = answer.get("instances");
            int before = all.size();
            readInstances("list instances", instances, all);
            String next = dev.autoscaler.vast.internal.Json.text(answer, "next_token");
            if (next.isEmpty() || all.size() == before) {
                return all;
            }
            if (!seenTokens.add(next)) {
                throw new VastApiException(Kind.OTHER, 200, "",
                        "Vast list instances: the server repeated page token " + next, null);
            }
            token = next;
        }
        throw new VastApiException(Kind.OTHER, 200, "", "Vast list instances: more than " + MAX_PAGES + " pages", null);
    }

    private List<VastInstance> listLegacy() {
        HttpUrl url = url("api/v0/instances/").newBuilder().addQueryParameter("owner", "me").build();
        JsonNode answer = call(Route.LIST_LEGACY, request(url).get().build());
        List<VastInstance> all = new ArrayList<>();
        readInstances("list instances (legacy)", answer.get("instances"), all);
        return all;
    }

    /**
     * Reads a list answer's instances. An answer without an {@code instances} array is an error, never
     * an empty account: read as empty, it would make the engine drop every worker as vanished and
     * replace instances that still run.
     */
    private static void readInstances(String what, JsonNode instances, List<VastInstance> into) {
        if (instances == null || !instances.isArray()) {
            throw missing(what, "instances");
        }
        for (JsonNode node : instances) {
            VastInstance instance = VastInstance.fromJson(node);
            if (instance.id() >= 0) {
                into.add(instance);
            }
        }
    }

    private static VastApiException missing(String what, String field) {
        return new VastApiException(Kind.UNAVAILABLE, 200, "",
                "Vast " + what + ": the answer has no '" + field + "' array; taken as a failed call, not as an empty list",
                null);
    }

    /** {@return true once the v1 list answered 404/405/501 and the client fell back to the legacy list} */
    public boolean usesLegacyList() {
        return legacyList;
    }

    // ---------------------------------------------------------------- manage

    /** {@code PUT /api/v0/instances/{id}/ {"state": "running"}}: starts (resumes) a stopped instance. */
    public void startInstance(long id) {
        manage(id, "state", "running");
    }

    /** {@code PUT /api/v0/instances/{id}/ {"state": "stopped"}}: stops an instance, keeping its disk. */
    public void stopInstance(long id) {
        manage(id, "state", "stopped");
    }

    /** {@code PUT /api/v0/instances/{id}/ {"label": ...}}. */
    public void setLabel(long id, String label) {
        manage(id, "label", Objects.requireNonNull(label, "label"));
    }

    private void manage(long id, String field, String value) {
        ObjectNode payload = json.createObjectNode().put(field, value);
        call(Route.MANAGE, request(url("api/v0/instances/" + id + "/")).put(body(payload)).build());
    }

    /** {@code PUT /api/v0/instances/reboot/{id}/}: restarts the instance's container. */
    public void reboot(long id) {
        call(Route.REBOOT, request(url("api/v0/instances/reboot/" + id + "/")).put(body(json.createObjectNode())).build());
    }

    /** {@code DELETE /api/v0/instances/{id}/}: destroys the instance. */
    public void destroy(long id) {
        call(Route.DESTROY, request(url("api/v0/instances/" + id + "/")).delete(body(json.createObjectNode())).build());
    }

    // ---------------------------------------------------------------- plumbing

    /** An idempotent call: retried on 429, 502, 503, 504 and I/O failures. */
    private JsonNode call(Route route, Request request) {
        int retry = 0;
        while (true) {
            Exchange exchange = exchange(route, request);
            if (exchange.ok()) {
                return exchange.answer();
            }
            if (!exchange.retryable() || retry >= maxRetries) {
                throw exchange.error();
            }
            pause(route, retry++, exchange);
        }
    }

    /**
     * Waits before retry {@code retry}. After a 429 the route's spacing does the waiting: it is closed
     * until the time the server asked for (Retry-After, or the threshold in the body) plus the jittered
     * backoff on top, so the jitter is never absorbed into a wait the server asked for anyway.
     */
    private void pause(Route route, int retry, Exchange exchange) {
        VastApiException cause = exchange.error();
        if (exchange.status() == 429) {
            long jitter = backoff.delayNanos(retry);
            spacer.rateLimited(route.pathKey(), exchange.retryAfterNanos(), exchange.thresholdNanos(), jitter);
            log.warn("Vast {} rate limited ({}); retry {} of {} after the server's {} ms (threshold {} ms) + {} ms; "
                    + "spacing now {} ms", route.description(), cause.getMessage(), retry + 1, maxRetries,
                    TimeUnit.NANOSECONDS.toMillis(exchange.retryAfterNanos()),
                    TimeUnit.NANOSECONDS.toMillis(exchange.thresholdNanos()), TimeUnit.NANOSECONDS.toMillis(jitter),
                    TimeUnit.NANOSECONDS.toMillis(spacer.intervalNanos(route.pathKey())));
            return;
        }
        long delay = backoff.delayNanos(retry);
        log.warn("Vast {} failed ({}); retry {} of {} in {} ms", route.description(), cause.getMessage(), retry + 1,
                maxRetries, TimeUnit.NANOSECONDS.toMillis(delay));
        try {
            sleeper.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VastApiException(Kind.OTHER, 0, "", "Vast " + route.description() + ": interrupted", e);
        }
    }

    /** One HTTP exchange, after waiting for the route's turn; failures come back in the Exchange (only an interrupt throws). */
    private Exchange exchange(Route route, Request request) {
        String what = "Vast " + route.description() + " (" + request.method() + " " + request.url().encodedPath() + ")";
        try {
            spacer.awaitTurn(route.pathKey());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VastApiException(Kind.OTHER, 0, "", what + ": interrupted", e);
        }
        try (Response response = http.newCall(request).execute()) {
            int status = response.code();
            ResponseBody responseBody = response.body();
            String text = responseBody == null ? "" : responseBody.string();
            log.debug("{} -> HTTP {}", what, status);
            if (status >= 200 && status < 300) {
                spacer.succeeded(route.pathKey());
                return success(route, what, status, text);
            }
            ErrorBody error = ErrorBody.parse(json, text);
            Kind kind = ErrorClassifier.classify(route, status, error);
            VastApiException failure = new VastApiException(kind, status, error.code(),
                    redact(what + ": HTTP " + status + ": " + error.describe()), null);
            boolean retryable = status == 429 || status == 502 || status == 503 || status == 504;
            boolean unknown = status == 500 || status == 502 || status == 504;
            if (status == 429) {
                return Exchange.rateLimited(failure, RateLimitAnswer.retryAfterNanos(response.header("Retry-After")),
                        RateLimitAnswer.thresholdNanos(text));
            }
            return Exchange.failed(failure, retryable, unknown);
        } catch (ConnectException | UnknownHostException | NoRouteToHostException notSent) {
            // the request never left: safe to repeat, even a create
            return Exchange.failed(new VastApiException(Kind.UNAVAILABLE, 0, "",
                    redact(what + ": cannot connect: " + notSent.getMessage()), notSent), true, false);
        } catch (InterruptedIOException timeout) {
            return Exchange.failed(new VastApiException(Kind.TIMEOUT, 0, "",
                    redact(what + ": no answer in time: " + timeout.getMessage()), timeout), true, true);
        } catch (IOException broken) {
            return Exchange.failed(new VastApiException(Kind.UNAVAILABLE, 0, "",
                    redact(what + ": connection failed: " + broken.getMessage()), broken), true, true);
        }
    }

    private Exchange success(Route route, String what, int status, String text) {
        JsonNode answer;
        if (text.isBlank()) {
            answer = json.createObjectNode();
        } else {
            try {
                answer = json.readTree(text);
            } catch (IOException garbled) {
                // a 2xx we cannot read: for a create, we do not know what happened
                return Exchange.failed(new VastApiException(Kind.OTHER, status, "",
                        redact(what + ": HTTP " + status + " with an unreadable body"), garbled), false, true);
            }
        }
        JsonNode success = answer.get("success");
        if (success != null && success.isBoolean() && !success.booleanValue()) {
            ErrorBody error = ErrorBody.fromJson(answer);
            Kind kind = ErrorClassifier.classify(route, status, error);
            return Exchange.failed(new VastApiException(kind, status, error.code(),
                    redact(what + ": refused: " + error.describe()), null), false, false);
        }
        return Exchange.ok(status, answer);
    }

    /** Belt and braces: an error text that echoes the key never carries it further. */
    private String redact(String message) {
        return apiKey.isEmpty() ? message : message.replace(apiKey, "***");
    }

    private HttpUrl url(String path) {
        return baseUrl.newBuilder().addPathSegments(path).build();
    }

    private Request.Builder request(HttpUrl url) {
        return new Request.Builder().url(url)
                .header("Authorization", "Bearer " + apiKey)
                .header("Accept", "application/json")
                .header("User-Agent", "autoscaler-vast-provider");
    }

    private RequestBody body(JsonNode payload) {
        return RequestBody.create(payload.toString(), JSON);
    }

    public HttpUrl baseUrl() {
        return baseUrl;
    }

    @Override
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    @Override
    public String toString() {
        return "VastApiClient{baseUrl=" + baseUrl + ", apiKey=***}";
    }

    /** The outcome of one HTTP exchange. */
    private record Exchange(int status, JsonNode answer, VastApiException error, boolean retryable,
                            boolean outcomeUnknown, long retryAfterNanos, long thresholdNanos) {
        static Exchange ok(int status, JsonNode answer) {
            return new Exchange(status, answer, null, false, false, 0, 0);
        }

        static Exchange failed(VastApiException error, boolean retryable, boolean outcomeUnknown) {
            return new Exchange(error.httpStatus(), null, error, retryable, outcomeUnknown, 0, 0);
        }

        /** A 429: refused before anything was done, so retryable even for a create. */
        static Exchange rateLimited(VastApiException error, long retryAfterNanos, long thresholdNanos) {
            return new Exchange(429, null, error, true, false, retryAfterNanos, thresholdNanos);
        }

        boolean ok() {
            return error == null;
        }
    }

    /** Builds a client; only the API key is required. */
    public static final class Builder {
        private String apiKey;
        private HttpUrl baseUrl = HttpUrl.get("https://console.vast.ai/");
        private Clock clock = Clock.system();
        private Sleeper sleeper = Sleeper.system();
        private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
        private final Map<Route.Bucket, Duration> intervals = new EnumMap<>(Route.Bucket.class);
        private int maxRetries = 4;
        private Duration backoffBase = Duration.ofSeconds(1);
        private Duration backoffMax = Duration.ofSeconds(30);
        private Duration timeout = Duration.ofSeconds(30);

        private Builder() {
            intervals.put(Route.Bucket.SEARCH, Duration.ofSeconds(1));
            intervals.put(Route.Bucket.CREATE, Duration.ofMillis(4500));
            intervals.put(Route.Bucket.LIST, Duration.ofSeconds(1));
            intervals.put(Route.Bucket.MANAGE, Duration.ofSeconds(1));
        }

        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        /**
         * Default {@code https://console.vast.ai}.
         *
         * @param baseUrl the new value
         * @return this builder
         */
        public Builder baseUrl(String baseUrl) {
            HttpUrl parsed = HttpUrl.parse(Objects.requireNonNull(baseUrl, "baseUrl"));
            if (parsed == null) {
                throw new IllegalArgumentException("not an http(s) URL: " + baseUrl);
            }
            this.baseUrl = parsed;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /**
         * Uniform doubles in [0, 1) for the backoff jitter.
         *
         * @param random the new value
         * @return this builder
         */
        public Builder random(DoubleSupplier random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * Minimum time between two searches (default 1 s).
         *
         * @param interval the new value
         * @return this builder
         */
        public Builder searchInterval(Duration interval) {
            return interval(Route.Bucket.SEARCH, interval);
        }

        /**
         * Minimum time between two creates (default 4.5 s).
         *
         * @param interval the new value
         * @return this builder
         */
        public Builder createInterval(Duration interval) {
            return interval(Route.Bucket.CREATE, interval);
        }

        /**
         * Minimum time between two list calls (pages included; default 1 s).
         *
         * @param interval the new value
         * @return this builder
         */
        public Builder listInterval(Duration interval) {
            return interval(Route.Bucket.LIST, interval);
        }

        /**
         * Minimum time between two calls on one manage path (start/stop/label, reboot, destroy; default 1 s).
         *
         * @param interval the new value
         * @return this builder
         */
        public Builder manageInterval(Duration interval) {
            return interval(Route.Bucket.MANAGE, interval);
        }

        private Builder interval(Route.Bucket bucket, Duration interval) {
            if (interval.isNegative()) {
                throw new IllegalArgumentException("interval must not be negative: " + interval);
            }
            intervals.put(bucket, interval);
            return this;
        }

        /**
         * Retries after the first try of a retryable failure (default 4).
         *
         * @param maxRetries the new value
         * @return this builder
         */
        public Builder maxRetries(int maxRetries) {
            if (maxRetries < 0) {
                throw new IllegalArgumentException("maxRetries must be >= 0: " + maxRetries);
            }
            this.maxRetries = maxRetries;
            return this;
        }

        /**
         * Backoff ceiling before the first retry, doubling up to {@code max} (defaults 1 s, 30 s).
         *
         * @param base the new value
         * @param max the new value
         * @return this builder
         */
        public Builder backoff(Duration base, Duration max) {
            if (base.isNegative() || base.isZero() || max.compareTo(base) < 0) {
                throw new IllegalArgumentException("need 0 < base <= max, got " + base + ", " + max);
            }
            this.backoffBase = base;
            this.backoffMax = max;
            return this;
        }

        /**
         * Limit on one HTTP call, connection included (default 30 s).
         *
         * @param timeout the new value
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive: " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        public VastApiClient build() {
            if (apiKey == null || apiKey.isBlank()) {
                throw new IllegalArgumentException("an API key is required");
            }
            return new VastApiClient(this);
        }
    }
}
