package dev.autoscaler.sim;

import dev.autoscaler.LoadReport;
import dev.autoscaler.spi.Instance;
import dev.autoscaler.spi.InstanceStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One simulated GPU instance and the worker inside it: its boot, its faults, its processor-sharing
 * GPU, its reports and its bill. Its fate (stuck loading, a later error) is drawn when it is rented,
 * from its own random stream, so that it does not depend on what else happens in the run.
 *
 * <p>Every scheduled event carries the token current when it was scheduled; a lifecycle change bumps
 * the token, which cancels the events of the previous life (a stopped worker sends no more reports).
 */
final class SimulatedInstance {
    enum Phase {
        /** Powering on (first boot, resume or reboot): reports {@code max_perf} 0 until ready. */
        BOOTING,
        READY,
        /** Reports an error; serves nothing. */
        ERRORED,
        /** A resume waiting for a GPU that someone else rented: no reports, until stopped or destroyed. */
        STALLED,
        STOPPED,
        DESTROYED
    }

    private static final String VERSION = "simulated-1";
    private static final String ERROR = "CUDA error: an illegal memory access was encountered";

    final long id;
    final String idString;
    final String label;
    final String endpoint;
    final String mtoken;
    final String url;
    final GpuOffer offer;
    private final WorldModel world;
    private final SimulatedProvider owner;
    private final SplittableRandom random;
    private final boolean stuck;
    private boolean errorPending;

    private Phase phase;
    private int token;
    private long poweredOnNanos;
    private boolean benchmarked;
    private double loadtimeSeconds;

    private final ProcessorSharingServer<SimRequest> gpu;
    private int completionToken;
    private long nextReportNanos = Long.MAX_VALUE;
    private int reportToken;
    private double newLoad;
    private double servedLoad;
    private long received;

    private double fullNanos;
    private double storageNanos;
    private long billedSinceNanos;

    SimulatedInstance(long id, String label, String endpoint, String mtoken, String url, GpuOffer offer,
                      WorldModel world, SimulatedProvider owner, SplittableRandom random) {
        this.id = id;
        this.idString = Long.toString(id);
        this.label = label;
        this.endpoint = endpoint;
        this.mtoken = mtoken;
        this.url = url;
        this.offer = offer;
        this.world = world;
        this.owner = owner;
        this.random = random;
        this.stuck = random.nextDouble() < world.stuckLoadingFraction();
        this.errorPending = !stuck && random.nextDouble() < world.errorAfterReadyFraction();
        this.gpu = new ProcessorSharingServer<>(offer.perf(), world.maxInFlight());
    }

    Phase phase() {
        return phase;
    }

    boolean stuck() {
        return stuck;
    }

    // ---- provider calls ----

    /** Rented: the first boot. */
    void created(long now) {
        billedSinceNanos = now;
        phase = Phase.BOOTING; // billing starts now, at the full price
        powerOn(now, stuck ? -1 : world.boot().sampleNanos(random), false);
    }

    void start(long now) {
        if (phase != Phase.STOPPED) {
            return; // already running or resuming: starting again changes nothing
        }
        if (random.nextDouble() < world.resumeStallFraction()) {
            enter(Phase.STALLED, now);
            return;
        }
        long duration = benchmarked ? world.resume().sampleNanos(random)
                : stuck ? -1 : world.boot().sampleNanos(random); // never loaded: the boot starts over
        powerOn(now, duration, false);
    }

    void stop(long now) {
        if (phase == Phase.STOPPED) {
            return;
        }
        enter(Phase.STOPPED, now);
    }

    /** Restarts the container; the worker comes back with its cached benchmark, or its fault. */
    void reboot(long now) {
        boolean faultRecurs = phase == Phase.ERRORED && random.nextDouble() < world.errorRecursFraction();
        long duration = stuck || !benchmarked ? (stuck ? -1 : world.boot().sampleNanos(random))
                : Math.round(world.rebootSeconds() * 1e9);
        powerOn(now, duration, faultRecurs);
    }

    void destroy(long now) {
        enter(Phase.DESTROYED, now);
    }

    Instance toInstance() {
        InstanceStatus status = switch (phase) {
            case STOPPED -> InstanceStatus.STOPPED;
            case STALLED -> InstanceStatus.PROVISIONING;
            default -> InstanceStatus.RUNNING;
        };
        return new Instance(idString, label, status, url, offer.gpuName(), offer.pricePerHour(), offer.reliability());
    }

    // ---- requests ----

    /** A request routed here; false when this worker cannot take it (not ready). */
    boolean accept(SimRequest request, long now) {
        if (phase != Phase.READY) {
            return false;
        }
        received++;
        newLoad += request.cost;
        request.status = SimRequest.Status.ASSIGNED;
        ProcessorSharingServer.Job<SimRequest> job = gpu.add(request, request.cost, now);
        if (job.startNanos >= 0) {
            owner.listener().requestStarted(request, now);
        }
        scheduleCompletion();
        long busyReport = now + nanos(world.busyReportSeconds());
        if (nextReportNanos > busyReport) {
            scheduleReport(busyReport);
        }
        return true;
    }

