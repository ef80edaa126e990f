package dev.autoscaler.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A worker's GPU as a processor-sharing server: {@code capacity} perf units/s shared equally by
 * the jobs in service (at most {@code maxInService}); later jobs wait in FIFO order. Uses virtual
 * time: {@code attained} is the service each job in service has received since the server last
 * emptied, growing at {@code capacity / n}; a job finishes when it reaches its start value plus its
 * work. A change in {@code n} needs no rescan of the jobs.
 *
 * @param <T> what a job carries
 */
final class ProcessorSharingServer<T> {
    /** Work left below this (perf units) counts as done: absorbs rounding to whole nanoseconds. */
    private static final double EPSILON = 1e-6;

    private final double capacity;
    private final int maxInService;
    private final PriorityQueue<Job<T>> inService = new PriorityQueue<>();
    private final ArrayDeque<Job<T>> waiting = new ArrayDeque<>();
    private double attained;
    private long lastNanos;
    private long sequence;
    private double load;

    ProcessorSharingServer(double capacity, int maxInService) {
        if (!(capacity > 0)) {
            throw new IllegalArgumentException("capacity must be > 0, got " + capacity);
        }
        if (maxInService < 1) {
            throw new IllegalArgumentException("maxInService must be >= 1, got " + maxInService);
        }
        this.capacity = capacity;
        this.maxInService = maxInService;
    }

    /** One job: its payload, its work and, once in service, when it started. */
    static final class Job<T> implements Comparable<Job<T>> {
        final T payload;
        final double work;
        final long seq;
        double finishAttained;
        long startNanos = -1;

        Job(T payload, double work, long seq) {
            this.payload = payload;
            this.work = work;
            this.seq = seq;
        }

        @Override
        public int compareTo(Job<T> o) {
            int byFinish = Double.compare(finishAttained, o.finishAttained);
            return byFinish != 0 ? byFinish : Long.compare(seq, o.seq);
        }
    }

    /**
     * Adds a job at {@code nowNanos}; it enters service at once when there is room.
     *
     * @return the job, whose {@code startNanos} is set when it entered service
     */
    Job<T> add(T payload, double work, long nowNanos) {
        advance(nowNanos);
        Job<T> job = new Job<>(payload, work, sequence++);
        load += work;
        if (inService.size() < maxInService) {
            start(job, nowNanos);
        } else {
            waiting.add(job);
        }
        return job;
    }

    /**
     * Moves to {@code nowNanos}: jobs that finished leave (into {@code completed}, in finishing order)
     * and waiting jobs take their places (into {@code started}).
     */
    void advanceTo(long nowNanos, List<Job<T>> completed, List<Job<T>> started) {
        advance(nowNanos);
        while (!inService.isEmpty() && inService.peek().finishAttained <= attained + EPSILON) {
            Job<T> done = inService.poll();
            load -= done.work;
            completed.add(done);
            if (!waiting.isEmpty()) {
                Job<T> next = waiting.poll();
                start(next, nowNanos);
                started.add(next);
            }
        }
        if (inService.isEmpty()) {
            attained = 0; // restart virtual time so that it never grows large enough to lose precision
            load = waiting.isEmpty() ? 0 : load;
        }
    }

    /** When the next job will finish if nothing is added, or {@link Long#MAX_VALUE} when idle. */
    long nextCompletionNanos() {
        Job<T> head = inService.peek();
        if (head == null) {
            return Long.MAX_VALUE;
        }
        double seconds = Math.max(0, head.finishAttained - attained) * inService.size() / capacity;
        return lastNanos + Math.max(1, (long) Math.ceil(seconds * 1e9));
    }

    /** Takes every job out (the worker stopped or failed), in service first, then waiting. */
    List<Job<T>> drain() {
        List<Job<T>> all = new ArrayList<>(inService.size() + waiting.size());
        List<Job<T>> serving = new ArrayList<>(inService);
        serving.sort((a, b) -> Long.compare(a.seq, b.seq));
        all.addAll(serving);
        all.addAll(waiting);
        inService.clear();
        waiting.clear();
        attained = 0;
        load = 0;
        return all;
    }

    /** Jobs in service plus waiting. */
    int size() {
        return inService.size() + waiting.size();
    }

    int inService() {
        return inService.size();
    }

    /** Work of the jobs in service and waiting, counted whole (as a worker reports {@code cur_load}). */
    double load() {
        return load;
    }

    /** Payloads of every job held, in service first. */
    List<T> payloads() {
        List<T> out = new ArrayList<>(size());
        for (Job<T> j : inService) {
            out.add(j.payload);
        }
        for (Job<T> j : waiting) {
            out.add(j.payload);
        }
        return out;
    }

    private void start(Job<T> job, long nowNanos) {
        job.startNanos = nowNanos;
        job.finishAttained = attained + job.work;
        inService.add(job);
    }

    private void advance(long nowNanos) {
        if (nowNanos > lastNanos) {
            int n = inService.size();
            if (n > 0) {
                attained += (nowNanos - lastNanos) / 1e9 * capacity / n;
            }
            lastNanos = nowNanos;
        }
    }
}
