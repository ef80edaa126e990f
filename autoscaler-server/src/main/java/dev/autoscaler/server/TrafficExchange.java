package dev.autoscaler.server;

import dev.autoscaler.NotFoundException;
import dev.autoscaler.core.Autoscaler;
import dev.autoscaler.core.TrafficTap;
import dev.autoscaler.store.postgres.PostgresStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * Shares the traffic each replica's router counts, so that every replica's load windows hold the
 * endpoint's whole traffic: behind a load balancer the leader's router sees a share of it only, and
 * its policy would scale for that share. Each replica sums what its router counted (arrivals, and
 * spill-over by overflow group) and appends the sums as rows at every exchange; it then counts the
 * other replicas' rows it has not seen in its own engine ({@link Autoscaler#countTraffic}). Every
 * replica does both, so that a follower that becomes leader has its windows warm. Another replica's
 * traffic reaches the windows one or two exchanges (100-200 ms) late.
 *
 * <p>Rows are deduplicated by the writer's incarnation and seq: one writer per incarnation (this
 * replica's exchange, on one thread) makes seq order the commit order. The rows of the moment a
 * replica starts are taken as seen (counting minutes of history at once would read as a burst); rows
 * older than the time since the last exchange plus {@value #OVERLAP_SECONDS} s, and never older than
 * 10 s, are not read (an exchange stalled longer misses them: traffic undercounted, never counted
 * twice, never counted late as a burst). Rows are deleted
 * after {@link #KEEP}.
 *
 * <p>{@link #counted} runs on routing threads; {@link #exchange} on one thread.
 */
final class TrafficExchange implements TrafficTap {
    static final int OVERLAP_SECONDS = 2;
    static final Duration KEEP = Duration.ofMinutes(5);
    /**
     * The oldest rows read: an exchange stalled longer loses the traffic in between rather than
     * counting it at once, which the 10 s window would read as a burst.
     */
    private static final Duration MAX_READ = Duration.ofSeconds(10);

    private final PostgresStore store;
    private final String replica;
    private final String incarnation;
    private final ConcurrentHashMap<List<String>, DoubleAdder> counted = new ConcurrentHashMap<>();
    private final Map<String, Long> seen = new HashMap<>();
    private long nextSeq = 1;
    private long lastReadNanos;
    private boolean primed;
    private long lastForgetNanos;

    TrafficExchange(PostgresStore store, String replica) {
        this.store = store;
        this.replica = replica;
        this.incarnation = replica + "/" + UUID.randomUUID();
    }

    @Override
    public void counted(String endpoint, String group, double cost) {
        if (cost > 0) {
            counted.computeIfAbsent(List.of(endpoint, group), k -> new DoubleAdder()).add(cost);
        }
    }

    /**
     * Appends what this replica counted since the last exchange, then counts the other replicas' new
     * rows in {@code engine}. A failure to write puts the sums back for the next exchange.
     *
     * @return how many rows of other replicas were counted
     */
    int exchange(Autoscaler engine) {
        List<PostgresStore.Traffic> rows = new ArrayList<>();
        for (Map.Entry<List<String>, DoubleAdder> e : counted.entrySet()) {
            double sum = e.getValue().sumThenReset();
            if (sum > 0) {
                rows.add(new PostgresStore.Traffic(replica, incarnation, nextSeq++, e.getKey().get(0), e.getKey().get(1), sum));
            }
        }
        try {
            store.addTraffic(rows);
        } catch (RuntimeException failed) {
            rows.forEach(r -> counted(r.endpoint(), r.group(), r.cost()));
            throw failed;
        }

        long now = System.nanoTime();
        Duration window = primed
                ? Duration.ofNanos(Math.min(MAX_READ.toNanos(), now - lastReadNanos + Duration.ofSeconds(OVERLAP_SECONDS).toNanos()))
                : MAX_READ;
        List<PostgresStore.Traffic> others = store.trafficOfOthers(replica, window);
        lastReadNanos = now;
        int applied = 0;
        Set<String> present = new HashSet<>();
        for (PostgresStore.Traffic t : others) {
            present.add(t.incarnation());
            Long last = seen.get(t.incarnation());
            if (last != null && t.seq() <= last) {
                continue;
            }
            seen.put(t.incarnation(), t.seq());
            if (!primed) {
                continue; // history at this replica's start: taken as seen
            }
            try {
                engine.countTraffic(t.endpoint(), t.group(), t.cost());
                applied++;
            } catch (NotFoundException notHere) {
                // an endpoint or group this replica does not have (yet): the admin API's change reaches it later
            }
        }
        seen.keySet().retainAll(present);
        primed = true;
        if (now - lastForgetNanos > Duration.ofMinutes(1).toNanos()) {
            store.forgetTraffic(KEEP);
            lastForgetNanos = now;
        }
        return applied;
    }
}
