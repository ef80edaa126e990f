package dev.autoscaler.examples.worker;

import dev.autoscaler.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An emulated LLM backend: a throughput (perf units, e.g. tokens, per second) shared equally by
 * the requests in service (processor sharing, as a GPU batches the sequences it decodes), at most
 * {@code maxConcurrency} in service, the rest waiting in FIFO order. Runs in real time on one
 * daemon thread that sleeps until the next completion or arrival: this is what a worker process
 * serves, so its timing is wall time on purpose.
 */
public final class ProcessorSharingBackend implements AutoCloseable {
    private static final double DONE_EPSILON = 1e-9;

    /** When a job entered, started and finished service, in {@link Clock#nanoTime()} units. */
    public record Completion(double work, long enteredNanos, long startedNanos, long completedNanos) {
        public double queueSeconds() {
            return (startedNanos - enteredNanos) / 1e9;
        }

        public double serviceSeconds() {
            return (completedNanos - startedNanos) / 1e9;
        }
    }

    private static final class Job {
        final double work;
        final long entered;
        final CompletableFuture<Completion> done = new CompletableFuture<>();
        double remaining;
        long started;

        Job(double work, long entered) {
            this.work = work;
            this.remaining = work;
            this.entered = entered;
        }
    }

    private final double throughput;
    private final int maxConcurrency;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<Job> inService = new ArrayList<>();
    private final Deque<Job> waiting = new ArrayDeque<>();
    private final Thread loop;
    private long lastAdvance;
    private volatile boolean closed;

    public ProcessorSharingBackend(double throughput, int maxConcurrency, Clock clock) {
        if (!(throughput > 0) || Double.isInfinite(throughput)) {
            throw new IllegalArgumentException("throughput must be positive, got " + throughput);
        }
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("maxConcurrency must be at least 1, got " + maxConcurrency);
        }
        this.throughput = throughput;
        this.maxConcurrency = maxConcurrency;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.lastAdvance = clock.nanoTime();
        this.loop = new Thread(this::run, "emulated-backend");
        loop.setDaemon(true);
        loop.start();
    }

    /** Queues {@code work} units; the future completes when they have been served. */
    public CompletableFuture<Completion> submit(double work) {
        if (!(work > 0) || Double.isInfinite(work)) {
            throw new IllegalArgumentException("work must be positive, got " + work);
        }
        lock.lock();
        try {
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException("backend closed"));
            }
            long now = clock.nanoTime();
            advance(now);
            Job job = new Job(work, now);
            waiting.addLast(job);
            admit(now);
            changed.signalAll();
            return job.done;
        } finally {
            lock.unlock();
        }
    }

    /** Work not yet served: what is left of the requests in service plus everything waiting. */
    public double pendingWork() {
        lock.lock();
        try {
            advance(clock.nanoTime());
            double sum = 0;
            for (Job j : inService) {
                sum += j.remaining;
            }
            for (Job j : waiting) {
                sum += j.remaining;
            }
            return sum;
        } finally {
            lock.unlock();
        }
    }

    /** Requests in service or waiting. */
    public int inFlight() {
        lock.lock();
        try {
            return inService.size() + waiting.size();
        } finally {
            lock.unlock();
        }
    }

    public double throughput() {
        return throughput;
    }

    @Override
    public void close() {
        List<Job> dropped = new ArrayList<>();
        lock.lock();
        try {
            closed = true;
            dropped.addAll(inService);
            dropped.addAll(waiting);
            inService.clear();
            waiting.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        dropped.forEach(j -> j.done.completeExceptionally(new IllegalStateException("backend closed")));
    }

    private void run() {
        while (!closed) {
            List<Job> finished = new ArrayList<>();
            long now;
            lock.lock();
            try {
                now = clock.nanoTime();
                advance(now);
                for (var it = inService.iterator(); it.hasNext(); ) {
                    Job j = it.next();
                    if (j.remaining <= DONE_EPSILON * j.work) {
                        it.remove();
                        finished.add(j);
                    }
                }
                admit(now);
                if (finished.isEmpty()) {
                    awaitNextEvent();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                lock.unlock();
            }
            // the completion time is the instant the loop saw them done, when the next ones started
            for (Job j : finished) {
                j.done.complete(new Completion(j.work, j.entered, j.started, now));
            }
        }
    }

    /** Sleeps until the job with the least work left would finish, or until something changes. */
    private void awaitNextEvent() throws InterruptedException {
        if (inService.isEmpty()) {
            changed.await();
            return;
        }
        double least = Double.MAX_VALUE;
        for (Job j : inService) {
            least = Math.min(least, j.remaining);
        }
        double seconds = least * inService.size() / throughput;
        long nanos = Math.max(1L, (long) Math.ceil(seconds * 1e9));
        changed.awaitNanos(Math.min(nanos, TimeUnit.SECONDS.toNanos(60)));
    }

    /** Serves the elapsed time: each job in service gets an equal share of the throughput. */
    private void advance(long now) {
        long elapsed = now - lastAdvance;
        lastAdvance = now;
        if (elapsed <= 0 || inService.isEmpty()) {
            return;
        }
        double share = throughput * (elapsed / 1e9) / inService.size();
        for (Job j : inService) {
            j.remaining = Math.max(0, j.remaining - share);
        }
    }

    private void admit(long now) {
        while (inService.size() < maxConcurrency && !waiting.isEmpty()) {
            Job j = waiting.removeFirst();
            j.started = now;
            inService.add(j);
        }
    }
}
