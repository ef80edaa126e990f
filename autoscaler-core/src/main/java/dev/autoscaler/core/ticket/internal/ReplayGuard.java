package dev.autoscaler.core.ticket.internal;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;

/**
 * Remembers ticket ids until their ticket has expired, so that each ticket is accepted once. Time
 * comes from the caller (the verifier's injected clock), never from the system.
 *
 * <p><b>Bounded, and a flood cannot lock out fresh tickets.</b> Ids are kept per partition (the
 * verifier uses one per endpoint, key and signer run), each holding at most {@code capacity} ids. The
 * engine's ticket ids end in a counter that grows with every ticket it signs ({@code prefix.counter}),
 * so within a partition they are ordered by issue time. When a partition is full, the oldest id is
 * forgotten and every id up to it is refused from then on ({@link Outcome#TOO_OLD}): a replay of a
 * forgotten ticket is still refused, and a ticket issued after the flood, which is what a legitimate
 * client presents within milliseconds of getting it, is always newer than what was forgotten. (Before,
 * the whole memory refused every new ticket once full: 100,000 cost-0 tickets in 15 s locked every
 * legitimate one out for 65 s.) Ids of another shape have no order: their partition refuses new ids
 * while full ({@link Outcome#FULL}, fail closed). Expired ids are dropped first, and partitions that
 * empty are dropped too.
 *
 * <p>Synchronized: verification runs at a few thousand per second, far below where a lock matters.
 */
public final class ReplayGuard {
    /** What {@link #firstUse} found. */
    public enum Outcome { FIRST_USE, REPLAYED, TOO_OLD, FULL }

    private static final long SWEEP_EVERY_MILLIS = 1_000;

    private final int capacity;
    private final Map<String, Partition> partitions = new HashMap<>();
    private long nextSweepMillis = Long.MIN_VALUE;

    /** @param capacity the most ids remembered per partition */
    public ReplayGuard(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * Records {@code jti} in {@code partition} until {@code expiresAtMillis}, unless it is already
     * recorded (a replay), older than what a full partition forgot, or the partition is full of
     * unordered ids.
     */
    public synchronized Outcome firstUse(String partition, String jti, long expiresAtMillis, long nowMillis) {
        if (nowMillis >= nextSweepMillis) {
            sweep(nowMillis);
        }
        long counter = counterOf(jti);
        Partition p = partitions.computeIfAbsent(partition + '\n' + prefixOf(jti, counter),
                k -> counter >= 0 ? new Ordered() : new Unordered());
        return p.firstUse(jti, counter, expiresAtMillis, nowMillis, capacity);
    }

    /** Ids currently remembered, over every partition. */
    public synchronized int size() {
        int n = 0;
        for (Partition p : partitions.values()) {
            n += p.size();
        }
        return n;
    }

    /** Partitions currently held. */
    public synchronized int partitions() {
        return partitions.size();
    }

    private void sweep(long nowMillis) {
        nextSweepMillis = nowMillis + SWEEP_EVERY_MILLIS;
        Iterator<Partition> it = partitions.values().iterator();
        while (it.hasNext()) {
            Partition p = it.next();
            p.purge(nowMillis);
            if (p.size() == 0) {
                // every id it forgot was older than those it held, so has expired too: nothing to keep
                it.remove();
            }
        }
    }

    /** The counter after the last '.' (base 36), or -1 when the id has no such suffix. */
    static long counterOf(String jti) {
        int dot = jti.lastIndexOf('.');
        if (dot < 0 || dot == jti.length() - 1 || jti.length() - dot > 14) {
            return -1;
        }
        try {
            return Long.parseLong(jti.substring(dot + 1), 36);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String prefixOf(String jti, long counter) {
        return counter < 0 ? "" : jti.substring(0, jti.lastIndexOf('.'));
    }

    private interface Partition {
        Outcome firstUse(String jti, long counter, long expiresAtMillis, long nowMillis, int capacity);

        void purge(long nowMillis);

        int size();
    }

    /** Ids of one signer run, by counter. */
    private static final class Ordered implements Partition {
        private final TreeMap<Long, Long> expiryByCounter = new TreeMap<>();
        /** Counters up to this one were forgotten while unexpired: refused. */
        private long forgottenUpTo = -1;

        @Override
        public Outcome firstUse(String jti, long counter, long expiresAtMillis, long nowMillis, int capacity) {
            purge(nowMillis);
            if (expiryByCounter.containsKey(counter)) {
                return Outcome.REPLAYED;
            }
            if (counter <= forgottenUpTo) {
                return Outcome.TOO_OLD;
            }
            if (expiryByCounter.size() >= capacity) {
                long oldest = expiryByCounter.firstKey();
                if (counter < oldest) {
                    return Outcome.TOO_OLD; // older than everything held: it would be the one forgotten
                }
                expiryByCounter.pollFirstEntry();
                forgottenUpTo = Math.max(forgottenUpTo, oldest);
            }
            expiryByCounter.put(counter, expiresAtMillis);
            return Outcome.FIRST_USE;
        }

        @Override
        public void purge(long nowMillis) {
            // expiry grows with the counter (a ticket expires a fixed lifetime after it was signed), so
            // the expired ones are at the front
            Map.Entry<Long, Long> first;
            while ((first = expiryByCounter.firstEntry()) != null && first.getValue() <= nowMillis) {
                expiryByCounter.pollFirstEntry();
            }
        }

        @Override
        public int size() {
            return expiryByCounter.size();
        }
    }

    /** Ids without a counter: no order, so a full partition refuses (fail closed). */
    private static final class Unordered implements Partition {
        private record Entry(long expiresAtMillis, String jti) {
        }

        private final Map<String, Long> expiryById = new HashMap<>();
        private final PriorityQueue<Entry> byExpiry =
                new PriorityQueue<>((a, b) -> Long.compare(a.expiresAtMillis, b.expiresAtMillis));

        @Override
        public Outcome firstUse(String jti, long counter, long expiresAtMillis, long nowMillis, int capacity) {
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

        @Override
        public void purge(long nowMillis) {
            Entry head;
            while ((head = byExpiry.peek()) != null && head.expiresAtMillis <= nowMillis) {
                byExpiry.poll();
                expiryById.remove(head.jti);
            }
        }

        @Override
        public int size() {
            return expiryById.size();
        }
    }
}
