package dev.autoscaler.examples.demo;

import dev.autoscaler.Clock;
import dev.autoscaler.TaskScheduler;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Replays a trace through a {@link WorkerCaller}, each request at its arrival time divided by the
 * time scale (30 plays an hour in two minutes), optionally cut after a duration. Arrivals are
 * pumped by one task on the injected scheduler that sends what is due and schedules itself for the
 * next arrival, so a {@link dev.autoscaler.ManualScheduler} drives it in tests.
 */
public final class TraceReplayer {
    private final List<TraceRequest> trace;
    private final double timeScale;
    private final Duration limit;
    private final WorkerCaller caller;
    private final TaskScheduler scheduler;
    private final Clock clock;
    private final Consumer<TraceRequest> onSent;
    private final Consumer<RequestOutcome> onOutcome;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final AtomicInteger pending = new AtomicInteger(1); // 1 for the pump itself
    private int next;
    private long startNanos;
    private volatile boolean stopped;

    /**
     * @param timeScale how many times faster than the trace to play (> 0)
     * @param limit     stop sending after this much (replay) time; {@code null} for the whole trace
     * @param onSent    called as each request leaves
     * @param onOutcome called with each request's outcome
     */
    public TraceReplayer(List<TraceRequest> trace, double timeScale, Duration limit, WorkerCaller caller,
                         TaskScheduler scheduler, Clock clock, Consumer<TraceRequest> onSent,
                         Consumer<RequestOutcome> onOutcome) {
        if (!(timeScale > 0) || Double.isInfinite(timeScale)) {
            throw new IllegalArgumentException("time scale must be positive, got " + timeScale);
        }
        this.trace = List.copyOf(trace);
        this.timeScale = timeScale;
        this.limit = limit;
        this.caller = Objects.requireNonNull(caller, "caller");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.onSent = Objects.requireNonNull(onSent, "onSent");
        this.onOutcome = Objects.requireNonNull(onOutcome, "onOutcome");
    }

    /** How long the replay takes at this time scale, within the limit. */
    public Duration replayDuration() {
        long last = trace.isEmpty() ? 0 : trace.get(trace.size() - 1).offsetNanos();
        Duration whole = Duration.ofNanos((long) (last / timeScale));
        return limit != null && limit.compareTo(whole) < 0 ? limit : whole;
    }

    /** Starts sending; the future completes when every sent request has its outcome. */
    public synchronized CompletableFuture<Void> start() {
        startNanos = clock.nanoTime();
        scheduler.schedule(this::pump, Duration.ZERO);
        return done;
    }

    /** Sends no more requests; those in flight still complete. */
    public void stop() {
        stopped = true;
    }

    private void pump() {
        long elapsed;
        synchronized (this) {
            elapsed = clock.nanoTime() - startNanos;
            while (!stopped && next < trace.size() && due(trace.get(next)) <= elapsed) {
                TraceRequest r = trace.get(next++);
                if (limit != null && due(r) > limit.toNanos()) {
                    stopped = true;
                    break;
                }
                send(r);
            }
            if (!stopped && next < trace.size()) {
                long wait = Math.max(0, due(trace.get(next)) - elapsed);
                scheduler.schedule(this::pump, Duration.ofNanos(wait));
                return;
            }
        }
        finishOne();
    }

    private long due(TraceRequest r) {
        return (long) (r.offsetNanos() / timeScale);
    }

    private void send(TraceRequest r) {
        pending.incrementAndGet();
        onSent.accept(r);
        CompletableFuture<RequestOutcome> call;
        try {
            call = caller.call(r);
        } catch (RuntimeException e) {
            call = CompletableFuture.completedFuture(
                    new RequestOutcome(r, RequestOutcome.Kind.FAILED, Double.NaN, 0, ""));
        }
        call.whenComplete((outcome, failure) -> {
            onOutcome.accept(outcome != null ? outcome
                    : new RequestOutcome(r, RequestOutcome.Kind.FAILED, Double.NaN, 0, ""));
            finishOne();
        });
    }

    private void finishOne() {
        if (pending.decrementAndGet() == 0) {
            done.complete(null);
        }
    }
}
