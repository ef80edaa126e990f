package dev.autoscaler.sim;

import java.util.PriorityQueue;

/**
 * The simulator's own timed events (arrivals, re-polls, completions, reports, boots), in time order;
 * events due at the same nanosecond run in the order they were scheduled, so that a run is
 * reproducible. Single-threaded by design. The engine's ticks live on a
 * {@link dev.autoscaler.ManualScheduler}; {@link Simulation} interleaves the two.
 */
public final class EventQueue {
    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private long sequence;

    /** Schedules {@code action} at monotonic time {@code atNanos}. */
    public void at(long atNanos, Runnable action) {
        queue.add(new Event(atNanos, sequence++, action));
    }

    /** The time of the next event, or {@link Long#MAX_VALUE} when there is none. */
    public long nextNanos() {
        Event next = queue.peek();
        return next == null ? Long.MAX_VALUE : next.atNanos;
    }

    /** Removes the next event and runs it; the caller has moved the clock to its time. */
    public void runNext() {
        queue.poll().action.run();
    }

    public boolean isEmpty() {
        return queue.isEmpty();
    }

    public int size() {
        return queue.size();
    }

    private record Event(long atNanos, long seq, Runnable action) implements Comparable<Event> {
        @Override
        public int compareTo(Event o) {
            int byTime = Long.compare(atNanos, o.atNanos);
            return byTime != 0 ? byTime : Long.compare(seq, o.seq);
        }
    }
}
