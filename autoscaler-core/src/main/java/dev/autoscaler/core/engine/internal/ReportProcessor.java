package dev.autoscaler.core.engine.internal;

import dev.autoscaler.AuthenticationException;
import dev.autoscaler.Clock;
import dev.autoscaler.InvalidRequestException;
import dev.autoscaler.LoadReport;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import dev.autoscaler.spi.StateStore;
import dev.autoscaler.spi.WorkerUpdate;
import java.util.function.Function;

/**
 * Applies a {@code /worker_status/} report to its worker: authenticates it (instance id + mtoken),
 * records its load and perf, and moves its lifecycle state (docs/PROTOCOL.md#post-worker_status: ready when
 * {@code max_perf > 0} with no error; a non-empty {@code error_msg} means broken).
 */
public final class ReportProcessor {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ReportProcessor.class);
    /**
     * A worker holds at most this many seconds of work at its own {@code max_perf} in one report's
     * {@code cur_load} or {@code new_load}: an hour, far above any queue the router builds
     * ({@code max_queue_time} is 30 s by default), far below what would make a policy rent the endpoint's whole cap.
     */
    static final double MAX_WORK_SECONDS = 3600;
    /** A {@code cur_perf} or {@code max_perf} this many times the worker's known {@code max_perf} is not a measurement. */
    static final double MAX_PERF_JUMP = 1000;

    private final StateStore store;
    private final Clock clock;
    private final ProviderActions actions;
    private final Function<String, LoadTracker> trackers;
    private final RequestLedger ledger;
    private final Function<WorkerRecord, String> providerOf;
    private final WorkerUrlCheck urlCheck;
    private final InstanceAddresses addresses;
    private final Runnable addressWanted;

    /**
     * @param urlCheck      what a reported {@code url} must satisfy
     * @param addresses     the providers' addresses of the instances, that the check compares with
     * @param addressWanted called when a report names a URL for an instance the provider gave no address
     *                      for yet: the engine asks its providers again soon
     */
    public ReportProcessor(StateStore store, Clock clock, ProviderActions actions, Function<String, LoadTracker> trackers,
                           Function<WorkerRecord, String> providerOf, WorkerUrlCheck urlCheck,
                           InstanceAddresses addresses, Runnable addressWanted) {
        this.urlCheck = urlCheck;
        this.addresses = addresses;
        this.addressWanted = addressWanted;
        this.store = store;
        this.clock = clock;
        this.actions = actions;
        this.trackers = trackers;
        this.ledger = new RequestLedger(store);
        this.providerOf = providerOf;
    }

    /**
     * The worker with this instance id, if {@code mtoken} is its token.
     *
     * @throws AuthenticationException for an unknown id or a wrong mtoken (the same error for both,
     *                                 so that a caller cannot probe which ids exist)
     */
    public WorkerRecord authenticate(long instanceId, String mtoken) {
        return store.workerByInstanceId(Long.toString(instanceId))
                .filter(w -> MtokenMinter.matches(w.mtoken(), mtoken))
                .orElseThrow(() -> new AuthenticationException("unknown worker id or wrong mtoken"));
    }

    /**
     * A worker's {@code /delete_requests/}: ends the reservations of the named requests that were
     * reserved on it.
     *
     * @return how many reservations ended
     */
    public int deleteRequests(long instanceId, String mtoken, java.util.Collection<Long> requestIdxs) {
        WorkerRecord worker = authenticate(instanceId, mtoken);
        return ledger.releaseOwn(worker.workerId(), requestIdxs);
    }

    /**
     * @return the worker as stored after the report
     * @throws AuthenticationException for an unknown id or a wrong mtoken (the same error for both,
     *                                 so that a caller cannot probe which ids exist)
     * @throws InvalidRequestException (field {@code url}) for a URL the engine cannot vouch for (see
     *                                 {@link WorkerUrlCheck}); the report is not applied, an event is
     *                                 published, and a ready worker goes back to loading (not routed to)
     */
    public WorkerRecord apply(LoadReport report) {
        WorkerRecord known = authenticate(report.id(), report.mtoken());
        if (!report.url().isEmpty()) {
            String providerUrl = addresses.urlOf(known.instanceId());
            String mismatch = urlCheck.mismatch(report.url(), providerUrl);
            if (mismatch != null) {
                refuseUrl(known, mismatch, providerUrl.isEmpty());
                throw new InvalidRequestException("url", mismatch);
            }
        }
        Implausible implausible = implausible(known, report);
        if (implausible != null) {
            log.warn("report of worker {} (endpoint {}, instance {}) refused: {} {}", known.workerId(), known.endpoint(),
                    known.instanceId(), implausible.field(), implausible.why());
            actions.publishReportRejected(known, implausible.field(), implausible.why());
            throw new InvalidRequestException(implausible.field(), implausible.why());
        }
        long now = clock.nanoTime();
        // Requests the worker now lists as in flight are in its cur_load: their reservations end in
        // the same versioned update that records that cur_load, so nothing is counted twice.
        RequestLedger.Taken nowReported = ledger.takeListed(known.workerId(), report.workingRequestIdxs());
        WorkerUpdate update = store.updateWorkerIf(known.workerId(), w -> true, w -> {
            WorkerRecord applied = applyTo(w, report, now);
            return nowReported.none() ? applied : nowReported.from(applied);
        });
        if (!update.exists()) {
            throw new AuthenticationException("unknown worker id or wrong mtoken");
        }
        WorkerRecord stored = update.after();
        WorkerState before = update.before().state(); // the state the written change started from
        if (stored.state() != before) {
            actions.publishState(stored, before, stored.state(), reasonFor(report, stored.state()));
            if (stored.state() == WorkerState.READY) {
                actions.booted(stored);
                actions.recordMeasuredPerf(stored, providerOf.apply(stored));
            }
        }
        if (countsLoad(before)) {
            trackers.apply(stored.endpoint()).recordReport(report.newLoad(), report.curPerf(),
                    report.curLoad() > 0 || report.numRequestsWorking() > 0, now);
        }
        return stored;
    }

    /**
     * Figures no worker can measure, judged against what the worker itself said before: {@code max_perf}
     * or {@code cur_perf} {@value #MAX_PERF_JUMP} times its known {@code max_perf}, or more work in
     * {@code cur_load} or {@code new_load} than {@value #MAX_WORK_SECONDS} s at that perf. Negative and
     * non-finite figures never get here (the report's own checks refuse them). A worker with no known
     * perf yet is bounded by those checks alone.
     *
     * @return the field and why, or null when the report is plausible
     */
    static Implausible implausible(WorkerRecord known, LoadReport report) {
        double knownPerf = known.maxPerf();
        if (knownPerf > 0 && report.maxPerf() > MAX_PERF_JUMP * knownPerf) {
            return new Implausible("max_perf", "jumped from " + knownPerf + " to " + report.maxPerf()
                    + " (more than " + (long) MAX_PERF_JUMP + "x): not a measurement");
        }
        double perf = knownPerf > 0 ? knownPerf : report.maxPerf();
        if (perf <= 0) {
            return null;
        }
        if (report.curPerf() > MAX_PERF_JUMP * perf) {
            return new Implausible("cur_perf", report.curPerf() + " is more than " + (long) MAX_PERF_JUMP
                    + "x the worker's max_perf " + perf + ": not a measurement");
        }
        double maxWork = MAX_WORK_SECONDS * perf;
        if (report.curLoad() > maxWork) {
            return new Implausible("cur_load", report.curLoad() + " is more than " + (long) MAX_WORK_SECONDS
                    + " s of work at the worker's max_perf " + perf + ": not a load it can hold");
        }
        if (report.newLoad() > maxWork) {
            return new Implausible("new_load", report.newLoad() + " is more than " + (long) MAX_WORK_SECONDS
                    + " s of work at the worker's max_perf " + perf + ": not a load it can have taken");
        }
        return null;
    }

    /** A report's figure no worker can measure: the field and why. */
    record Implausible(String field, String why) {
    }

    private void refuseUrl(WorkerRecord worker, String mismatch, boolean providerGaveNoAddress) {
        actions.publishReportRejected(worker, "url", mismatch);
        if (worker.state() == WorkerState.READY) {
            long now = clock.nanoTime();
            store.updateWorker(worker.workerId(), w -> w.state() != WorkerState.READY ? w
                    : w.toBuilder().state(WorkerState.LOADING).stateSinceNanos(now).build())
                    .filter(w -> w.state() == WorkerState.LOADING)
                    .ifPresent(w -> actions.publishState(w, WorkerState.READY, WorkerState.LOADING,
                            "reported a url the engine cannot vouch for: " + mismatch));
        }
        if (providerGaveNoAddress && !urlCheck.usesAllowedHosts()) {
            addressWanted.run();
        }
    }

    private static boolean countsLoad(WorkerState state) {
        // A late report from a worker we stopped or destroyed says nothing about current traffic.
        return !state.isCold() && state != WorkerState.DESTROYING && state != WorkerState.DESTROYED;
    }

    static WorkerRecord applyTo(WorkerRecord w, LoadReport report, long now) {
        WorkerRecord.Builder b = w.toBuilder().lastReportNanos(now);
        if (!report.url().isEmpty()) {
            b.url(stripTrailingSlash(report.url()));
        }
        if (!countsLoad(w.state())) {
            return b.build();
        }
        b.curLoad(report.curLoad()).numRequestsWorking(report.numRequestsWorking())
                .numRequestsReceived(report.numRequestsReceived());
        if (report.maxPerf() > 0) {
            b.maxPerf(report.maxPerf());
        }
        WorkerState next = nextState(w.state(), report);
        if (report.hasError()) {
            b.errorMsg(report.errorMsg());
            if (next == WorkerState.ERROR && w.state() != WorkerState.ERROR) {
                b.errorCount(w.errorCount() + 1);
            }
        }
        if (next != w.state()) {
            b.state(next).stateSinceNanos(now);
        }
        return b.build();
    }

    private static WorkerState nextState(WorkerState current, LoadReport report) {
        return switch (current) {
            case LOADING, STARTING, REBOOTING, READY -> {
                if (report.hasError()) {
                    yield WorkerState.ERROR;
                }
                if (report.isReady()) {
                    yield WorkerState.READY;
                }
                // A ready worker that reports max_perf 0 restarted on its own and is loading again.
                yield current == WorkerState.READY ? WorkerState.LOADING : current;
            }
            // A draining worker never goes back to ready (no new request may reach it); an error
            // still marks it broken, so that it is replaced rather than waited for.
            case DRAINING -> report.hasError() ? WorkerState.ERROR : current;
            // An errored worker stays errored until the engine has rebooted it; creating ones wait
            // for their instance to be bound.
            default -> current;
        };
    }

    private static String reasonFor(LoadReport report, WorkerState state) {
        return switch (state) {
            case READY -> "reported max_perf " + report.maxPerf();
            case ERROR -> "reported error: " + report.errorMsg();
            case LOADING -> "reported max_perf 0: loading";
            default -> "report";
        };
    }

    static String stripTrailingSlash(String url) {
        String u = url;
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return u;
    }
}
