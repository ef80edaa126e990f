package dev.autoscaler.core.router;

import dev.autoscaler.AutoscalerEvent;
import dev.autoscaler.AutoscalerEvent.RouteOutcome;
import dev.autoscaler.AutoscalerException;
import dev.autoscaler.Clock;
import dev.autoscaler.EndpointConfig;
import dev.autoscaler.EndpointState;
import dev.autoscaler.InvalidRequestException;
import dev.autoscaler.TaskScheduler;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.WorkerIntent;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import dev.autoscaler.core.Autoscaler;
import dev.autoscaler.core.engine.internal.RoutingHooks;
import dev.autoscaler.core.router.internal.GroupPicker;
import dev.autoscaler.core.router.internal.RequestTimes;
import dev.autoscaler.core.router.internal.WorkerBreakdown;
import dev.autoscaler.core.ticket.TicketFormats;
import dev.autoscaler.spi.RequestRecord;
import dev.autoscaler.spi.RoutingStrategy;
import dev.autoscaler.spi.StateStore;
import dev.autoscaler.spi.TicketClaims;
import dev.autoscaler.spi.TicketSigner;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signing router (docs/DESIGN.md#a-client-asks-for-a-worker), independent of HTTP: the HTTP surface and the simulator
 * both call {@link #route(String, Number, long)}.
 *
 * <p>A request is eligible for a READY worker whose expected queue time, with this request's cost
 * added, stays within {@code max_queue_time} ({@code (cur_load + reserved + cost) / perf}); an idle
 * worker always is, so that a request bigger than {@code max_queue_time x perf} is not starved. The
 * groups' {@code overflow} and {@code weight} narrow the choice to one group, then the
 * {@link RoutingStrategy} picks the worker (least expected wait by default).
 *
 * <p>Accounting, so that a request is counted once as demand and its work never twice as load:
 * <ul>
 *   <li>the first call (request_idx absent or 0, or one this engine does not know) gets a new
 *       {@code request_idx}, is counted with {@link RoutingHooks#recordRoutedRequest} and recorded in
 *       the state store as a {@link RequestRecord}; a re-poll with a known index is not counted again;</li>
 *   <li>while it waits, the record is the waiting demand the engine's snapshot sees; it expires after
 *       {@link Builder#waitingTimeout} without a re-poll;</li>
 *   <li>routing reserves the cost on the worker ({@code reservedLoad}) in a versioned update that
 *       re-checks the queue bound, so concurrent routes cannot overfill a worker, and then marks the
 *       record routed; the reservation ends when the worker's report lists the request in
 *       {@code working_request_idxs} (its {@code cur_load} now holds it), when its
 *       {@code /delete_requests/} names it, or after {@link Builder#reservationTimeout}. Whoever
 *       removes the record gives the reservation back, so it ends exactly once.</li>
 * </ul>
 * Spill-over, once per request on its first call: routed to an overflow group's worker, its cost
 * counts as that group's spill-over ({@link RoutingHooks#recordSpillOver}); left waiting while
 * primary workers are up but full, it counts for the overflow groups, split equally. The policy
 * sizes overflow groups from that alone.
 *
 * <p>The first request to wait at an endpoint with no worker ready or on its way (scaled to zero)
 * triggers a control tick for it at once.
 *
 * <p>Endpoint state {@code stopped}: nothing is routed and no demand is recorded; {@code suspended}:
 * routing goes on. Thread safe.
 */
public final class Router {
    private static final Logger log = LoggerFactory.getLogger(Router.class);
    private static final RandomGenerator PER_THREAD_RANDOM = () -> ThreadLocalRandom.current().nextLong();

    private final Autoscaler engine;
    private final RoutingHooks hooks;
    private final StateStore store;
    private final Clock clock;
    private final Function<String, TicketSigner> signers;
    private final RoutingStrategy strategy;
    private final RandomGenerator random;
    private final long waitingTimeoutNanos;
    private final long reservationTimeoutNanos;
    private final long sweepIntervalNanos;
    private final long wakeIntervalNanos;
    private final Executor wakeExecutor;
    private final RequestTimes times = new RequestTimes();
    private final ConcurrentHashMap<String, Long> lastWake = new ConcurrentHashMap<>();
    private final AtomicLong lastSweep;
    /**
     * How many {@link #scheduleSweeps} tasks run. While one does, routes do not sweep: on a shared
     * store a sweep reads every request record from the database, and the route that fell due would
     * wait for that read, or for the connection timeout while the database is away.
     */
    private final AtomicInteger scheduledSweeps = new AtomicInteger();

    private Router(Builder b) {
        this.engine = b.engine;
        this.hooks = engine.routingHooks();
        this.store = engine.stateStore();
        this.clock = engine.clock();
        this.signers = Objects.requireNonNull(b.signers, "signers");
        this.strategy = Objects.requireNonNullElseGet(b.strategy, LeastExpectedWaitStrategy::new);
        // Unseeded, the router draws from the calling thread's ThreadLocalRandom: request ids and
        // strategy choices need no secrecy, and a shared SecureRandom serialises every route on its
        // lock (the ticket signers keep their own secure sources for nonces).
        this.random = Objects.requireNonNullElse(b.random, PER_THREAD_RANDOM);
        this.waitingTimeoutNanos = b.waitingTimeout.toNanos();
        this.reservationTimeoutNanos = b.reservationTimeout.toNanos();
        this.sweepIntervalNanos = b.sweepInterval.toNanos();
        this.wakeIntervalNanos = b.wakeInterval.toNanos();
        this.wakeExecutor = Objects.requireNonNullElse(b.wakeExecutor, Runnable::run);
        this.lastSweep = new AtomicLong(clock.nanoTime());
    }

    /**
     * @param engine the engine whose endpoints, workers and state store the router uses
     */
    public static Builder builder(Autoscaler engine) {
        return new Builder(engine);
    }

    /**
     * Routes one request.
     *
     * @param endpoint   the endpoint's name
     * @param cost       the request's estimated work, perf units, as given on the wire (an integer or a
     *                   float: the answer and the legacy signature keep its form); finite, not negative
     * @param requestIdx 0 on a first call, else the {@code request_idx} of an earlier "not ready" answer
     * @throws dev.autoscaler.NotFoundException for an unknown endpoint
     * @throws InvalidRequestException          naming {@code cost} or {@code request_idx} when malformed
     */
    public RouteAnswer route(String endpoint, Number cost, long requestIdx) {
        EndpointConfig config = engine.endpoint(endpoint);
        Number wireCost = normalizeCost(cost);
        double costValue = wireCost.doubleValue();
        if (costValue > config.maxCost()) {
            // one request's claimed cost is what the scaling signal adds up: a huge one would hold the
            // endpoint at max_workers for minutes, and several could overflow the load windows
            throw new InvalidRequestException("cost", "must be <= " + formatCost(config.maxCost())
                    + " (the endpoint's max_cost), got " + wireCost);
        }
        if (requestIdx < 0) {
            throw new InvalidRequestException("request_idx", "must be >= 0, got " + requestIdx);
        }
        long now = clock.nanoTime();
        maybeSweep(now);
        String requestId = newRequestId();
        if (config.state() == EndpointState.STOPPED) {
            long idx = requestIdx > 0 ? requestIdx : store.nextRequestIdx();
            answered(endpoint, "", RouteOutcome.STOPPED, 0);
            return new RouteAnswer.NotReady(endpoint, "endpoint is stopped: nothing is routed", idx, requestId);
        }

        RequestRecord record = requestIdx > 0
                ? store.request(requestIdx).filter(r -> r.endpoint().equals(endpoint)).orElse(null)
                : null;
        boolean firstCall = record == null;
        if (firstCall) {
            record = newRequest(endpoint, costValue, now);
            hooks.recordRoutedRequest(endpoint, costValue);
        } else if (!record.isWaiting()) {
            Optional<RouteAnswer> again = answerAgain(config, record, wireCost, requestId, now);
            if (again.isPresent()) {
                return repeated(config, again.get());
            }
            record = waitAgain(record, now);
        }
        times.touch(record.requestIdx(), now);

        List<WorkerRecord> workers = store.workers(endpoint);
        List<WorkerRecord> eligible = new ArrayList<>(workers.size());
        int full = 0;
        int fullPrimaries = 0;
        for (WorkerRecord w : workers) {
            if (isRoutable(config, w)) {
                if (hasRoom(w, record.cost(), config.maxQueueTime())) {
                    eligible.add(w);
                } else {
                    full++;
                    if (!isOverflow(config, w)) {
                        fullPrimaries++;
                    }
                }
            }
        }
        while (!eligible.isEmpty()) {
            List<WorkerRecord> candidates = GroupPicker.narrow(config, eligible, random);
            if (candidates.isEmpty()) {
                break;
            }
            WorkerRecord chosen = strategy.choose(candidates, record.cost(), random);
            eligible.remove(chosen);
            Optional<RouteAnswer> routed = tryRoute(config, record, chosen, wireCost, requestId, now);
            if (routed.isPresent()) {
                if (firstCall && isOverflow(config, chosen)) {
                    hooks.recordSpillOver(endpoint, chosen.group(), record.cost());
                }
                answered(endpoint, chosen.group(), RouteOutcome.ROUTED, Math.max(0, now - record.firstSeenNanos()) / 1e9);
                return routed.get();
            }
            Optional<RequestRecord> current = store.request(record.requestIdx());
            if (current.isEmpty()) {
                record = newRequestWithIdx(record, now); // expired under our feet: it is still wanted
            } else if (!current.get().isWaiting()) {
                // a concurrent re-poll with the same index routed it first: give the same answer
                Optional<RouteAnswer> again = answerAgain(config, current.get(), wireCost, requestId, now);
                if (again.isPresent()) {
                    return repeated(config, again.get());
                }
                record = waitAgain(current.get(), now);
            } else {
                record = current.get();
            }
        }
        if (firstCall) {
            if (fullPrimaries > 0) {
                recordWaitingSpillOver(config, record.cost());
            }
            maybeWake(endpoint, workers, now);
        }
        answered(endpoint, "", RouteOutcome.WAITING, 0);
        return new RouteAnswer.NotReady(endpoint, WorkerBreakdown.describe(workers, full, config.maxQueueTime()),
                record.requestIdx(), requestId);
    }

    /**
     * Ends waits that saw no re-poll within the waiting timeout, and reservations that no report
     * accounted for within the reservation timeout. Runs by itself at most every sweep interval from
     * {@link #route}; schedule it with {@link #scheduleSweeps} so that it also runs when no request comes.
     *
     * @return how many requests it ended
     */
    public int sweep() {
        long now = clock.nanoTime();
        lastSweep.set(now);
        int ended = 0;
        java.util.Set<Long> live = new java.util.HashSet<>();
        for (String endpoint : engine.endpointNames()) {
            for (RequestRecord r : store.requests(endpoint)) {
                live.add(r.requestIdx());
                long idle = now - times.lastTouched(r.requestIdx(), r.firstSeenNanos());
                long limit = r.isWaiting() ? waitingTimeoutNanos : reservationTimeoutNanos;
                if (idle > limit && hooks.releaseRequest(r.requestIdx())) {
                    times.forget(r.requestIdx());
                    ended++;
                    engine.publishEvent(new AutoscalerEvent.RequestExpired(clock.now(), endpoint, !r.isWaiting()));
                    log.debug("request {} of endpoint {} {} after {} s", r.requestIdx(), endpoint,
                            r.isWaiting() ? "stopped waiting" : "lost its reservation", idle / 1e9);
                }
            }
        }
        // from the lists just read, not one store read per request (on a shared store each is a
        // round trip); a request touched since the lists were read keeps its time
        times.retainIf(live::contains, now);
        return ended;
    }

    /**
     * Runs {@link #sweep()} every {@code period} on {@code scheduler}; until the task is cancelled,
     * {@link #route} no longer sweeps by itself (the sweep stays off the request path).
     */
    public TaskScheduler.Cancellable scheduleSweeps(TaskScheduler scheduler, Duration period) {
        TaskScheduler.Cancellable task = scheduler.scheduleAtFixedRate(() -> {
            try {
                sweep();
            } catch (RuntimeException e) {
                log.warn("sweeping stale requests failed; the next sweep retries", e);
            }
        }, period, period);
        scheduledSweeps.incrementAndGet();
        AtomicBoolean cancelled = new AtomicBoolean();
        return () -> {
            task.cancel();
            if (cancelled.compareAndSet(false, true)) {
                scheduledSweeps.decrementAndGet();
            }
        };
    }

    /**
     * Forgets a request whose client gave up on it, and gives back its reservation if it had one (a
     * wait or a reservation that is not abandoned ends by itself, in {@link #sweep()}).
     *
     * @return true when the request was known
     */
    public boolean abandon(long requestIdx) {
        boolean known = hooks.releaseRequest(requestIdx);
        times.forget(requestIdx);
        return known;
    }

    /** The engine this router routes for. */
    public Autoscaler engine() {
        return engine;
    }

    // ---- routing ----

    /** Publishes the outcome of a route, for metrics (the listeners see every answer). */
    private void answered(String endpoint, String group, RouteOutcome outcome, double queueSeconds) {
        engine.publishEvent(new AutoscalerEvent.RouteAnswered(clock.now(), endpoint, group, outcome, queueSeconds));
    }

    private RouteAnswer repeated(EndpointConfig config, RouteAnswer answer) {
        String group = answer instanceof RouteAnswer.Routed r
                ? store.worker(r.workerId()).map(WorkerRecord::group).orElse("") : "";
        answered(config.name(), group, RouteOutcome.REPEATED, 0);
        return answer;
    }

    private boolean isRoutable(EndpointConfig config, WorkerRecord w) {
        return w.state() == WorkerState.READY && w.intent() == WorkerIntent.ACTIVE && w.perf() > 0
                && !w.url().isEmpty() && config.group(w.group()).isPresent() && !isSilent(config, w);
    }

    /**
     * A worker silent past its endpoint's {@code silent_after} may be hung (neither serving nor
     * reporting): it is routed nothing more until it reports again (the engine's repair treats it as
     * failed if it stays silent).
     */
    private boolean isSilent(EndpointConfig config, WorkerRecord w) {
        return w.lastReportNanos() != WorkerRecord.NEVER
                && w.secondsSinceReport(clock.nanoTime()) > config.silentAfter().toNanos() / 1e9;
    }

    private static boolean isOverflow(EndpointConfig config, WorkerRecord w) {
        return config.group(w.group()).map(WorkerGroupConfig::overflow).orElse(false);
    }

    /**
     * A first call that waits although primary workers are up (they are all full, and so is every
     * overflow worker, or there is none yet) is spill-over demand for the overflow groups: split
     * equally among them, so that an overflow group scaled to its floor still learns it is wanted.
     */
    private void recordWaitingSpillOver(EndpointConfig config, double cost) {
        List<WorkerGroupConfig> overflowGroups = config.groups().stream().filter(WorkerGroupConfig::overflow).toList();
        for (WorkerGroupConfig group : overflowGroups) {
            hooks.recordSpillOver(config.name(), group.name(), cost / overflowGroups.size());
        }
    }

    private static boolean hasRoom(WorkerRecord w, double cost, double maxQueueTime) {
        double queued = w.curLoad() + w.reservedLoad();
        return queued <= 0 || (queued + cost) / w.perf() <= maxQueueTime;
    }

    /** Reserves on the worker, signs, then marks the record routed; undoes the reservation when the record moved. */
    private Optional<RouteAnswer> tryRoute(EndpointConfig config, RequestRecord record, WorkerRecord chosen,
                                           Number wireCost, String requestId, long now) {
        double cost = record.cost();
        // The condition fails when the worker changed since we looked: a report, a stop, another route.
        Optional<WorkerRecord> after = store.reserve(chosen.workerId(),
                w -> isRoutable(config, w) && hasRoom(w, cost, config.maxQueueTime()), cost);
        if (after.isEmpty()) {
            return Optional.empty();
        }
        WorkerRecord worker = after.get();
        long reqnum = store.nextReqnum(config.name());
        String signature;
        try {
            signature = sign(config, worker, wireCost, reqnum, record.requestIdx());
        } catch (RuntimeException e) {
            unreserve(worker.workerId(), cost);
            throw e;
        }
        if (!store.replaceRequest(record, record.routedTo(worker.workerId(), reqnum))) {
            unreserve(worker.workerId(), cost);
            return Optional.empty();
        }
        times.touch(record.requestIdx(), now);
        return Optional.of(new RouteAnswer.Routed(config.name(), worker.url(), wireCost, reqnum, record.requestIdx(),
                signature, requestId, worker.workerId()));
    }

    /**
     * A request already routed is polled again (the client lost the answer, or raced itself): the
     * same worker and reqnum again, freshly signed, nothing counted or reserved again. Empty when
     * that worker can no longer take it.
     */
    private Optional<RouteAnswer> answerAgain(EndpointConfig config, RequestRecord record, Number wireCost,
                                              String requestId, long now) {
        Optional<WorkerRecord> worker = store.worker(record.workerId()).filter(w -> isRoutable(config, w));
        if (worker.isEmpty()) {
            return Optional.empty();
        }
        times.touch(record.requestIdx(), now);
        String signature = sign(config, worker.get(), wireCost, record.reqnum(), record.requestIdx());
        return Optional.of(new RouteAnswer.Routed(config.name(), worker.get().url(), wireCost, record.reqnum(),
                record.requestIdx(), signature, requestId, worker.get().workerId()));
    }

    /** Its worker went away before taking it: end the reservation, and let the request wait again under its index. */
    private RequestRecord waitAgain(RequestRecord routed, long now) {
        hooks.releaseRequest(routed.requestIdx());
        return newRequestWithIdx(routed, now);
    }

    private String sign(EndpointConfig config, WorkerRecord worker, Number wireCost, long reqnum, long requestIdx) {
        TicketSigner signer = signers.apply(config.ticketFormat());
        if (signer == null) {
            throw new AutoscalerException("no ticket signer for format '" + config.ticketFormat() + "'");
        }
        return signer.sign(new TicketClaims(config.name(), worker.url(), wireCost, reqnum, requestIdx,
                worker.instanceId(), clock.now()));
    }

    private void unreserve(String workerId, double cost) {
        store.unreserve(workerId, cost);
    }

    // ---- request bookkeeping ----

    private RequestRecord newRequest(String endpoint, double cost, long now) {
        while (true) {
            RequestRecord fresh = new RequestRecord(store.nextRequestIdx(), endpoint, cost, now, "", 0, 1);
            if (store.putRequestIfAbsent(fresh).isEmpty()) {
                return fresh;
            }
            // an index handed out before a restart of a shared store's counter: take the next one
        }
    }

    private RequestRecord newRequestWithIdx(RequestRecord old, long now) {
        RequestRecord fresh = new RequestRecord(old.requestIdx(), old.endpoint(), old.cost(), old.firstSeenNanos(), "",
                0, 1);
        Optional<RequestRecord> existing = store.putRequestIfAbsent(fresh);
        times.touch(old.requestIdx(), now);
        return existing.orElse(fresh);
    }

    private void maybeSweep(long now) {
        if (scheduledSweeps.get() > 0) {
            return;
        }
        long last = lastSweep.get();
        if (now - last >= sweepIntervalNanos && lastSweep.compareAndSet(last, now)) {
            try {
                sweep();
            } catch (RuntimeException e) {
                log.warn("sweeping stale requests failed; the next sweep retries", e);
            }
        }
    }

    /** An endpoint with no worker ready or on its way gets a control tick now, at most once per wake interval. */
    private void maybeWake(String endpoint, List<WorkerRecord> workers, long now) {
        for (WorkerRecord w : workers) {
            if (w.state() == WorkerState.READY || w.state().isProvisioning()) {
                return;
            }
        }
        Long previous = lastWake.get(endpoint);
        if (previous != null && now - previous < wakeIntervalNanos) {
            return;
        }
        boolean claimed = previous == null ? lastWake.putIfAbsent(endpoint, now) == null
                : lastWake.replace(endpoint, previous, now);
        if (!claimed) {
            return;
        }
        log.info("endpoint {}: a request waits and no worker is on its way; ticking now", endpoint);
        try {
            wakeExecutor.execute(() -> {
                try {
                    engine.tick(endpoint);
                } catch (RuntimeException e) {
                    log.warn("waking endpoint {} failed", endpoint, e);
                }
            });
        } catch (RuntimeException rejected) {
            log.warn("could not schedule a wake of endpoint {}", endpoint, rejected);
        }
    }

    private String newRequestId() {
        // a version 4 uuid from the router's random source, so that seeded simulations are reproducible
        long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    private static String formatCost(double cost) {
        return cost == Math.rint(cost) && Math.abs(cost) < 1e15 ? Long.toString((long) cost) : Double.toString(cost);
    }

    /**
     * The cost in the form the legacy signature needs: integral types as a Long, everything else as a
     * Double.
     */
    static Number normalizeCost(Number cost) {
        if (cost == null) {
            throw new InvalidRequestException("cost", "is required");
        }
        Number n;
        if (cost instanceof Long || cost instanceof Integer || cost instanceof Short || cost instanceof Byte) {
            n = cost.longValue();
        } else if (cost instanceof BigInteger big) {
            if (big.bitLength() > 63) {
                throw new InvalidRequestException("cost", "is out of range: " + big);
            }
            n = big.longValue();
        } else if (cost instanceof BigDecimal dec) {
            n = dec.doubleValue();
        } else {
            n = cost.doubleValue();
        }
        double value = n.doubleValue();
        if (!Double.isFinite(value)) {
            throw new InvalidRequestException("cost", "must be a finite number, got " + value);
        }
        if (value < 0) {
            throw new InvalidRequestException("cost", "must be >= 0, got " + n);
        }
        return n;
    }

    /** Configures a {@link Router}. */
    public static final class Builder {
        private final Autoscaler engine;
        private Function<String, TicketSigner> signers;
        private RoutingStrategy strategy;
        private RandomGenerator random;
        private Duration waitingTimeout = Duration.ofSeconds(120);
        private Duration reservationTimeout = Duration.ofSeconds(30);
        private Duration sweepInterval = Duration.ofSeconds(1);
        private Duration wakeInterval = Duration.ofSeconds(1);
        private Executor wakeExecutor;

        private Builder(Autoscaler engine) {
            this.engine = Objects.requireNonNull(engine, "engine");
        }

        /**
         * The ticket signer of each format name ({@code vast-rsa}, {@code ed25519}); required.
         *
         * @param signers the new value
         * @return this builder
         */
        public Builder signers(Function<String, TicketSigner> signers) {
            this.signers = signers;
            return this;
        }

        /**
         * The engine's ticket formats: each endpoint is signed in its {@code ticket_format}.
         *
         * @param tickets the new value
         * @return this builder
         */
        public Builder tickets(TicketFormats tickets) {
            Objects.requireNonNull(tickets, "tickets");
            this.signers = tickets::signer;
            return this;
        }

        /**
         * One signer for every endpoint, whatever its ticket format (tests, simple setups).
         *
         * @param signer the new value
         * @return this builder
         */
        public Builder signer(TicketSigner signer) {
            Objects.requireNonNull(signer, "signer");
            this.signers = format -> signer;
            return this;
        }

        /**
         * How a worker is picked among the eligible ones (default: least expected wait).
         *
         * @param strategy the new value
         * @return this builder
         */
        public Builder strategy(RoutingStrategy strategy) {
            this.strategy = strategy;
            return this;
        }

        /**
         * A strategy by name, from the {@link dev.autoscaler.spi.RoutingStrategyProvider}s on the class path.
         *
         * @param name the new value
         * @return this builder
         */
        public Builder strategy(String name) {
            this.strategy = RoutingStrategies.create(name, null);
            return this;
        }

        /**
         * The random source of strategies, group weights and request ids (seed it in simulations; it
         * must then be thread safe if routes run concurrently). Default: each thread's ThreadLocalRandom.
         *
         * @param random the new value
         * @return this builder
         */
        public Builder random(RandomGenerator random) {
            this.random = random;
            return this;
        }

        /**
         * A waiting request that is not polled again for this long is forgotten (default 120 s).
         *
         * @param timeout the new value
         * @return this builder
         */
        public Builder waitingTimeout(Duration timeout) {
            this.waitingTimeout = positive("waitingTimeout", timeout);
            return this;
        }

        /**
         * A reservation that no report or {@code /delete_requests/} accounted for ends after this long
         * (default 30 s): the client never called the worker, or the worker does not list
         * {@code working_request_idxs}.
         *
         * @param timeout the new value
         * @return this builder
         */
        public Builder reservationTimeout(Duration timeout) {
            this.reservationTimeout = positive("reservationTimeout", timeout);
            return this;
        }

        /**
         * How often {@link #route} sweeps stale requests by itself (default 1 s).
         *
         * @param interval the new value
         * @return this builder
         */
        public Builder sweepInterval(Duration interval) {
            this.sweepInterval = positive("sweepInterval", interval);
            return this;
        }

        /**
         * The least time between two wake-up ticks of one endpoint (default 1 s).
         *
         * @param interval the new value
         * @return this builder
         */
        public Builder wakeInterval(Duration interval) {
            this.wakeInterval = positive("wakeInterval", interval);
            return this;
        }

        /**
         * Where wake-up ticks run (default: on the routing thread, which suits tests and the
         * simulator; a server should pass an executor so that a slow provider does not hold a request).
         *
         * @param executor the new value
         * @return this builder
         */
        public Builder wakeExecutor(Executor executor) {
            this.wakeExecutor = executor;
            return this;
        }

        /**
         * The router.
         *
         * @return a new router
         */
        public Router build() {
            return new Router(this);
        }

        private static Duration positive(String name, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, got " + d);
            }
            return d;
        }
    }
}
