package dev.autoscaler;

import java.time.Duration;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * A scheduler on a {@link ManualClock}: nothing runs until {@link #advance(Duration)} or
 * {@link #runDue()} is called, and then tasks run on the calling thread in time order, with the
 * clock set to each task's due time. Deterministic: tasks due at the same instant run in the order
 * they were scheduled.
 */
public final class ManualScheduler implements TaskScheduler {
    private final ManualClock clock;
    private final PriorityQueue<Entry> queue = new PriorityQueue<>();
    private long sequence;

    /**
     * A scheduler driven by advancing {@code clock}.
     *
     * @param clock the clock whose time decides what is due
     */
    public ManualScheduler(ManualClock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The clock this scheduler follows.
     *
     * @return the clock
     */
    public ManualClock clock() {
        return clock;
    }

    @Override
    public synchronized Cancellable scheduleAtFixedRate(Runnable task, Duration initialDelay, Duration period) {
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("period must be positive: " + period);
        }
        Entry entry = new Entry(task, clock.nanoTime() + initialDelay.toNanos(), period.toNanos(), sequence++);
        queue.add(entry);
        return entry;
    }

    @Override
    public synchronized Cancellable schedule(Runnable task, Duration delay) {
        Entry entry = new Entry(task, clock.nanoTime() + Math.max(0, delay.toNanos()), 0, sequence++);
        queue.add(entry);
        return entry;
    }

    /**
     * Advances the clock by {@code duration}, running every task that falls due on the way.
     *
     * @param duration how far
     */
    public void advance(Duration duration) {
        advanceTo(clock.nanoTime() + duration.toNanos());
    }

    /**
     * Advances the clock to the monotonic instant {@code target}, running tasks due until then.
     *
     * @param target the monotonic instant to move to
     */
    public void advanceTo(long target) {
        while (true) {
            Entry next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.dueNanos > target) {
                    break;
                }
                queue.poll();
            }
            clock.advanceTo(next.dueNanos);
            if (!next.cancelled) {
                if (next.periodNanos > 0) {
                    synchronized (this) {
                        next.dueNanos += next.periodNanos;
                        next.sequence = sequence++;
                        queue.add(next);
                    }
                }
                next.task.run();
            }
        }
        clock.advanceTo(target);
    }

    /** Runs the tasks due now without moving the clock. */
    public void runDue() {
        advanceTo(clock.nanoTime());
    }

    /** {@return the monotonic time of the next pending task, or {@link Long#MAX_VALUE} when none is pending} */
    public synchronized long nextDueNanos() {
        queue.removeIf(e -> e.cancelled);
        Entry next = queue.peek();
        return next == null ? Long.MAX_VALUE : next.dueNanos;
    }

    private static final class Entry implements Comparable<Entry>, Cancellable {
        final Runnable task;
        final long periodNanos;
        long dueNanos;
        long sequence;
        volatile boolean cancelled;

        Entry(Runnable task, long dueNanos, long periodNanos, long sequence) {
            this.task = Objects.requireNonNull(task, "task");
            this.dueNanos = dueNanos;
            this.periodNanos = periodNanos;
            this.sequence = sequence;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(Entry other) {
            int byTime = Long.compare(dueNanos, other.dueNanos);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }
    }
}
