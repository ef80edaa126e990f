package dev.autoscaler.core.http;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.autoscaler.AuthenticationException;
import dev.autoscaler.EndpointConfig;
import dev.autoscaler.InvalidRequestException;
import dev.autoscaler.LoadReport;
import dev.autoscaler.NotFoundException;
import dev.autoscaler.PluginNotFoundException;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.InvalidConfigException;
import dev.autoscaler.AlreadyExistsException;
import dev.autoscaler.core.Autoscaler;
import dev.autoscaler.core.compare.HardwareComparison;
import dev.autoscaler.core.AutoscalerAdmin;
import dev.autoscaler.core.json.EndpointConfigJson;
import dev.autoscaler.core.http.internal.AdminRoutes;
import dev.autoscaler.core.http.internal.ApiKeys;
import dev.autoscaler.core.http.internal.DashboardState;
import dev.autoscaler.core.http.internal.DeleteRequestsParser;
import dev.autoscaler.core.http.internal.HistoryJson;
import dev.autoscaler.core.http.internal.Probes;
import dev.autoscaler.core.history.DecisionHistory;
import dev.autoscaler.core.history.EndpointTimeline;
import dev.autoscaler.core.http.internal.JsonBodies;
import dev.autoscaler.core.http.internal.JsonFields;
import dev.autoscaler.core.http.internal.KeyRotationRoute;
import dev.autoscaler.core.http.internal.QueryString;
import dev.autoscaler.core.http.internal.WorkerStatusParser;
import dev.autoscaler.core.router.RouteAnswer;
import dev.autoscaler.core.router.Router;
import dev.autoscaler.core.ticket.TicketFormats;
import dev.autoscaler.spi.EndpointConfigStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's HTTP API (docs/PROTOCOL.md), as a plain function from {@link ApiRequest} to
 * {@link ApiResponse}, with no server library in sight: {@link AutoscalerHttpServer} serves it on the
 * JDK's server, and a host application can mount it in its own (convert the request, call
 * {@link #handle}, write the response).
 *
 * <table>
 *   <caption>Routes</caption>
 *   <tr><td>{@code POST /route/}</td><td>a client asks for a worker (endpoint API key)</td></tr>
 *   <tr><td>{@code GET /pubkey/}</td><td>the RSA public key PEM that Vast's worker library verifies with</td></tr>
 *   <tr><td>{@code GET /ed25519-keys/}</td><td>the Ed25519 ticket keys as a JWKS document</td></tr>
 *   <tr><td>{@code POST /worker_status/}</td><td>a worker's report (id + mtoken)</td></tr>
 *   <tr><td>{@code POST /delete_requests/}</td><td>a worker's finished requests (id + mtoken)</td></tr>
 *   <tr><td>{@code POST /get_endpoint_workers/}</td><td>an endpoint's workers (endpoint API key)</td></tr>
 *   <tr><td>{@code POST /admin/tickets/ed25519/rotate}</td><td>rotates the Ed25519 ticket keys now (admin
 *       key; 409 while the previous key is within its overlap, unless {@code ?force=true})</td></tr>
 *   <tr><td>{@code /admin/endpoints...}</td><td>create, change and remove endpoints and groups while
 *       running (admin key, see {@link Builder#adminKey}; {@link AdminRoutes} lists the routes)</td></tr>
 *   <tr><td>{@code GET /dashboard/}</td><td>a live page of endpoints, groups and workers (no key; see below)</td></tr>
 *   <tr><td>{@code GET /dashboard/state.json}</td><td>what that page polls every second</td></tr>
 *   <tr><td>{@code GET /comparison/?endpoint=NAME}</td><td>the endpoint's hardware comparison (endpoint API key,
 *   as {@code Authorization: Bearer} or {@code api_key} in the query); 404 unless one was given to the builder</td></tr>
 *   <tr><td>{@code GET /healthz}</td><td>200 while the process answers (no key)</td></tr>
 *   <tr><td>{@code GET /readyz}</td><td>200 when the state store answers, the control loop ticked within
 *   1.5 tick intervals, every ticket format has its key and every provider has answered a list since
 *   start; else 503, naming the failing check (no key); {@code waiting_reason} says why creates are held
 *   back, if they are</td></tr>
 *   <tr><td>{@code GET /decisions/?endpoint=NAME}</td><td>the endpoint's decision history with reasons,
 *   holds included (endpoint API key or admin key); 404 unless one was given to the builder</td></tr>
 *   <tr><td>{@code GET} + {@link Builder#get}</td><td>the host's own routes, such as {@code /metrics}</td></tr>
 * </table>
 * The dashboard needs no key, like {@code /pubkey/}: it shows configs, targets, decisions and workers'
 * states, loads, prices and URLs, and never a secret (no API key, mtoken or engine secret). A worker
 * URL alone serves nothing: workers verify a signed ticket on every request. A host that would rather
 * not show even that turns it off with {@link Builder#dashboard(boolean)} (or {@code dashboard: false}
 * in {@code serve}'s config), or mounts the API behind its own authentication. With a comparison
 * ({@link Builder#comparison}) the dashboard shows each endpoint's too: it is made of what the page
 * shows already (GPUs, prices, perf, states) and holds no secret, so it follows the dashboard's rule
 * rather than {@code /comparison/}'s key, and goes when the dashboard is turned off.
 * <p>
 * Paths match with or without their trailing slash. Unknown paths are 404, wrong methods 405, every
 * error has a JSON body {@code {"error": ...}} (with {@code field} and {@code message} naming what was
 * wrong, for a 400), and no input causes a 5xx: {@link #handle} never throws.
 */
public final class AutoscalerApi {
    private static final Logger log = LoggerFactory.getLogger(AutoscalerApi.class);

    /** Clients ask for a worker here. */
    public static final String ROUTE = "/route/";
    /** The RSA public key's path. */
    public static final String PUBKEY = "/pubkey/";
    /** The default path of the Ed25519 keys (JWKS). */
    public static final String DEFAULT_ED25519_KEYS = "/ed25519-keys/";
    /** Workers report here. */
    public static final String WORKER_STATUS = "/worker_status/";
    /** Workers report finished requests here. */
    public static final String DELETE_REQUESTS = "/delete_requests/";
    /** Clients list an endpoint's workers here. */
    public static final String GET_ENDPOINT_WORKERS = "/get_endpoint_workers/";
    /** The dashboard page's path. */
    public static final String DASHBOARD = "/dashboard/";
    /** What the dashboard polls. */
    public static final String DASHBOARD_STATE = "/dashboard/state.json";
    /** The hardware comparison's path. */
    public static final String COMPARISON = "/comparison/";
    public static final String HEALTHZ = "/healthz/";
    public static final String READYZ = "/readyz/";
    public static final String DECISIONS = "/decisions/";
    /** The default largest request body: 256 KiB. */
    public static final int DEFAULT_MAX_BODY_BYTES = 256 * 1024;

    static final String ROUTE_ERROR = "Invalid endpoint or missing required parameters";
    static final String AUTH_ERROR = "Authentication failed";
    static final Number DEFAULT_COST = 100L;

    private final Router router;
    private final Autoscaler engine;
    private final ApiKeys apiKeys;
    private final Supplier<String> rsaPublicKeyPem;
    private final Supplier<String> ed25519Jwks;
    private final String ed25519KeysPath;
    private final int maxBodyBytes;
    private final byte[] adminKey;
    private final AdminRoutes admin;
    private final boolean dashboard;
    private final HardwareComparison comparison;
    private final KeyRotationRoute keyRotation;
    private final DecisionHistory decisions;
    private final EndpointTimeline timeline;
    private final Probes probes;
    private final Map<String, Function<ApiRequest, ApiResponse>> extraGets;

    private AutoscalerApi(Builder b) {
        this.router = b.router;
        this.engine = router.engine();
        this.apiKeys = new ApiKeys(b.apiKeys);
        this.rsaPublicKeyPem = b.rsaPublicKeyPem;
        this.ed25519Jwks = b.ed25519Jwks;
        this.ed25519KeysPath = withSlash(b.ed25519KeysPath);
        this.maxBodyBytes = b.maxBodyBytes;
        this.adminKey = b.adminKey == null ? null : b.adminKey.getBytes(StandardCharsets.UTF_8);
        TicketFormats tickets = b.ticketFormats;
        this.keyRotation = tickets == null ? null : new KeyRotationRoute(tickets.ed25519KeyRing());
        this.admin = adminKey == null ? null : new AdminRoutes(new AutoscalerAdmin(engine, b.endpointStore), b.endpointJson,
                b.defaultTicketFormat, format -> {
                    if (tickets != null) {
                        tickets.signer(format);
                    }
                });
        this.dashboard = b.dashboard;
        this.comparison = b.comparison;
        this.decisions = b.decisions;
        this.timeline = b.timeline;
        this.probes = new Probes(engine, tickets, b.controlLoopHere);
        this.extraGets = Map.copyOf(b.extraGets);
    }

    /** {@return whether {@code /dashboard/} is served} */
    public boolean dashboardEnabled() {
        return dashboard;
    }

    /**
     * A builder of the API over a router (and its engine).
     *
     * @param router the router that answers {@code /route/}
     * @return a new builder
     */
    public static Builder builder(Router router) {
        return new Builder(router);
    }

    /** {@return the largest body accepted; larger ones get 413. Hosts should stop reading a little above it} */
    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    /**
     * Whether {@link #handle} may wait on I/O: when the engine's state store does ({@link
     * dev.autoscaler.spi.StateStore#mayBlock()}). A non-blocking server then answers on worker threads.
     */
    public boolean mayBlock() {
        return engine.stateStore().mayBlock();
    }

    /** Answers one request. Never throws. */
    public ApiResponse handle(ApiRequest request) {
        try {
            return dispatch(request);
        } catch (InvalidRequestException e) {
            return badRequest(request, e);
        } catch (AuthenticationException e) {
            return error(401, AUTH_ERROR);
        } catch (NotFoundException e) {
            // an endpoint removed between the lookup and the route
            return badRequest(request, new InvalidRequestException("endpoint", e.getMessage()));
        } catch (dev.autoscaler.StoreUnavailableException e) {
            // a replica that lost its shared store routes nothing rather than answer from a stale view
            log.warn("{} {}: state store unavailable: {}", request.method(), request.path(), e.getMessage());
            return error(503, "State store unavailable; retry, or use another replica");
        } catch (RuntimeException | StackOverflowError e) {
            log.error("{} {} failed", request.method(), request.path(), e);
            return error(500, "Internal error");
        }
    }

    private ApiResponse dispatch(ApiRequest request) {
        String path = withSlash(request.path());
        String method = request.method();
        boolean post = method.equals("POST");
        boolean get = method.equals("GET") || method.equals("HEAD");
        if (path.equals(ROUTE) || path.equals(WORKER_STATUS) || path.equals(DELETE_REQUESTS)
                || path.equals(GET_ENDPOINT_WORKERS)) {
            if (!post) {
                return methodNotAllowed("POST");
            }
            if (request.body().length > maxBodyBytes) {
                return error(413, "Request body too large (limit " + maxBodyBytes + " bytes)");
            }
            return switch (path) {
                case ROUTE -> route(request);
                case WORKER_STATUS -> workerStatus(request);
                case DELETE_REQUESTS -> deleteRequests(request);
                default -> endpointWorkers(request);
            };
        }
        if (path.equals(COMPARISON)) {
            return get ? comparison(request) : methodNotAllowed("GET, HEAD");
        }
        if (path.startsWith(AdminRoutes.PREFIX)) {
            return admin(request);
        }
        if (path.equals(HEALTHZ) || path.equals(READYZ) || path.equals(DECISIONS) || extraGets.containsKey(path)) {
            return get ? operations(path, request) : methodNotAllowed("GET, HEAD");
        }
        if (path.equals(PUBKEY) || path.equals(ed25519KeysPath)) {
            if (!get) {
                return methodNotAllowed("GET, HEAD");
            }
            Supplier<String> source = path.equals(PUBKEY) ? rsaPublicKeyPem : ed25519Jwks;
            String content = source == null ? null : source.get();
            if (content == null) {
                return error(404, path.equals(PUBKEY) ? "No RSA key is configured" : "No Ed25519 keys are configured");
            }
            return ApiResponse.text(200, path.equals(PUBKEY) ? "text/plain; charset=utf-8" : ApiResponse.JSON, content);
        }
        if (dashboard && (path.equals(DASHBOARD) || request.path().equals(DASHBOARD_STATE))) {
            if (!get) {
                return methodNotAllowed("GET, HEAD");
            }
            return path.equals(DASHBOARD)
                    ? new ApiResponse(200, "text/html; charset=utf-8", NO_STORE, DashboardPage.BYTES)
                    : new ApiResponse(200, ApiResponse.JSON, NO_STORE,
                            DashboardState.json(engine, comparison, decisions, timeline));
        }
        return error(404, "Not found: " + abbreviate(request.path()));
    }

    /** The token of an {@code Authorization: Bearer <token>} header (the scheme in any case), trimmed; empty for none. */
    private static Optional<String> bearerToken(ApiRequest request) {
        String authorization = request.header("Authorization");
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? Optional.of(authorization.substring(7).trim()) : Optional.empty();
    }

    // ---- operations: /healthz, /readyz, /decisions/, and the host's own GET routes (/metrics) ----

    private ApiResponse operations(String path, ApiRequest request) {
        switch (path) {
            case HEALTHZ:
                return new ApiResponse(200, ApiResponse.JSON, NO_STORE, write(g -> {
                    g.writeStartObject();
                    g.writeStringField("status", "alive");
                    g.writeEndObject();
                }));
            case READYZ: {
                Map<String, String> checks = probes.readiness();
                boolean ready = Probes.allOk(checks);
                return new ApiResponse(ready ? 200 : 503, ApiResponse.JSON, NO_STORE, write(g -> {
                    g.writeStartObject();
                    g.writeStringField("status", ready ? "ready" : "not ready");
                    g.writeObjectFieldStart("checks");
                    for (Map.Entry<String, String> c : checks.entrySet()) {
                        g.writeStringField(c.getKey(), c.getValue());
                    }
                    g.writeEndObject();
                    g.writeStringField("waiting_reason", probes.waitingReason());
                    g.writeEndObject();
                }));
            }
            case DECISIONS:
                return decisions(request);
            default:
                return extraGets.get(path).apply(request);
        }
    }

    private ApiResponse decisions(ApiRequest request) {
        if (decisions == null) {
            return error(404, "No decision history is kept");
        }
        List<String> names = QueryString.values(request.query(), "endpoint");
        if (names.isEmpty() || names.get(0).isEmpty()) {
            throw new InvalidRequestException("endpoint", "is required, e.g. /decisions/?endpoint=NAME");
        }
        String name = names.get(0);
        if (!presentsAdminKey(request)) {
            name = authenticatedEndpoint(request, null, name).name();
        } else if (!engine.endpointNames().contains(name)) {
            throw new InvalidRequestException("endpoint", "no endpoint named '" + abbreviate(name) + "'");
        }
        List<DecisionHistory.Entry> entries = decisions.entries(name);
        String endpointName = name;
        return new ApiResponse(200, ApiResponse.JSON, NO_STORE, write(g -> {
            g.writeStartObject();
            g.writeStringField("endpoint", endpointName);
            g.writeFieldName("decisions");
            HistoryJson.decisions(g, entries);
            g.writeEndObject();
        }));
    }

    private boolean presentsAdminKey(ApiRequest request) {
        return adminKey != null && bearerToken(request)
                .map(token -> MessageDigest.isEqual(adminKey, token.getBytes(StandardCharsets.UTF_8))).orElse(false);
    }

    // ---- /admin/ ----

    private ApiResponse admin(ApiRequest request) {
        if (admin == null) {
            return error(404, "Not found: " + abbreviate(request.path()) + " (the admin API is off: no admin key is configured)");
        }
        byte[] presented = bearerToken(request).orElse("").getBytes(StandardCharsets.UTF_8);
        if (presented.length == 0 || !MessageDigest.isEqual(adminKey, presented)) {
            return new ApiResponse(401, ApiResponse.JSON, Map.of("WWW-Authenticate", "Bearer"), errorBody(AUTH_ERROR));
        }
        if (request.body().length > maxBodyBytes) {
            return error(413, "Request body too large (limit " + maxBodyBytes + " bytes)");
        }
        if (withSlash(request.path()).equals(KeyRotationRoute.PATH)) {
            if (!request.method().equals("POST")) {
                return methodNotAllowed("POST");
            }
            if (keyRotation == null) {
                return error(404, "No Ed25519 keys are configured");
            }
            KeyRotationRoute.Result rotated = keyRotation.handle(request.query());
            return ApiResponse.json(rotated.status(), write(g -> JsonBodies.MAPPER.writeTree(g, rotated.body())));
        }
        try {
            AdminRoutes.Result result = admin.handle(request.method(), withSlash(request.path()), request.body());
            byte[] body = request.method().equals("HEAD") ? new byte[0] : write(g -> JsonBodies.MAPPER.writeTree(g, result.body()));
            return ApiResponse.json(result.status(), body);
        } catch (InvalidConfigException e) {
            return badRequest(request, new InvalidRequestException(e.field(), e.reason()));
        } catch (PluginNotFoundException e) {
            String field = "scaling policy".equals(e.kind()) ? "policy" : "provider";
            return badRequest(request, new InvalidRequestException(field, e.getMessage()));
        } catch (NotFoundException e) {
            return error(404, e.getMessage());
        } catch (AlreadyExistsException e) {
            return error(409, e.getMessage());
        } catch (AdminRoutes.MethodNotAllowed e) {
            return methodNotAllowed(e.allow());
        } catch (UncheckedIOException e) {
            // the endpoint store could not save: the change is in force but would not survive a restart
            return error(503, "The change is applied but could not be saved, so a restart would lose it: "
                    + e.getMessage() + ". Fix the state directory and repeat the change.");
        }
    }

    private static final Map<String, String> NO_STORE = Map.of("Cache-Control", "no-store");

    /** The page, read once from the class path: one self-contained HTML file with its script inline. */
    private static final class DashboardPage {
        static final byte[] BYTES = load();

        private static byte[] load() {
            try (InputStream in = AutoscalerApi.class.getResourceAsStream("dashboard.html")) {
                if (in == null) {
                    throw new IllegalStateException("dashboard.html is missing from the class path");
                }
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    // ---- POST /route/ ----

    private ApiResponse route(ApiRequest request) {
        JsonFields f = new JsonFields(JsonBodies.object(request.body()));
        String endpointName = f.requireString("endpoint");
        Number cost = f.optionalWireNumber("cost");
        long requestIdx = f.optionalLong("request_idx").orElse(0);
        f.optionalNumber("replay_timeout");
        EndpointConfig endpoint = authenticatedEndpoint(request, f, endpointName);
        RouteAnswer answer = router.route(endpoint.name(), cost == null ? DEFAULT_COST : cost, requestIdx);
        return ApiResponse.json(200, write(g -> writeAnswer(g, answer)));
    }

    // ---- GET /comparison/ ----

    private ApiResponse comparison(ApiRequest request) {
        if (comparison == null) {
            return error(404, "No hardware comparison is configured");
        }
        List<String> names = QueryString.values(request.query(), "endpoint");
        if (names.isEmpty() || names.get(0).isEmpty()) {
            throw new InvalidRequestException("endpoint", "is required, e.g. /comparison/?endpoint=NAME");
        }
        EndpointConfig endpoint = authenticatedEndpoint(request, null, names.get(0));
        return ApiResponse.json(200, comparison.comparison(endpoint.name()).toJson().getBytes(StandardCharsets.UTF_8));
    }

    private EndpointConfig authenticatedEndpoint(ApiRequest request, JsonFields f, String endpointName) {
        EndpointConfig endpoint;
        try {
            endpoint = engine.endpoint(endpointName);
        } catch (NotFoundException e) {
            throw new InvalidRequestException("endpoint", "no endpoint named '" + abbreviate(endpointName) + "'");
        }
        List<String> presented = new ArrayList<>(3);
        bearerToken(request).ifPresent(presented::add);
        String bodyKey;
        try {
            bodyKey = f == null ? null : f.optionalString("api_key");
        } catch (InvalidRequestException wrongType) {
            bodyKey = null; // another credential may still be good; a bad one is a 401 below
        }
        presented.add(bodyKey);
        presented.addAll(QueryString.values(request.query(), "api_key"));
        if (!apiKeys.accepts(endpoint, presented)) {
            throw new AuthenticationException("bad API key for endpoint " + endpointName);
        }
        return endpoint;
    }

    static void writeAnswer(JsonGenerator g, RouteAnswer answer) throws IOException {
        g.writeStartObject();
        g.writeStringField("endpoint", answer.endpoint());
        if (answer instanceof RouteAnswer.Routed r) {
            g.writeStringField("url", r.url());
            g.writeFieldName("cost");
            if (r.cost() instanceof Long l) {
                g.writeNumber(l);
            } else {
                g.writeNumber(r.cost().doubleValue());
            }
            g.writeNumberField("reqnum", r.reqnum());
            g.writeNumberField("request_idx", r.requestIdx());
            g.writeStringField("signature", r.signature());
        } else if (answer instanceof RouteAnswer.NotReady n) {
            g.writeStringField("status", n.status());
            g.writeNumberField("request_idx", n.requestIdx());
        }
        g.writeStringField("__request_id", answer.requestId());
        g.writeEndObject();
    }

    // ---- worker side ----

    private ApiResponse workerStatus(ApiRequest request) {
        LoadReport report = WorkerStatusParser.parse(request.body());
        WorkerRecord worker = engine.report(report);
        return ApiResponse.json(200, write(g -> {
            g.writeStartObject();
            g.writeBooleanField("success", true);
            g.writeStringField("state", worker.state().wireName());
            g.writeEndObject();
        }));
    }

    private ApiResponse deleteRequests(ApiRequest request) {
        DeleteRequestsParser.DeleteRequests parsed = DeleteRequestsParser.parse(request.body());
        int released = engine.deleteRequests(parsed.workerId(), parsed.mtoken(), parsed.requestIdxs());
        return ApiResponse.json(200, write(g -> {
            g.writeStartObject();
            g.writeBooleanField("success", true);
            g.writeNumberField("released", released);
            g.writeEndObject();
        }));
    }

    // ---- POST /get_endpoint_workers/ ----

    private ApiResponse endpointWorkers(ApiRequest request) {
        JsonFields f = new JsonFields(JsonBodies.object(request.body()));
        String endpointName = f.has("endpoint") || !f.has("id") ? f.requireString("endpoint") : f.requireString("id");
        EndpointConfig endpoint = authenticatedEndpoint(request, f, endpointName);
        List<WorkerRecord> workers = engine.workers(endpoint.name());
        return ApiResponse.json(200, write(g -> {
            g.writeStartArray();
            for (WorkerRecord w : workers) {
                g.writeStartObject();
                writeId(g, w);
                g.writeStringField("worker_id", w.workerId());
                g.writeStringField("group", w.group());
                g.writeStringField("status", w.state().wireName());
                g.writeNumberField("cur_load", w.curLoad());
                g.writeNumberField("reserved_load", w.reservedLoad());
                g.writeNumberField("perf", w.perf());
                g.writeNumberField("measured_perf", w.maxPerf());
                g.writeNumberField("reqs_working", w.numRequestsWorking());
                g.writeStringField("url", w.url());
                g.writeEndObject();
            }
            g.writeEndArray();
        }));
    }

    private static void writeId(JsonGenerator g, WorkerRecord w) throws IOException {
        String id = w.instanceId();
        try {
            g.writeNumberField("id", Long.parseLong(id));
        } catch (NumberFormatException notNumeric) {
            g.writeStringField("id", id.isEmpty() ? w.workerId() : id);
        }
    }

    // ---- responses ----

    private static ApiResponse badRequest(ApiRequest request, InvalidRequestException e) {
        String path = withSlash(request.path());
        String error = path.equals(ROUTE) || path.equals(GET_ENDPOINT_WORKERS) ? ROUTE_ERROR : "Invalid request";
        return ApiResponse.json(400, write(g -> {
            g.writeStartObject();
            g.writeStringField("error", error);
            if (e.field() != null) {
                g.writeStringField("field", e.field());
            }
            g.writeStringField("message", e.getMessage());
            g.writeEndObject();
        }));
    }

    static ApiResponse error(int status, String message) {
        return ApiResponse.json(status, errorBody(message));
    }

    /** {@return {@code {"error": message}}} */
    public static byte[] errorBody(String message) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("error", message);
            g.writeEndObject();
        });
    }

    private static ApiResponse methodNotAllowed(String allow) {
        return new ApiResponse(405, ApiResponse.JSON, Map.of("Allow", allow), errorBody("Method not allowed"));
    }

    private interface JsonWriter {
        void write(JsonGenerator g) throws IOException;
    }

    private static byte[] write(JsonWriter writer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JsonBodies.FACTORY.createGenerator(out)) {
            writer.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static String withSlash(String path) {
        return path.endsWith("/") ? path : path + "/";
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }

    /** Configures an {@link AutoscalerApi}. */
    public static final class Builder {
        private final Router router;
        private final List<String> apiKeys = new ArrayList<>();
        private Supplier<String> rsaPublicKeyPem;
        private Supplier<String> ed25519Jwks;
        private String ed25519KeysPath = DEFAULT_ED25519_KEYS;
        private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private String adminKey;
        private TicketFormats ticketFormats;
        private String defaultTicketFormat = EndpointConfig.DEFAULT_TICKET_FORMAT;
        private EndpointConfigJson endpointJson = new EndpointConfigJson();
        private EndpointConfigStore endpointStore;
        private boolean dashboard = true;
        private HardwareComparison comparison;
        private DecisionHistory decisions;
        private EndpointTimeline timeline;
        private final Map<String, Function<ApiRequest, ApiResponse>> extraGets = new java.util.LinkedHashMap<>();
        private java.util.function.BooleanSupplier controlLoopHere = () -> true;

        private Builder(Router router) {
            this.router = Objects.requireNonNull(router, "router");
        }

        /**
         * Keys accepted for endpoints that have no {@code api_key} of their own.
         *
         * @param keys the new value
         * @return this builder
         */
        public Builder apiKeys(Collection<String> keys) {
            apiKeys.addAll(keys);
            return this;
        }

        /**
         * Adds a key accepted for every endpoint.
         *
         * @param key a client key
         * @return this builder
         */
        public Builder apiKey(String key) {
            apiKeys.add(Objects.requireNonNull(key, "key"));
            return this;
        }

        /**
         * Serves the keys of the engine's ticket formats: the {@code vast-rsa} public key PEM at
         * {@code /pubkey/} and the {@code ed25519} key ring's JWKS (read per request, so a rotation
         * shows at once) at the Ed25519 key path.
         *
         * @param tickets the new value
         * @return this builder
         */
        public Builder tickets(TicketFormats tickets) {
            Objects.requireNonNull(tickets, "tickets");
            this.ticketFormats = tickets;
            String pem = tickets.rsaPublicKeyPem();
            this.rsaPublicKeyPem = () -> pem;
            this.ed25519Jwks = tickets::jwksJson;
            return this;
        }

        /**
         * What {@code GET /pubkey/} serves: the RSA public key PEM (SubjectPublicKeyInfo).
         *
         * @param pem the new value
         * @return this builder
         */
        public Builder rsaPublicKeyPem(Supplier<String> pem) {
            this.rsaPublicKeyPem = pem;
            return this;
        }

        /**
         * What the Ed25519 key path serves: the JWKS document of the ticket keys (read on each request, so rotation shows at once).
         *
         * @param jwks the new value
         * @return this builder
         */
        public Builder ed25519Jwks(Supplier<String> jwks) {
            this.ed25519Jwks = jwks;
            return this;
        }

        /**
         * Where the Ed25519 keys are served (default {@code /ed25519-keys/}).
         *
         * @param path the new value
         * @return this builder
         */
        public Builder ed25519KeysPath(String path) {
            if (path == null || !path.startsWith("/")) {
                throw new IllegalArgumentException("ed25519KeysPath must start with '/', got " + path);
            }
            this.ed25519KeysPath = path;
            return this;
        }

        /**
         * Bodies above this many bytes get 413 (default 256 KiB).
         *
         * @param bytes the new value
         * @return this builder
         */
        public Builder maxBodyBytes(int bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxBodyBytes must be at least 1024, got " + bytes);
            }
            this.maxBodyBytes = bytes;
            return this;
        }

        /**
         * Turns the admin API on ({@code /admin/endpoints...}), for callers presenting
         * {@code Authorization: Bearer <key>}. Distinct from the endpoints' API keys: it can create,
         * change and remove endpoints. Without one (the default) the admin routes answer 404.
         *
         * @param key the new value
         * @return this builder
         */
        public Builder adminKey(String key) {
            if (key != null && key.isBlank()) {
                throw new IllegalArgumentException("adminKey must not be blank");
            }
            this.adminKey = key;
            return this;
        }

        /**
         * The {@code ticket_format} of endpoints created through the admin API that give none (default {@code vast-rsa}).
         *
         * @param format the new value
         * @return this builder
         */
        public Builder defaultTicketFormat(String format) {
            this.defaultTicketFormat = Objects.requireNonNull(format, "format");
            return this;
        }

        /**
         * Where the admin API saves the endpoint set after every change it accepts, before answering
         * (default: nowhere, changes live as long as the engine).
         *
         * @param store where to save
         * @return this builder
         */
        public Builder endpointStore(EndpointConfigStore store) {
            this.endpointStore = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * Reads the admin API's endpoint and group bodies; its environment serves {@code api_key_env}.
         *
         * @param reader the new value
         * @return this builder
         */
        public Builder endpointJson(EndpointConfigJson reader) {
            this.endpointJson = Objects.requireNonNull(reader, "reader");
            return this;
        }

        /**
         * Serves the dashboard ({@code GET /dashboard/} and its {@code state.json}) without a key; on by
         * default. It shows no secret, but it does show endpoint configs and worker URLs: turn it off
         * where those should stay private.
         *
         * @param enabled the new value
         * @return this builder
         */
        public Builder dashboard(boolean enabled) {
            this.dashboard = enabled;
            return this;
        }

        /**
         * Serves this comparison's figures at {@code GET /comparison/?endpoint=NAME} (404 without one),
         * and on the dashboard, when it is on.
         *
         * @param comparison the new value
         * @return this builder
         */
        public Builder comparison(HardwareComparison comparison) {
            this.comparison = comparison;
            return this;
        }

        /**
         * Serves this history at {@code GET /decisions/?endpoint=NAME} (the endpoint's API key, or the
         * admin key; 404 without one) and each endpoint's last decisions on the dashboard.
         */
        public Builder decisions(DecisionHistory history) {
            this.decisions = history;
            return this;
        }

        /** Charts this timeline on the dashboard (load vs ready capacity, workers by state, queue-time p95). */
        public Builder timeline(EndpointTimeline timeline) {
            this.timeline = timeline;
            return this;
        }

        /**
         * Whether this process runs the control loop now (default: always). A replica that does not
         * (another replica leads) is ready without ticks of its own: {@code /readyz} then reports the
         * control loop as run elsewhere instead of failing its check.
         *
         * @param leads true while this process runs the control loop
         * @return this builder
         */
        public Builder controlLoopHere(java.util.function.BooleanSupplier leads) {
            this.controlLoopHere = Objects.requireNonNull(leads, "leads");
            return this;
        }

        /**
         * Serves {@code GET path} (and {@code HEAD}) with the host's own handler, such as
         * {@code /metrics}; the handler decides about keys. The built-in paths win.
         */
        public Builder get(String path, Function<ApiRequest, ApiResponse> handler) {
            if (path == null || !path.startsWith("/")) {
                throw new IllegalArgumentException("path must start with '/', got " + path);
            }
            extraGets.put(withSlash(path), Objects.requireNonNull(handler, "handler"));
            return this;
        }

        public AutoscalerApi build() {
            return new AutoscalerApi(this);
        }
    }
}