    private void complete(long now) {
        List<ProcessorSharingServer.Job<SimRequest>> completed = new ArrayList<>(2);
        List<ProcessorSharingServer.Job<SimRequest>> started = new ArrayList<>(2);
        gpu.advanceTo(now, completed, started);
        for (var job : completed) {
            servedLoad += job.work;
            owner.listener().requestCompleted(job.payload, now);
        }
        for (var job : started) {
            owner.listener().requestStarted(job.payload, now);
        }
        scheduleCompletion();
    }

    private void scheduleCompletion() {
        int t = ++completionToken;
        long at = gpu.nextCompletionNanos();
        if (at != Long.MAX_VALUE) {
            owner.events().at(at, () -> {
                if (completionToken == t) {
                    complete(at);
                }
            });
        }
    }

    // ---- lifecycle ----

    /**
     * Powers on: loading reports from {@code first_report_seconds} on, then ready (or the fault)
     * after {@code durationNanos}; a negative duration never gets there (stuck loading).
     */
    private void powerOn(long now, long durationNanos, boolean faultOnReady) {
        enter(Phase.BOOTING, now);
        poweredOnNanos = now;
        int life = token;
        scheduleReport(now + nanos(world.firstReportSeconds()));
        if (durationNanos >= 0) {
            owner.events().at(now + durationNanos, () -> {
                if (token == life) {
                    if (faultOnReady) {
                        fail(now + durationNanos);
                    } else {
                        becomeReady(now + durationNanos);
                    }
                }
            });
        }
    }

    private void becomeReady(long now) {
        if (!benchmarked) {
            loadtimeSeconds = (now - poweredOnNanos) / 1e9;
        }
        benchmarked = true;
        enter(Phase.READY, now);
        if (errorPending) {
            errorPending = false;
            int life = token;
            long at = now + Math.max(1, Math.round(-Math.log(1 - random.nextDouble()) * world.meanSecondsToError() * 1e9));
            owner.events().at(at, () -> {
                if (token == life) {
                    fail(at);
                }
            });
        }
        report(now); // the ready report goes out as soon as the benchmark is done
    }

    private void fail(long now) {
        enter(Phase.ERRORED, now);
        report(now);
    }

    /** Leaves the current life: bills it, cancels its events, hands its requests back. */
    private void enter(Phase next, long now) {
        bill(now);
        phase = next;
        owner.rateChanged();
        token++;
        reportToken++;
        completionToken++;
        nextReportNanos = Long.MAX_VALUE;
        if (gpu.size() > 0) {
            for (var job : gpu.drain()) {
                owner.listener().requestBounced(job.payload, now);
            }
        }
        newLoad = 0;
        servedLoad = 0;
    }

    // ---- reports ----

    private void scheduleReport(long at) {
        int t = ++reportToken;
        nextReportNanos = at;
        owner.events().at(at, () -> {
            if (reportToken == t) {
                report(at);
            }
        });
    }

    private void report(long now) {
        LoadReport.Builder b = LoadReport.builder(id, mtoken).version(VERSION).url(url);
        switch (phase) {
            case READY -> {
                List<Long> working = new ArrayList<>(gpu.size());
                for (SimRequest r : gpu.payloads()) {
                    working.add(r.requestIdx);
                }
                b.loadtime(loadtimeSeconds).maxPerf(offer.perf()).curLoad(gpu.load()).newLoad(newLoad)
                        .curPerf(servedLoad).numRequestsWorking(gpu.size()).numRequestsReceived(received)
                        .workingRequestIdxs(working);
            }
            case ERRORED -> b.errorMsg(ERROR);
            case BOOTING -> b.numRequestsReceived(received);
            default -> {
                return; // stopped, stalled or gone: no worker process to report
            }
        }
        newLoad = 0;
        servedLoad = 0;
        owner.deliverReport(b.build(), this);
        boolean busy = phase == Phase.READY && gpu.size() > 0;
        scheduleReport(now + nanos(busy ? world.busyReportSeconds() : world.idleReportSeconds()));
    }

    // ---- billing ----

    private void bill(long now) {
        if (phase == null) {
            billedSinceNanos = now;
            return;
        }
        long span = now - billedSinceNanos;
        switch (phase) {
            case BOOTING, READY, ERRORED -> fullNanos += span;
            case STALLED, STOPPED -> storageNanos += span;
            default -> {
            }
        }
        billedSinceNanos = now;
    }

    /** Hours billed at the full price until {@code now}. */
    double fullHours(long now) {
        double extra = switch (phase) {
            case BOOTING, READY, ERRORED -> now - billedSinceNanos;
            default -> 0;
        };
        return (fullNanos + extra) / 3.6e12;
    }

    /** Hours billed at the storage price until {@code now}. */
    double storageHours(long now) {
        double extra = phase == Phase.STALLED || phase == Phase.STOPPED ? now - billedSinceNanos : 0;
        return (storageNanos + extra) / 3.6e12;
    }

    /** {@return what it is billed per hour now: its price, its storage share while stopped or stalled, 0 before rent} */
    double costPerHourNow() {
        if (phase == null) {
            return 0;
        }
        return switch (phase) {
            case BOOTING, READY, ERRORED -> offer.pricePerHour();
            case STALLED, STOPPED -> offer.pricePerHour() * world.storagePriceFraction();
            default -> 0;
        };
    }

    double costUsd(long now) {
        return offer.pricePerHour() * (fullHours(now) + world.storagePriceFraction() * storageHours(now));
    }

    private static long nanos(double seconds) {
        return Math.round(seconds * 1e9);
    }
}
