package dev.autoscaler.store.postgres;

import dev.autoscaler.Clock;
import dev.autoscaler.StaleStateException;
import dev.autoscaler.StoreUnavailableException;
import dev.autoscaler.TaskScheduler;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.spi.RequestRecord;
import dev.autoscaler.spi.StateStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica's view of a {@link PostgresStore}, made for the routing hot path: a first-call
 * {@code /route/} costs no database round trip. The database sees a few statements per replica per
 * flush interval (default 100 ms), whatever the request rate.
 *
 * <ul>
 *   <li><b>Counters from per-replica blocks.</b> {@code request_idx} comes from blocks of
 *       {@link Builder#blockSize} values of the shared sequence, {@code reqnum} from blocks the
 *       endpoint's counter row hands out in one statement; each flush fetches the next block of each
 *       ahead, so routes take their numbers without a round trip, also through an outage. Both are
 *       unique across replicas; neither
 *       is increasing across replicas, which nothing needs (the {@code vast-rsa} signature covers the
 *       URL only, the {@code ed25519} ticket carries its own unique id against replays, and a
 *       worker's report names requests by {@code request_idx}).</li>
 *   <li><b>Reservations follow the request records</b> ({@link #reservationsFollowRequests()}): a
 *       worker's {@code reservedLoad} is the summed cost of the request records routed to it. Removing
 *       a record ends its reservation by itself, so a reservation ends exactly once whichever replica
 *       removes the record (the worker's report or {@code /delete_requests/} through any replica, or
 *       any replica's timeout sweep), and none is left behind by a replica that crashed between two
 *       writes: there is no second write.</li>
 *   <li><b>Request records in batches.</b> The records this replica creates or changes are kept in
 *       memory (read back from there: read-your-own-writes) and written every flush, all in one
 *       transaction; once written, the database is their home again and the replica forgets its copy.
 *       A record this replica never wrote (another replica's) is read, changed and removed in the
 *       database directly, with its compare-and-set: that is a re-poll or a report reaching another
 *       replica than the first call, not the first call.</li>
 *   <li><b>A bounded-stale view.</b> Each flush, after writing, reads every worker row and every
 *       worker's reservation from the database. A route checks a worker's queue bound against
 *       {@code cur_load} + the reservations as last read + this replica's own reservations since
 *       (live, in memory, atomic with the check). So two routes on one replica never overfill a worker,
 *       and replicas can over-reserve a worker by at most what the <em>other</em> replicas reserved on it
 *       during one flush interval plus one database read (their reservations not yet written or read),
 *       which the next flush corrects. The leader's engine, reading through its own replica's view,
 *       sees every replica's reservations at most that late.</li>
 *   <li><b>Losing the database.</b> The replica keeps routing on its view while the last successful
 *       flush is younger than {@link Builder#maxStaleness} (default 5 s); after that the hot path
 *       throws {@link StoreUnavailableException} (a 503 to the client). Its records wait in memory and
 *       go out with the first flush that succeeds.</li>
 * </ul>
 *
 * <p>What the batching costs: a re-poll or a worker's report that reaches another replica within one
 * flush interval of the first call does not find the record yet. The re-poll is then a first call,
 * counted again as demand. The report's (or {@code /delete_requests/}'s) names of requests it does
 * not find are written with that replica's next flush ({@link #requestEndedUnseen}, table
 * {@code ended_requests}, kept a minute), and every flush removes the records they name, so the
 * record ends when it arrives, within about two flush intervals, not at the timeout; meanwhile its
 * cost is in both the reservation and the worker's {@code cur_load} (counted twice, the cautious
 * side). This replica's own removals and routes of records it did not write itself are one round
 * trip each, and show in its reservations from the next flush's read on. A replica that dies loses
 * the records of its last flush interval and their reservations (the workers report that load). The
 * worker rows themselves are written through at once, with their compare-and-set (reports and the
 * leader's writes); only reads are served from the view, refreshed by each flush and by this
 * replica's own writes.
 *
 * <p>Call {@link #flush()} every {@link Builder#flushInterval} ({@link #scheduleFlushes}), or step it
 * yourself in tests. Thread safe.
 */
public final class ReplicaStore implements StateStore {
    private static final Logger log = LoggerFactory.getLogger(ReplicaStore.class);
    private static final long NEVER = Long.MIN_VALUE;
    private static final int RECENTLY_ENDED = 100_000;

    private final PostgresStore db;
    private final Clock clock;
    private final Duration flushInterval;
    private final long maxStalenessNanos;
    private final int blockSize;

    // ---- counters ----
    private final Blocks requestIdxs;
    private final ConcurrentHashMap<String, Blocks> reqnums = new ConcurrentHashMap<>();

    // ---- the worker rows, as last read or written here (their reserved fields are not used) ----
    private final Object workerLock = new Object();
    private final ConcurrentHashMap<String, WorkerRecord> rows = new ConcurrentHashMap<>();
    private volatile Map<String, List<String>> idsByEndpoint = Map.of();
    /** Worker ids written here, with the refresh generation current when the write had committed. */
    private final Map<String, Long> writtenAt = new HashMap<>();
    private final AtomicLong generation = new AtomicLong();

    // ---- reservations and this replica's request records, all under resLock ----
    private final Object resLock = new Object();
    /** Each worker's reservation in the database, as the last flush read it. */
    private Map<String, PostgresStore.Reserved> inDatabase = Map.of();
    /** Changes of own records being written by the flush running now (or by one that failed). */
    private final Map<String, Acc> flushing = new HashMap<>();
    /** Changes of own records not written yet. */
    private final Map<String, Acc> unflushed = new HashMap<>();
    /** Reserved by {@link #reserve} and not yet taken up by a record marked routed (or given back). */
    private final Map<String, Acc> pending = new HashMap<>();
    private final Map<Long, Local> local = new LinkedHashMap<>();
    /** Names of requests workers reported here that no record matched, to write with the next flush. */
    private List<PostgresStore.Ended> endedUnseen = new ArrayList<>();
    /** Requests this replica ended or named lately: a worker lists one in report after report. */
    private final Map<Long, Boolean> recentlyEnded = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
            return size() > RECENTLY_ENDED;
        }
    };

    private final Object flushLock = new Object();
    private volatile long lastFlushNanos = NEVER;
    /** Why the last flush failed, for the message of a refused route; null after a success. */
    private volatile RuntimeException lastFailure;

    private ReplicaStore(Builder b) {
        this.db = b.db;
        this.clock = b.clock;
        this.flushInterval = b.flushInterval;
        this.maxStalenessNanos = b.maxStaleness.toNanos();
        this.blockSize = b.blockSize;
        this.requestIdxs = new Blocks(() -> db.requestIdxBlock(blockSize));
    }

    /**
     * @param db the shared store this replica routes on
     */
    public static Builder builder(PostgresStore db) {
        return new Builder(db);
    }

    /** The shared store underneath (its leases, fenced writes and endpoint set). */
    public PostgresStore database() {
        return db;
    }

    // ---- flushing ----

    /**
     * Writes this replica's changed request records in one transaction, then reads every worker row
     * and every worker's reservation back. A failure leaves everything to the next flush.
     *
     * @return true when both the write and the read succeeded
     */
    public boolean flush() {
        synchronized (flushLock) {
            long g = generation.incrementAndGet();
            Batch batch = takeBatch();
            PostgresStore.RequestWrites written;
            try {
                written = db.writeRequests(batch.inserts, batch.updates, batch.deletes, batch.ended);
            } catch (RuntimeException e) {
                giveBack(batch);
                lastFailure = e;
                log.warn("replica store: cannot write {} request record(s): {}", batch.size(), e.getMessage());
                return false;
            }
            settle(batch, written);
            List<WorkerRecord> workers;
            Map<String, PostgresStore.Reserved> reserved;
            try {
                workers = db.allWorkers();
                reserved = db.reservationsByWorker();
            } catch (RuntimeException e) {
                log.warn("replica store: cannot read the workers back: {}", e.getMessage());
                lastFailure = e;
                return false;
            }
            installWorkers(workers, g);
            synchronized (resLock) {
                inDatabase = reserved;
                flushing.clear(); // written, and now in what was read
            }
            lastFlushNanos = clock.nanoTime();
            lastFailure = null;
            try {
                topUpCounters(workers);
            } catch (RuntimeException e) {
                // the view is fresh; the next flush fetches the spares
                log.warn("replica store: cannot fetch the next counter blocks ahead: {}", e.getMessage());
            }
            return true;
        }
    }

    /** Runs {@link #flush()} every flush interval on {@code scheduler}. */
    public TaskScheduler.Cancellable scheduleFlushes(TaskScheduler scheduler) {
        return scheduler.scheduleAtFixedRate(() -> {
            try {
                flush();
            } catch (RuntimeException e) {
                log.warn("replica store: flush failed; the next one retries", e);
            }
        }, flushInterval, flushInterval);
    }

    /** The age of the view: since the last successful flush; empty before the first. */
    public Optional<Duration> viewAge() {
        long last = lastFlushNanos;
        return last == NEVER ? Optional.empty() : Optional.of(Duration.ofNanos(clock.nanoTime() - last));
    }

    private void requireFresh() {
        long last = lastFlushNanos;
        if (last == NEVER) {
            throw new StoreUnavailableException("PostgreSQL store: this replica has not read the shared state yet",
                    lastFailure);
        }
        long age = clock.nanoTime() - last;
        if (age > maxStalenessNanos) {
            throw new StoreUnavailableException("PostgreSQL store: this replica's view is " + age / 1_000_000
                    + " ms old (the bound is " + maxStalenessNanos / 1_000_000 + " ms): the database cannot be reached", lastFailure);
        }
    }

    private record Batch(List<RequestRecord> inserts, List<RequestRecord> updates, List<Long> deletes,
                         List<PostgresStore.Ended> ended, List<Local> insertedLocals, List<Local> updatedLocals,
                         List<Local> deletedLocals) {
        int size() {
            return inserts.size() + updates.size() + deletes.size() + ended.size();
        }
    }

    private Batch takeBatch() {
        Batch b;
        synchronized (resLock) {
            b = new Batch(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), endedUnseen, new ArrayList<>(),
                    new ArrayList<>(), new ArrayList<>());
            endedUnseen = new ArrayList<>();
            for (Local l : local.values()) {
                if (l.removed) {
                    if (l.inDatabase) {
                        l.flushing = true;
                        b.deletes.add(l.record.requestIdx());
                        b.deletedLocals.add(l);
                    }
                } else if (l.dirty) {
                    l.flushing = true;
                    l.dirty = false;
                    l.written = l.record;
                    (l.inDatabase ? b.updates : b.inserts).add(l.record);
                    (l.inDatabase ? b.updatedLocals : b.insertedLocals).add(l);
                }
            }
            unflushed.forEach((w, a) -> acc(flushing, w).add(a.load, a.count));
            unflushed.clear();
            pending.values().removeIf(a -> a.count == 0 && Math.abs(a.load) < 1e-9); // workers long gone, too
        }
        return b;
    }

    /** The write failed: what it carried is still to be written. */
    private void giveBack(Batch b) {
        synchronized (resLock) {
            b.ended.addAll(endedUnseen);
            endedUnseen = b.ended;
            for (List<Local> locals : List.of(b.insertedLocals, b.updatedLocals, b.deletedLocals)) {
                for (Local l : locals) {
                    l.flushing = false;
                    if (l.removed && !l.inDatabase) {
                        local.remove(l.record.requestIdx(), l); // removed while its first write was under way
                    } else if (!l.removed) {
                        l.dirty = true;
                    }
                }
            }
        }
    }

    /** The write succeeded: records now in the database are forgotten here, unless they changed since. */
    private void settle(Batch b, PostgresStore.RequestWrites written) {
        synchronized (resLock) {
            for (int i = 0; i < b.insertedLocals.size(); i++) {
                Local l = b.insertedLocals.get(i);
                l.flushing = false;
                if (!written.inserted()[i]) {
                    // the index was taken in the database (another replica re-created an expired
                    // request under it first): its record wins, ours goes
                    local.remove(l.record.requestIdx(), l);
                    continue;
                }
                l.inDatabase = true;
                forgetIfSettled(l);
            }
            for (int i = 0; i < b.updatedLocals.size(); i++) {
                Local l = b.updatedLocals.get(i);
                l.flushing = false;
                if (!written.updated()[i]) {
                    local.remove(l.record.requestIdx(), l); // removed by another replica meanwhile
                    continue;
                }
                forgetIfSettled(l);
            }
            for (Local l : b.deletedLocals) {
                l.flushing = false;
                if (l.removed) {
                    local.remove(l.record.requestIdx(), l);
                } else {
                    l.inDatabase = false; // re-created here while its old row was being deleted: written anew
                    l.dirty = true;
                }
            }
        }
    }

    private void forgetIfSettled(Local l) {
        if (!l.dirty && !l.removed && l.record == l.written) {
            local.remove(l.record.requestIdx(), l);
        }
    }

    private void installWorkers(List<WorkerRecord> read, long g) {
        synchronized (workerLock) {
            Set<String> seen = new HashSet<>();
            Map<String, List<String>> order = new LinkedHashMap<>();
            for (WorkerRecord w : read) {
                seen.add(w.workerId());
                if (!writtenSince(w.workerId(), g)) {
                    rows.put(w.workerId(), w);
                }
            }
            for (Iterator<String> it = rows.keySet().iterator(); it.hasNext(); ) {
                String id = it.next();
                if (!seen.contains(id) && !writtenSince(id, g)) {
                    it.remove();
                }
            }
            writtenAt.values().removeIf(at -> at < g);
            for (WorkerRecord w : read) {
                if (rows.containsKey(w.workerId())) {
                    order.computeIfAbsent(w.endpoint(), e -> new ArrayList<>()).add(w.workerId());
                }
            }
            for (WorkerRecord w : rows.values()) {
                if (!seen.contains(w.workerId())) {
                    order.computeIfAbsent(w.endpoint(), e -> new ArrayList<>()).add(w.workerId()); // inserted here since
                }
            }
            order.replaceAll((e, ids) -> List.copyOf(ids));
            idsByEndpoint = Map.copyOf(order);
        }
    }

    private boolean writtenSince(String workerId, long g) {
        Long at = writtenAt.get(workerId);
        return at != null && at >= g;
    }

    // ---- counters ----

    @Override
    public long nextRequestIdx() {
        requireFresh(); // a first call's first step: refused before anything is recorded for it
        return requestIdxs.next();
    }

    @Override
    public long nextReqnum(String endpoint) {
        return reqnums(endpoint).next();
    }

    private Blocks reqnums(String endpoint) {
        return reqnums.computeIfAbsent(endpoint, e -> new Blocks(() -> {
            // the endpoint's counter row hands out (last - n, last]
            long last = db.reqnumBlockEnd(e, blockSize);
            long[] block = new long[blockSize];
            for (int i = 0; i < blockSize; i++) {
                block[i] = last - blockSize + 1 + i;
            }
            return block;
        }));
    }

    /**
     * One counter's numbers, taken from blocks: the one in use and a spare that a flush fetches ahead
     * ({@link #topUp}), so that routes take numbers without a round trip unless they use up both
     * blocks within one flush, also while the database is out of reach.
     */
    private static final class Blocks {
        private final java.util.function.Supplier<long[]> fetch;
        private long[] block = new long[0];
        private int next;
        private long[] spare; // null: none

        Blocks(java.util.function.Supplier<long[]> fetch) {
            this.fetch = fetch;
        }

        synchronized long next() {
            if (next == block.length) {
                block = spare != null ? spare : fetch.get();
                spare = null;
                next = 0;
            }
            return block[next++];
        }

        /** Fetches the spare unless one is there (the round trip outside the lock: routes go on). */
        void topUp() {
            synchronized (this) {
                if (spare != null) {
                    return;
                }
            }
            long[] fetched = fetch.get();
            synchronized (this) {
                if (spare == null) {
                    spare = fetched;
                } // else another top-up won: this block stays unused, as a restart leaves one
            }
        }
    }

    /**
     * Keeps a spare block of each counter (request_idx, and reqnum of every endpoint this replica
     * routed for or holds workers of), so that routes take their numbers without a round trip even
     * while the database is out of reach: the outage a view is served through ({@code maxStaleness})
     * would otherwise end at the first route that finishes a block.
     */
    private void topUpCounters(List<WorkerRecord> workers) {
        requestIdxs.topUp();
        for (WorkerRecord w : workers) {
            reqnums(w.endpoint());
        }
        for (Blocks b : reqnums.values()) {
            b.topUp();
        }
    }

    // ---- workers ----

    @Override
    public Optional<WorkerRecord> worker(String workerId) {
        WorkerRecord row = rows.get(workerId);
        if (row == null) {
            Optional<WorkerRecord> read = db.worker(workerId);
            read.ifPresent(this::wrote);
            return read.map(this::withReservation);
        }
        return Optional.of(withReservation(row));
    }

    @Override
    public Optional<WorkerRecord> workerByInstanceId(String instanceId) {
        // read through: a report may come from an instance bound a moment ago on another replica
        Optional<WorkerRecord> read = db.workerByInstanceId(instanceId);
        read.ifPresent(this::wrote);
        return read.map(this::withReservation);
    }

    @Override
    public List<WorkerRecord> workers(String endpoint) {
        requireFresh();
        List<String> ids = idsByEndpoint.getOrDefault(endpoint, List.of());
        List<WorkerRecord> out = new ArrayList<>(ids.size());
        synchronized (resLock) {
            for (String id : ids) {
                WorkerRecord row = rows.get(id);
                if (row != null) {
                    out.add(withReservationLocked(row));
                }
            }
        }
        return out;
    }

    @Override
    public List<WorkerRecord> allWorkers() {
        List<WorkerRecord> read = db.allWorkers();
        List<WorkerRecord> out = new ArrayList<>(read.size());
        synchronized (resLock) {
            for (WorkerRecord w : read) {
                out.add(withReservationLocked(w));
            }
        }
        return out;
    }

    @Override
    public WorkerRecord insertWorker(WorkerRecord worker) {
        return wrote(db.insertWorker(unreserved(worker)));
    }

    /** {@link PostgresStore#insertWorker(WorkerRecord, PostgresStore.Fence)}, through this view. */
    public WorkerRecord insertWorker(WorkerRecord worker, PostgresStore.Fence fence) {
        return wrote(db.insertWorker(unreserved(worker), fence));
    }

    @Override
    public WorkerRecord replaceWorker(WorkerRecord current, WorkerRecord next) {
        try {
            return wrote(db.replaceWorker(current, unreserved(next)));
        } catch (StaleStateException e) {
            reread(current.workerId());
            throw e;
        }
    }

    /** {@link PostgresStore#replaceWorker(WorkerRecord, WorkerRecord, PostgresStore.Fence)}, through this view. */
    public WorkerRecord replaceWorker(WorkerRecord current, WorkerRecord next, PostgresStore.Fence fence) {
        try {
            return wrote(db.replaceWorker(current, unreserved(next), fence));
        } catch (StaleStateException e) {
            reread(current.workerId());
            throw e;
        }
    }

    @Override
    public void removeWorker(String workerId) {
        db.removeWorker(workerId);
        removed(workerId);
    }

    /** {@link PostgresStore#removeWorker(String, PostgresStore.Fence)}, through this view. */
    public void removeWorker(String workerId, PostgresStore.Fence fence) {
        db.removeWorker(workerId, fence);
        removed(workerId);
    }

    /** A compare-and-set lost to another replica: the row as it is now, so that the caller's retry sees it. */
    private void reread(String workerId) {
        Optional<WorkerRecord> now = db.worker(workerId);
        if (now.isPresent()) {
            wrote(now.get());
        } else {
            removed(workerId);
        }
    }

    /** Records a row written (or read) here in the view, and returns it with its reservation. */
    private WorkerRecord wrote(WorkerRecord stored) {
        synchronized (workerLock) {
            WorkerRecord before = rows.get(stored.workerId());
            if (before == null || before.version() <= stored.version()) {
                rows.put(stored.workerId(), stored);
            }
            writtenAt.put(stored.workerId(), generation.get());
            List<String> ids = idsByEndpoint.getOrDefault(stored.endpoint(), List.of());
            if (!ids.contains(stored.workerId())) {
                List<String> more = new ArrayList<>(ids);
                more.add(stored.workerId());
                Map<String, List<String>> order = new LinkedHashMap<>(idsByEndpoint);
                order.put(stored.endpoint(), List.copyOf(more));
                idsByEndpoint = Map.copyOf(order);
            }
        }
        return withReservation(stored);
    }

    private void removed(String workerId) {
        synchronized (workerLock) {
            rows.remove(workerId);
            writtenAt.put(workerId, generation.get());
        }
    }

    /** The reserved fields live in the request records, not in the row. */
    private static WorkerRecord unreserved(WorkerRecord w) {
        return w.reservedLoad() == 0 && w.reservedRequests() == 0 ? w
                : w.toBuilder().reservedLoad(0).reservedRequests(0).build();
    }

    private WorkerRecord withReservation(WorkerRecord row) {
        synchronized (resLock) {
            return withReservationLocked(row);
        }
    }

    /** The row with its reservation: in the database as last read, plus this replica's own since. */
    private WorkerRecord withReservationLocked(WorkerRecord row) {
        String id = row.workerId();
        PostgresStore.Reserved read = inDatabase.get(id);
        double load = read == null ? 0 : read.load();
        int count = read == null ? 0 : read.requests();
        for (Map<String, Acc> own : List.of(flushing, unflushed, pending)) {
            Acc a = own.get(id);
            if (a != null) {
                load += a.load;
                count += a.count;
            }
        }
        load = load < 1e-9 ? 0 : load;
        count = Math.max(0, count);
        if (load == row.reservedLoad() && count == row.reservedRequests()) {
            return row;
        }
        return row.toBuilder().reservedLoad(load).reservedRequests(count).build();
    }

    // ---- reservations ----

    @Override
    public boolean reservationsFollowRequests() {
        return true;
    }

    /** Ready while the view is within the staleness bound: exactly while routes are served. */
    @Override
    public void checkAvailable() {
        requireFresh();
    }

    /** Routes are served from memory, but reports, re-polls of other replicas' records and the engine's writes are round trips. */
    @Override
    public boolean mayBlock() {
        return true;
    }

    @Override
    public Optional<WorkerRecord> reserve(String workerId, Predicate<? super WorkerRecord> condition, double cost) {
        requireFresh();
        WorkerRecord row = rows.get(workerId);
        if (row == null) {
            return Optional.empty();
        }
        synchronized (resLock) {
            WorkerRecord now = withReservationLocked(row);
            if (!condition.test(now)) {
                return Optional.empty();
            }
            acc(pending, workerId).add(cost, 1);
            return Optional.of(withReservationLocked(row));
        }
    }

    @Override
    public void unreserve(String workerId, double cost) {
        synchronized (resLock) {
            acc(pending, workerId).add(-cost, -1);
        }
    }

    // ---- requests ----

    /**
     * Written with the next flush, unless this replica ended or named that request lately: any
     * replica's flush then removes the record when it arrives (the routing replica's flush that
     * writes it, at the latest), which ends its reservation.
     */
    @Override
    public void requestEndedUnseen(String workerId, long requestIdx) {
        synchronized (resLock) {
            if (recentlyEnded.put(requestIdx, Boolean.TRUE) == null) {
                endedUnseen.add(new PostgresStore.Ended(requestIdx, workerId));
            }
        }
    }

    @Override
    public Optional<RequestRecord> putRequestIfAbsent(RequestRecord request) {
        synchronized (resLock) {
            Local l = local.get(request.requestIdx());
            if (l != null && !l.removed) {
                return Optional.of(l.record);
            }
            RequestRecord stored = new RequestRecord(request.requestIdx(), request.endpoint(), request.cost(),
                    request.firstSeenNanos(), request.workerId(), request.reqnum(), 1);
            if (l == null) {
                local.put(request.requestIdx(), new Local(stored));
            } else {
                // re-created over a removal not written yet: the same entry lives again, so that
                // whatever its pending write does to the database row, the next flush makes it this
                l.record = stored;
                l.removed = false;
                l.dirty = true;
            }
            counted(null, stored);
            return Optional.empty();
        }
    }

    @Override
    public Optional<RequestRecord> request(long requestIdx) {
        synchronized (resLock) {
            Local l = local.get(requestIdx);
            if (l != null) {
                return l.removed ? Optional.empty() : Optional.of(l.record);
            }
        }
        return db.request(requestIdx);
    }

    @Override
    public boolean replaceRequest(RequestRecord current, RequestRecord next) {
        synchronized (resLock) {
            Local l = local.get(current.requestIdx());
            if (l != null) {
                if (l.removed || l.record.version() != current.version()) {
                    return false;
                }
                RequestRecord stored = new RequestRecord(current.requestIdx(), current.endpoint(), next.cost(),
                        next.firstSeenNanos(), next.workerId(), next.reqnum(), current.version() + 1);
                l.record = stored;
                l.dirty = true;
                counted(current, stored);
                takeUp(current, stored);
                return true;
            }
        }
        // another replica's record: in the database, with its compare-and-set; its reservation is
        // seen from the next flush's read on
        boolean replaced = db.replaceRequest(current, next);
        if (replaced) {
            synchronized (resLock) {
                takeUp(current, next);
            }
        }
        return replaced;
    }

    @Override
    public Optional<RequestRecord> removeRequest(long requestIdx) {
        synchronized (resLock) {
            Local l = local.get(requestIdx);
            if (l != null) {
                if (l.removed) {
                    return Optional.empty();
                }
                l.removed = true;
                if (!l.inDatabase && !l.flushing) {
                    local.remove(requestIdx);
                }
                counted(l.record, null);
                recentlyEnded.put(requestIdx, Boolean.TRUE);
                return Optional.of(l.record);
            }
        }
        // another replica's record (or one written already): removed in the database, which hands it
        // to one caller only; the reservation it held ends with it
        Optional<RequestRecord> removed = db.removeRequest(requestIdx);
        if (removed.isPresent()) {
            synchronized (resLock) {
                recentlyEnded.put(requestIdx, Boolean.TRUE);
            }
        }
        return removed;
    }

    /**
     * This replica's own records as {@link #removeRequest} removes them, in memory; the rest (other
     * replicas' records, and those written already) in one statement, whatever the report lists.
     */
    @Override
    public List<RequestRecord> removeRoutedTo(String workerId, java.util.Collection<Long> requestIdxs) {
        List<Long> own = new ArrayList<>();
        List<Long> inDatabaseOnly = new ArrayList<>();
        synchronized (resLock) {
            for (Long idx : requestIdxs) {
                if (idx != null) {
                    (local.containsKey(idx) ? own : inDatabaseOnly).add(idx);
                }
            }
        }
        // (an own entry settled meanwhile is read and removed from the database by the default's calls)
        List<RequestRecord> removed = new ArrayList<>(StateStore.super.removeRoutedTo(workerId, own));
        if (!inDatabaseOnly.isEmpty()) {
            PostgresStore.RoutedRemoval done = db.removeRoutedToReporting(workerId, inDatabaseOnly);
            if (!done.removed().isEmpty()) {
                synchronized (resLock) {
                    done.removed().forEach(r -> recentlyEnded.put(r.requestIdx(), Boolean.TRUE));
                }
                removed.addAll(done.removed());
            }
            done.unseen().forEach(idx -> requestEndedUnseen(workerId, idx));
        }
        return removed;
    }

    @Override
    public List<RequestRecord> requests(String endpoint) {
        List<RequestRecord> read = db.requests(endpoint);
        Map<Long, RequestRecord> byIdx = new LinkedHashMap<>();
        read.forEach(r -> byIdx.put(r.requestIdx(), r));
        synchronized (resLock) {
            for (Local l : local.values()) {
                if (!l.record.endpoint().equals(endpoint)) {
                    continue;
                }
                if (l.removed) {
                    byIdx.remove(l.record.requestIdx());
                } else {
                    byIdx.put(l.record.requestIdx(), l.record);
                }
            }
        }
        List<RequestRecord> out = new ArrayList<>(byIdx.values());
        out.sort((a, b) -> Long.compare(a.requestIdx(), b.requestIdx()));
        return out;
    }

    /** An own record changed from {@code before} to {@code after} (null: absent): its reservation moves with it. */
    private void counted(RequestRecord before, RequestRecord after) {
        if (before != null && !before.isWaiting()) {
            acc(unflushed, before.workerId()).add(-before.cost(), -1);
        }
        if (after != null && !after.isWaiting()) {
            acc(unflushed, after.workerId()).add(after.cost(), 1);
        }
    }

    /** A waiting record marked routed takes up the reservation {@link #reserve} made for it. */
    private void takeUp(RequestRecord before, RequestRecord after) {
        if (before.isWaiting() && !after.isWaiting()) {
            acc(pending, after.workerId()).add(-after.cost(), -1);
        }
    }

    private static Acc acc(Map<String, Acc> map, String workerId) {
        return map.computeIfAbsent(workerId, w -> new Acc());
    }

    /** A sum of reservations on one worker. */
    private static final class Acc {
        double load;
        int count;

        void add(double l, int c) {
            load += l;
            count += c;
        }
    }

    /** An own request record, until the database holds it as it is here. */
    private static final class Local {
        RequestRecord record;
        RequestRecord written;
        boolean dirty = true;
        boolean inDatabase;
        /** Taken by the flush under way: its outcome decides whether the database holds it. */
        boolean flushing;
        boolean removed;

        Local(RequestRecord record) {
            this.record = record;
        }
    }

    @Override
    public void close() {
        try {
            flush(); // what is still in memory goes out before the pool closes
        } finally {
            db.close();
        }
    }

    /** Configures a {@link ReplicaStore}. */
    public static final class Builder {
        private final PostgresStore db;
        private Clock clock = Clock.system();
        private Duration flushInterval = Duration.ofMillis(100);
        private Duration maxStaleness = Duration.ofSeconds(5);
        private int blockSize = 1000;

        private Builder(PostgresStore db) {
            this.db = Objects.requireNonNull(db, "db");
        }

        /**
         * The clock the view's age is measured on (default the system's).
         *
         * @param clock the new value
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * How often {@link #scheduleFlushes} writes and reads (default 100 ms): the staleness of the
         * shared view, and so the over-reservation bound.
         *
         * @param interval the new value
         * @return this builder
         */
        public Builder flushInterval(Duration interval) {
            this.flushInterval = positive("flushInterval", interval);
            return this;
        }

        /**
         * How old the view may get, with the database out of reach, before routing stops with
         * {@link StoreUnavailableException} (default 5 s).
         *
         * @param bound the new value
         * @return this builder
         */
        public Builder maxStaleness(Duration bound) {
            this.maxStaleness = positive("maxStaleness", bound);
            return this;
        }

        /**
         * How many {@code request_idx} or {@code reqnum} values one database statement reserves for
         * this replica (default 1000); a restart leaves the rest of a block unused.
         *
         * @param size the new value
         * @return this builder
         */
        public Builder blockSize(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("blockSize must be >= 1, got " + size);
            }
            this.blockSize = size;
            return this;
        }

        /** The store, after a first flush (which, failing, leaves it unable to route until one succeeds). */
        public ReplicaStore build() {
            ReplicaStore store = new ReplicaStore(this);
            store.flush();
            return store;
        }

        private static Duration positive(String name, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, got " + d);
            }
            return d;
        }
    }
}
