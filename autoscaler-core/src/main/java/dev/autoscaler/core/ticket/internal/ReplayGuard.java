package dev.autoscaler.core.ticket.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Remembers ticket ids until their ticket has expired, so that each ticket is accepted once.
 * Time comes from the caller (the verifier's injected clock), never from the system.
 *
 * <p>Bounded: when full of unexpired ids it refuses new ones instead of forgetting old ones, because
 * forgetting would let a replay through (fail closed). Synchronized: verification runs at a few
 * thousand per second, far below where a lock matters.
 */
public final class ReplayGuard {
    /** What {@link #firstUse} found. */
    public enum Outcome { FIRST_USE, REPLAYED, FULL }

    private record Entry(long expiresAtMillis, String jti) {
    }

    private final int capacity;
    private final Map<String, Long> expiryById = new HashMap<>();
    private final PriorityQueue<Entry> byExpiry =
            new PriorityQueue<>((a, b) -> Long.compare(a.expiresAtMillis, b.expiresAtMillis));

    public ReplayGuard(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * Records {@code jti} until {@code expiresAtMillis} unless it is already recorded (a replay) or
     * the guard is full.
     */
    public synchronized Outcome firstUse(String jti, long expiresAtMillis, long nowMillis) {
        purge(nowMillis);
        if (expiryById.containsKey(jti)) {
            return Outcome.REPLAYED;
        }
        if (expiryById.size() >= capacity) {
            return Outcome.FULL;
        }
        expiryById.put(jti, expiresAtMillis);
        byExpiry.add(new Entry(expiresAtMillis, jti));
        return Outcome.FIRST_USE;
    }

    /** Ids currently remembered. */
    public synchronized int size() {
        return expiryById.size();
    }

    private void purge(long nowMillis) {
        Entry head;
        while ((head = byExpiry.peek()) != null && head.expiresAtMillis <= nowMillis) {
            byExpiry.poll();
            expiryById.remove(head.jti);
        }
    }
}
