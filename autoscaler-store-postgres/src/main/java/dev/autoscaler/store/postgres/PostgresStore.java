package dev.autoscaler.store.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.autoscaler.EndpointConfig;
import dev.autoscaler.InvalidConfigException;
import dev.autoscaler.StaleStateException;
import dev.autoscaler.StoreUnavailableException;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.core.json.ConfigNode;
import dev.autoscaler.core.json.EndpointConfigJson;
import dev.autoscaler.spi.EndpointConfigStore;
import dev.autoscaler.spi.RequestRecord;
import dev.autoscaler.spi.StateStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The engine's state on PostgreSQL, shared by every process that points at the same database and
 * schema: workers, the {@code reqnum} and {@code request_idx} counters, request bookkeeping and
 * reservations, the endpoint set the admin API changed, and named leases with a fencing epoch.
 *
 * <p>Each compare-and-set of the {@link StateStore} contract is one conditional
 * {@code UPDATE ... WHERE version = ?}; counters are single atomic statements (an upsert that adds
 * one, a sequence), so replicas never hand out the same number. The schema is created and migrated
 * at {@link Builder#build()} ({@code schema_version} records what was applied). A database that
 * cannot be reached is a {@link StoreUnavailableException}, never a silent empty answer.
 *
 * <pre>{@code
 * PostgresStore store = PostgresStore.builder()
 *         .url("jdbc:postgresql://db.internal:5432/autoscaler")
 *         .user("autoscaler").password(System.getenv("PGPASSWORD"))
 *         .build();
 * }</pre>
 */
public final class PostgresStore implements StateStore, EndpointConfigStore {
    /** The schema when none is given. */
    public static final String DEFAULT_SCHEMA = "autoscaler";
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /**
     * The hot path's writes (reservations, request records, counters, worker reports) commit without
     * waiting for the disk: PostgreSQL stays consistent, and a crash of the database server (not of
     * a replica) loses at most its last fraction of a second of them, which the engine rebuilds (the
     * provider's list re-adopts workers, reservations expire, reports come again). Waiting for an
     * fsync per statement made a route cost about 50 ms. What must survive a crash once acknowledged,
     * the endpoint set and the leases, commits synchronously.
     */
    static final String ASYNC_COMMIT = "SET synchronous_commit = off";

    private final DataSource dataSource;
    private final HikariDataSource ownPool;
    private final EndpointConfigJson endpointJson = new EndpointConfigJson(name -> null);

    private PostgresStore(DataSource dataSource, HikariDataSource ownPool) {
        this.dataSource = dataSource;
        this.ownPool = ownPool;
    }

    public static Builder builder() {
        return new Builder();
    }

    // ---- counters ----

    @Override
    public long nextReqnum(String endpoint) {
        return query("INSERT INTO counters (name, value) VALUES (?, 1) "
                        + "ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value",
                s -> s.setString(1, "reqnum:" + endpoint), r -> r.getLong(1)).get(0);
    }

    @Override
    public long nextRequestIdx() {
        return query("SELECT nextval('request_idx_seq')", s -> { }, r -> r.getLong(1)).get(0);
    }

    /**
     * {@code n} request indices at once, for {@link ReplicaStore}'s per-replica block: drawn from the
     * same sequence as {@link #nextRequestIdx()}, so they are unique across every caller (not
     * necessarily consecutive).
     */
    long[] requestIdxBlock(int n) {
        List<Long> values = query("SELECT nextval('request_idx_seq') FROM generate_series(1, ?)",
                s -> s.setInt(1, n), r -> r.getLong(1));
        return values.stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * Reserves the {@code n} reqnums after the endpoint's counter in one statement and returns the
     * last of them: the caller owns {@code (last - n, last]}, and no other caller gets any of them.
     */
    long reqnumBlockEnd(String endpoint, int n) {
        return query("INSERT INTO counters (name, value) VALUES (?, ?) "
                        + "ON CONFLICT (name) DO UPDATE SET value = counters.value + EXCLUDED.value RETURNING value",
                s -> {
                    s.setString(1, "reqnum:" + endpoint);
                    s.setLong(2, n);
                }, r -> r.getLong(1)).get(0);
    }

    /** A request a worker named as working or done, by its index and the worker's id. */
    record Ended(long requestIdx, String workerId) {
    }

    /** What {@link #writeRequests} did with each record: whether it is in the database now. */
    record RequestWrites(boolean[] inserted, boolean[] updated) {
    }

    /**
     * One batch of a replica's request records in one transaction (the connection's asynchronous
     * commit): new records inserted unless the index exists, changed ones updated when still there,
     * ended ones deleted; then the names of requests that workers reported through a replica that did
     * not know them yet ({@code ended}: request index and worker id) are added, every record such a
     * name matches (from any replica) is removed, and names older than a minute are forgotten.
     */
    RequestWrites writeRequests(List<RequestRecord> inserts, List<RequestRecord> updates, List<Long> deletes,
                                List<Ended> ended) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                boolean[] inserted = new boolean[inserts.size()];
                boolean[] updated = new boolean[updates.size()];
                if (!deletes.isEmpty()) {
                    try (PreparedStatement s = c.prepareStatement("DELETE FROM requests WHERE request_idx = ANY (?)")) {
                        s.setArray(1, c.createArrayOf("bigint", deletes.toArray()));
                        s.executeUpdate();
                    }
                }
                if (!inserts.isEmpty()) {
                    try (PreparedStatement s = c.prepareStatement("INSERT INTO requests (request_idx, endpoint, cost, "
                            + "first_seen_nanos, worker_id, reqnum, version) VALUES (?, ?, ?, ?, ?, ?, ?) "
                            + "ON CONFLICT (request_idx) DO NOTHING")) {
                        for (RequestRecord r : inserts) {
                            s.setLong(1, r.requestIdx());
                            s.setString(2, r.endpoint());
                            s.setDouble(3, r.cost());
                            s.setLong(4, r.firstSeenNanos());
                            s.setString(5, r.workerId());
                            s.setLong(6, r.reqnum());
                            s.setLong(7, r.version());
                            s.addBatch();
                        }
                        int[] counts = s.executeBatch();
                        for (int i = 0; i < counts.length; i++) {
                            inserted[i] = counts[i] != 0;
                        }
                    }
                }
                if (!updates.isEmpty()) {
                    try (PreparedStatement s = c.prepareStatement("UPDATE requests SET cost = ?, first_seen_nanos = ?, "
                            + "worker_id = ?, reqnum = ?, version = ? WHERE request_idx = ?")) {
                        for (RequestRecord r : updates) {
                            s.setDouble(1, r.cost());
                            s.setLong(2, r.firstSeenNanos());
                            s.setString(3, r.workerId());
                            s.setLong(4, r.reqnum());
                            s.setLong(5, r.version());
                            s.setLong(6, r.requestIdx());
                            s.addBatch();
                        }
                        int[] counts = s.executeBatch();
                        for (int i = 0; i < counts.length; i++) {
                            updated[i] = counts[i] != 0;
                        }
                    }
                }
                if (!ended.isEmpty()) {
                    try (PreparedStatement s = c.prepareStatement("INSERT INTO ended_requests (request_idx, worker_id) "
                            + "VALUES (?, ?) ON CONFLICT DO NOTHING")) {
                        for (Ended e : ended) {
                            s.setLong(1, e.requestIdx());
                            s.setString(2, e.workerId());
                            s.addBatch();
                        }
                        s.executeBatch();
                    }
                }
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("DELETE FROM requests r USING ended_requests e "
                            + "WHERE r.request_idx = e.request_idx AND r.worker_id = e.worker_id");
                    s.executeUpdate("DELETE FROM ended_requests WHERE ended_at < now() - interval '60 seconds'");
                }
                c.commit();
                return new RequestWrites(inserted, updated);
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** The reservation each worker holds: the summed cost and the number of its routed request records. */
    record Reserved(double load, int requests) {
    }

    /** Every worker's reservation as the request records in the database say, by worker id. */
    java.util.Map<String, Reserved> reservationsByWorker() {
        java.util.Map<String, Reserved> byWorker = new java.util.HashMap<>();
        query("SELECT worker_id, sum(cost), count(*) FROM requests WHERE worker_id <> '' GROUP BY worker_id",
                s -> { }, r -> byWorker.put(r.getString(1), new Reserved(r.getDouble(2), r.getInt(3))));
        return byWorker;
    }

    // ---- workers ----

    @Override
    public Optional<WorkerRecord> worker(String workerId) {
        return first(query("SELECT version, record FROM workers WHERE worker_id = ?",
                s -> s.setString(1, workerId), PostgresStore::worker));
    }

    @Override
    public Optional<WorkerRecord> workerByInstanceId(String instanceId) {
        if (instanceId.isEmpty()) {
            return Optional.empty();
        }
        return first(query("SELECT version, record FROM workers WHERE instance_id = ? ORDER BY seq LIMIT 1",
                s -> s.setString(1, instanceId), PostgresStore::worker));
    }

    @Override
    public List<WorkerRecord> workers(String endpoint) {
        return query("SELECT version, record FROM workers WHERE endpoint = ? ORDER BY seq",
                s -> s.setString(1, endpoint), PostgresStore::worker);
    }

    @Override
    public List<WorkerRecord> allWorkers() {
        return query("SELECT version, record FROM workers ORDER BY seq", s -> { }, PostgresStore::worker);
    }

    @Override
    public WorkerRecord insertWorker(WorkerRecord worker) {
        WorkerRecord stored = worker.toBuilder().version(1).build();
        int rows = update("INSERT INTO workers (worker_id, endpoint, instance_id, version, record) "
                + "VALUES (?, ?, ?, 1, ?::jsonb) ON CONFLICT (worker_id) DO NOTHING", s -> {
                    s.setString(1, stored.workerId());
                    s.setString(2, stored.endpoint());
                    s.setString(3, stored.instanceId());
                    s.setString(4, json(stored));
                });
        if (rows == 0) {
            throw new StaleStateException("worker " + stored.workerId() + " already exists");
        }
        return stored;
    }

    @Override
    public WorkerRecord replaceWorker(WorkerRecord current, WorkerRecord next) {
        if (!current.workerId().equals(next.workerId()) || !current.endpoint().equals(next.endpoint())) {
            throw new IllegalArgumentException("cannot change a worker's id or endpoint: " + current.workerId()
                    + " -> " + next.workerId());
        }
        WorkerRecord stored = next.toBuilder().version(current.version() + 1).build();
        int rows = update("UPDATE workers SET version = ?, instance_id = ?, record = ?::jsonb "
                + "WHERE worker_id = ? AND version = ?", s -> {
                    s.setLong(1, stored.version());
                    s.setString(2, stored.instanceId());
                    s.setString(3, json(stored));
                    s.setString(4, current.workerId());
                    s.setLong(5, current.version());
                });
        if (rows == 0) {
            throw new StaleStateException("worker " + current.workerId() + " changed or is gone (version "
                    + current.version() + ")");
        }
        return stored;
    }

    @Override
    public void removeWorker(String workerId) {
        update("DELETE FROM workers WHERE worker_id = ?", s -> s.setString(1, workerId));
    }

    // ---- requests ----

    @Override
    public Optional<RequestRecord> putRequestIfAbsent(RequestRecord request) {
        while (true) {
            int rows = update("INSERT INTO requests (request_idx, endpoint, cost, first_seen_nanos, worker_id, reqnum, version) "
                    + "VALUES (?, ?, ?, ?, ?, ?, 1) ON CONFLICT (request_idx) DO NOTHING", s -> {
                        s.setLong(1, request.requestIdx());
                        s.setString(2, request.endpoint());
                        s.setDouble(3, request.cost());
                        s.setLong(4, request.firstSeenNanos());
                        s.setString(5, request.workerId());
                        s.setLong(6, request.reqnum());
                    });
            if (rows == 1) {
                return Optional.empty();
            }
            Optional<RequestRecord> existing = request(request.requestIdx());
            if (existing.isPresent()) {
                return existing;
            }
            // it was removed between the two statements: try to add it again
        }
    }

    @Override
    public Optional<RequestRecord> request(long requestIdx) {
        return first(query("SELECT request_idx, endpoint, cost, first_seen_nanos, worker_id, reqnum, version "
                + "FROM requests WHERE request_idx = ?", s -> s.setLong(1, requestIdx), PostgresStore::request));
    }

    @Override
    public boolean replaceRequest(RequestRecord current, RequestRecord next) {
        return update("UPDATE requests SET cost = ?, first_seen_nanos = ?, worker_id = ?, reqnum = ?, version = ? "
                + "WHERE request_idx = ? AND version = ?", s -> {
                    s.setDouble(1, next.cost());
                    s.setLong(2, next.firstSeenNanos());
                    s.setString(3, next.workerId());
                    s.setLong(4, next.reqnum());
                    s.setLong(5, current.version() + 1);
                    s.setLong(6, current.requestIdx());
                    s.setLong(7, current.version());
                }) == 1;
    }

    // ---- traffic shared between replicas ----

    /**
     * One row of traffic a replica's router counted: the summed cost of one endpoint's arrivals
     * ({@code group} empty) or of its spill-over to one overflow group, since that replica's previous row.
     *
     * @param replica     the replica that counted it
     * @param incarnation that replica's process (a restarted replica starts a new one)
     * @param seq         increasing within the incarnation
     */
    public record Traffic(String replica, String incarnation, long seq, String endpoint, String group, double cost) {
    }

    /** Appends a replica's traffic rows, in one statement. */
    public void addTraffic(List<Traffic> rows) {
        if (rows.isEmpty()) {
            return;
        }
        update("INSERT INTO traffic (replica, incarnation, seq, endpoint, grp, cost) "
                + "SELECT * FROM unnest(?::text[], ?::text[], ?::bigint[], ?::text[], ?::text[], ?::float8[])",
                s -> {
                    java.sql.Connection c = s.getConnection();
                    s.setArray(1, c.createArrayOf("text", rows.stream().map(Traffic::replica).toArray()));
                    s.setArray(2, c.createArrayOf("text", rows.stream().map(Traffic::incarnation).toArray()));
                    s.setArray(3, c.createArrayOf("bigint", rows.stream().map(Traffic::seq).toArray()));
                    s.setArray(4, c.createArrayOf("text", rows.stream().map(Traffic::endpoint).toArray()));
                    s.setArray(5, c.createArrayOf("text", rows.stream().map(Traffic::group).toArray()));
                    s.setArray(6, c.createArrayOf("float8", rows.stream().map(Traffic::cost).toArray()));
                });
    }

    /**
     * Other replicas' traffic rows written within {@code window}, by incarnation then seq: the reader
     * keeps the last seq it saw of each incarnation.
     */
    public List<Traffic> trafficOfOthers(String replica, Duration window) {
        return query("SELECT replica, incarnation, seq, endpoint, grp, cost FROM traffic "
                        + "WHERE replica <> ? AND at > now() - make_interval(secs => ?) ORDER BY incarnation, seq",
                s -> {
                    s.setString(1, replica);
                    s.setDouble(2, window.toMillis() / 1000.0);
                },
                r -> new Traffic(r.getString(1), r.getString(2), r.getLong(3), r.getString(4), r.getString(5),
                        r.getDouble(6)));
    }

    /** Deletes traffic rows older than {@code age}. */
    public void forgetTraffic(Duration age) {
        update("DELETE FROM traffic WHERE at < now() - make_interval(secs => ?)",
                s -> s.setDouble(1, age.toMillis() / 1000.0));
    }

    /** Every call is a round trip to the database. */
    @Override
    public boolean mayBlock() {
        return true;
    }

    /** One round trip: see {@link #removeRoutedToReporting}; names with no record are told to {@link #requestEndedUnseen}. */
    @Override
    public List<RequestRecord> removeRoutedTo(String workerId, java.util.Collection<Long> requestIdxs) {
        RoutedRemoval done = removeRoutedToReporting(workerId, requestIdxs);
        done.unseen().forEach(idx -> requestEndedUnseen(workerId, idx));
        return done.removed();
    }

    /** What {@link #removeRoutedToReporting} did: the records removed, and the names with no record at all. */
    record RoutedRemoval(List<RequestRecord> removed, List<Long> unseen) {
    }

    /**
     * Removes the named requests routed to {@code workerId} and finds the names that have no record,
     * in one statement (the existence test reads the snapshot before the delete, so a record removed
     * here is not also unseen).
     */
    RoutedRemoval removeRoutedToReporting(String workerId, java.util.Collection<Long> requestIdxs) {
        Long[] idxs = requestIdxs.stream().filter(java.util.Objects::nonNull).distinct().toArray(Long[]::new);
        if (idxs.length == 0) {
            return new RoutedRemoval(List.of(), List.of());
        }
        List<RequestRecord> removed = new ArrayList<>();
        List<Long> unseen = new ArrayList<>();
        query("WITH asked AS (SELECT unnest(?::bigint[]) AS idx), "
                + "gone AS (DELETE FROM requests r USING asked a WHERE r.request_idx = a.idx AND r.worker_id = ? "
                + "RETURNING r.request_idx, r.endpoint, r.cost, r.first_seen_nanos, r.worker_id, r.reqnum, r.version) "
                + "SELECT true AS removed, request_idx, endpoint, cost, first_seen_nanos, worker_id, reqnum, version FROM gone "
                + "UNION ALL SELECT false, a.idx, NULL::text, NULL::double precision, NULL::bigint, NULL::text, "
                + "NULL::bigint, NULL::bigint FROM asked a "
                + "WHERE NOT EXISTS (SELECT 1 FROM requests r WHERE r.request_idx = a.idx)",
                st -> {
                    st.setArray(1, st.getConnection().createArrayOf("bigint", idxs));
                    st.setString(2, workerId);
                },
                r -> {
                    if (r.getBoolean("removed")) {
                        removed.add(request(r));
                    } else {
                        unseen.add(r.getLong("request_idx"));
                    }
                    return Boolean.TRUE;
                });
        return new RoutedRemoval(removed, unseen);
    }

    @Override
    public Optional<RequestRecord> removeRequest(long requestIdx) {
        return first(query("DELETE FROM requests WHERE request_idx = ? "
                + "RETURNING request_idx, endpoint, cost, first_seen_nanos, worker_id, reqnum, version",
                s -> s.setLong(1, requestIdx), PostgresStore::request));
    }

    @Override
    public List<RequestRecord> requests(String endpoint) {
        return query("SELECT request_idx, endpoint, cost, first_seen_nanos, worker_id, reqnum, version "
                + "FROM requests WHERE endpoint = ? ORDER BY request_idx", s -> s.setString(1, endpoint),
                PostgresStore::request);
    }

    // ---- the endpoint set ----

    @Override
    public Optional<List<EndpointConfig>> load() {
        Optional<String> document = first(query("SELECT endpoints::text FROM endpoint_set WHERE id = 1", s -> { },
                r -> r.getString(1)));
        if (document.isEmpty()) {
            return Optional.empty();
        }
        try {
            List<EndpointConfig> endpoints = new ArrayList<>();
            JsonNode list = JSON.readTree(document.get());
            for (int i = 0; i < list.size(); i++) {
                endpoints.add(endpointJson.readEndpoint(new ConfigNode(list.get(i), "endpoints[" + i + "]"),
                        EndpointConfig.DEFAULT_TICKET_FORMAT));
            }
            return Optional.of(List.copyOf(endpoints));
        } catch (JsonProcessingException | InvalidConfigException e) {
            throw new InvalidConfigException("store", "the stored endpoint set cannot be read back: " + e.getMessage());
        }
    }

    /** Several replicas save the endpoint set here. */
    @Override
    public boolean shared() {
        return true;
    }

    /**
     * Holds a PostgreSQL advisory lock (one per schema) on a connection of its own while {@code change}
     * runs, so that an admin change on one replica (load, change, save) does not interleave with one on
     * another. The lock is the session's: a replica that dies holding it releases it with its
     * connection. Needs a second connection for the change's own statements (pool size 2 or more).
     */
    @Override
    public <T> T exclusively(java.util.function.Supplier<T> change) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_lock(hashtext('autoscaler.endpoint_set.' || current_schema()))");
            try {
                return change.get();
            } finally {
                s.execute("SELECT pg_advisory_unlock(hashtext('autoscaler.endpoint_set.' || current_schema()))");
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public void save(List<EndpointConfig> endpoints) {
        ArrayNode list = JSON.createArrayNode();
        endpoints.forEach(e -> list.add(EndpointConfigJson.toStoredJson(e)));
        durableUpdate("INSERT INTO endpoint_set (id, endpoints, saved_at) VALUES (1, ?::jsonb, now()) "
                + "ON CONFLICT (id) DO UPDATE SET endpoints = EXCLUDED.endpoints, saved_at = now()",
                s -> s.setString(1, list.toString()));
    }

    // ---- leases ----

    /**
     * Takes or renews the lease {@code name} for {@code holder} for {@code ttl}, on the database's
     * clock (one clock for every replica). It is granted when nobody holds it, when the holder
     * already does, or when the other holder's lease has expired; the epoch grows by one each time
     * the holder changes, so that writes fenced by an older epoch can be told apart.
     *
     * @return the epoch now held, or empty when another holder's lease is still running
     */
    public Optional<Long> acquireLease(String name, String holder, Duration ttl) {
        return first(durableQuery("INSERT INTO leases AS l (name, holder, epoch, expires_at) "
                + "VALUES (?, ?, 1, clock_timestamp() + ? * interval '1 millisecond') "
                + "ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, "
                + "epoch = CASE WHEN l.holder = EXCLUDED.holder THEN l.epoch ELSE l.epoch + 1 END, "
                + "expires_at = EXCLUDED.expires_at "
                + "WHERE l.holder = EXCLUDED.holder OR l.expires_at < clock_timestamp() RETURNING l.epoch", s -> {
                    s.setString(1, name);
                    s.setString(2, holder);
                    s.setLong(3, ttl.toMillis());
                }, r -> r.getLong(1)));
    }

    /** Whether {@code holder} holds {@code name} at {@code epoch} and the lease has not expired. */
    public boolean holdsLease(String name, String holder, long epoch) {
        return !query("SELECT 1 FROM leases WHERE name = ? AND holder = ? AND epoch = ? AND expires_at > clock_timestamp()",
                s -> {
                    s.setString(1, name);
                    s.setString(2, holder);
                    s.setLong(3, epoch);
                }, r -> 1).isEmpty();
    }

    /** Gives the lease up at once (it expires now), when {@code holder} holds it at {@code epoch}. */
    public void releaseLease(String name, String holder, long epoch) {
        durableUpdate("UPDATE leases SET expires_at = clock_timestamp() WHERE name = ? AND holder = ? AND epoch = ?", s -> {
            s.setString(1, name);
            s.setString(2, holder);
            s.setLong(3, epoch);
        });
    }

    // ---- writes fenced by a lease's epoch ----

    /**
     * A leader's claim: writes made under it succeed only while {@code holder} still holds
     * {@code lease} at {@code epoch} and the lease has not expired, checked by the same statement
     * that writes (the lease row is read {@code FOR SHARE}, so a takeover waits for the write to
     * commit, and a write after the takeover finds the new epoch).
     *
     * @param lease  the lease's name
     * @param holder who holds it
     * @param epoch  the epoch held
     */
    public record Fence(String lease, String holder, long epoch) {
        public Fence {
            Objects.requireNonNull(lease, "lease");
            Objects.requireNonNull(holder, "holder");
        }
    }

    private static final String FENCED = " EXISTS (SELECT 1 FROM leases WHERE name = ? AND holder = ? AND epoch = ? "
            + "AND expires_at > clock_timestamp() FOR SHARE)";

    private static int bindFence(PreparedStatement s, int index, Fence fence) throws SQLException {
        s.setString(index, fence.lease());
        s.setString(index + 1, fence.holder());
        s.setLong(index + 2, fence.epoch());
        return index + 3;
    }

    /**
     * {@link #insertWorker(WorkerRecord)} under a fence.
     *
     * @throws LeaseLostException when the fence no longer holds (nothing was written)
     */
    public WorkerRecord insertWorker(WorkerRecord worker, Fence fence) {
        WorkerRecord stored = worker.toBuilder().version(1).build();
        int rows = update("INSERT INTO workers (worker_id, endpoint, instance_id, version, record) "
                + "SELECT ?, ?, ?, 1, ?::jsonb WHERE" + FENCED + " ON CONFLICT (worker_id) DO NOTHING", s -> {
                    s.setString(1, stored.workerId());
                    s.setString(2, stored.endpoint());
                    s.setString(3, stored.instanceId());
                    s.setString(4, json(stored));
                    bindFence(s, 5, fence);
                });
        if (rows == 0) {
            requireFence(fence, "insert worker " + stored.workerId());
            throw new StaleStateException("worker " + stored.workerId() + " already exists");
        }
        return stored;
    }

    /**
     * {@link #replaceWorker(WorkerRecord, WorkerRecord)} under a fence.
     *
     * @throws LeaseLostException when the fence no longer holds (nothing was written)
     */
    public WorkerRecord replaceWorker(WorkerRecord current, WorkerRecord next, Fence fence) {
        if (!current.workerId().equals(next.workerId()) || !current.endpoint().equals(next.endpoint())) {
            throw new IllegalArgumentException("cannot change a worker's id or endpoint: " + current.workerId()
                    + " -> " + next.workerId());
        }
        WorkerRecord stored = next.toBuilder().version(current.version() + 1).build();
        int rows = update("UPDATE workers SET version = ?, instance_id = ?, record = ?::jsonb "
                + "WHERE worker_id = ? AND version = ? AND" + FENCED, s -> {
                    s.setLong(1, stored.version());
                    s.setString(2, stored.instanceId());
                    s.setString(3, json(stored));
                    s.setString(4, current.workerId());
                    s.setLong(5, current.version());
                    bindFence(s, 6, fence);
                });
        if (rows == 0) {
            requireFence(fence, "update worker " + current.workerId());
            throw new StaleStateException("worker " + current.workerId() + " changed or is gone (version "
                    + current.version() + ")");
        }
        return stored;
    }

    /**
     * {@link #removeWorker(String)} under a fence.
     *
     * @throws LeaseLostException when the fence no longer holds (nothing was removed)
     */
    public void removeWorker(String workerId, Fence fence) {
        int rows = update("DELETE FROM workers WHERE worker_id = ? AND" + FENCED, s -> {
            s.setString(1, workerId);
            bindFence(s, 2, fence);
        });
        if (rows == 0) {
            requireFence(fence, "remove worker " + workerId);
        }
    }

    /**
     * Throws unless {@code fence} holds now: what a leader checks right before a provider call, which
     * no database statement can make conditional.
     *
     * @param what the refused action, for the message
     * @throws LeaseLostException when it does not hold
     */
    public void requireFence(Fence fence, String what) {
        if (!holdsLease(fence.lease(), fence.holder(), fence.epoch())) {
            throw new LeaseLostException("refused to " + what + ": " + fence.holder() + " no longer holds lease "
                    + fence.lease() + " at epoch " + fence.epoch());
        }
    }

    @Override
    public void close() {
        if (ownPool != null) {
            ownPool.close();
        }
    }

    // ---- JDBC plumbing ----

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement s) throws SQLException;
    }

    @FunctionalInterface
    private interface RowReader<T> {
        T read(ResultSet r) throws SQLException;
    }

    private <T> List<T> query(String sql, Binder binder, RowReader<T> reader) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            binder.bind(s);
            try (ResultSet r = s.executeQuery()) {
                List<T> rows = new ArrayList<>();
                while (r.next()) {
                    rows.add(reader.read(r));
                }
                return rows;
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** An update that is on disk when this returns (the connection's default is not to wait). */
    private int durableUpdate(String sql, Binder binder) {
        return durably(sql, binder, PreparedStatement::executeUpdate);
    }

    /** A query (an {@code INSERT ... RETURNING}) whose writes are on disk when this returns. */
    private <T> List<T> durableQuery(String sql, Binder binder, RowReader<T> reader) {
        return durably(sql, binder, s -> {
            List<T> rows = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.add(reader.read(r));
                }
            }
            return rows;
        });
    }

    @FunctionalInterface
    private interface Execution<T> {
        T run(PreparedStatement s) throws SQLException;
    }

    /** One statement in a transaction of its own that waits for the disk at commit. */
    private <T> T durably(String sql, Binder binder, Execution<T> execution) {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try (Statement local = c.createStatement(); PreparedStatement s = c.prepareStatement(sql)) {
                local.execute("SET LOCAL synchronous_commit = on");
                binder.bind(s);
                T result = execution.run(s);
                c.commit();
                return result;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private int update(String sql, Binder binder) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            binder.bind(s);
            return s.executeUpdate();
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private static StoreUnavailableException unavailable(SQLException e) {
        return new StoreUnavailableException("PostgreSQL store: " + e.getMessage(), e);
    }

    private static <T> Optional<T> first(List<T> rows) {
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    private static String json(WorkerRecord w) {
        try {
            return JSON.writeValueAsString(w);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a worker record that Jackson cannot write: " + e.getMessage(), e);
        }
    }

    private static WorkerRecord worker(ResultSet r) throws SQLException {
        try {
            WorkerRecord w = JSON.readValue(r.getString("record"), WorkerRecord.class);
            return w.toBuilder().version(r.getLong("version")).build();
        } catch (JsonProcessingException e) {
            throw new SQLException("a stored worker that cannot be read back: " + e.getOriginalMessage(), e);
        }
    }

    private static RequestRecord request(ResultSet r) throws SQLException {
        return new RequestRecord(r.getLong("request_idx"), r.getString("endpoint"), r.getDouble("cost"),
                r.getLong("first_seen_nanos"), r.getString("worker_id"), r.getLong("reqnum"), r.getLong("version"));
    }

    /** Where the database is and how to reach it. */
    public static final class Builder {
        private String url;
        private String user;
        private String password;
        private String schema = DEFAULT_SCHEMA;
        private int maxPoolSize = 8;
        private DataSource dataSource;

        private Builder() {
        }

        /**
         * A JDBC URL, e.g. {@code jdbc:postgresql://127.0.0.1:5432/autoscaler}.
         *
         * @param url the new value
         * @return this builder
         */
        public Builder url(String url) {
            this.url = Objects.requireNonNull(url, "url");
            return this;
        }

        public Builder user(String user) {
            this.user = user;
            return this;
        }

        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /**
         * The schema the tables live in (default {@value #DEFAULT_SCHEMA}; created when missing).
         *
         * @param schema the new value
         * @return this builder
         */
        public Builder schema(String schema) {
            SchemaMigrations.quoted(schema); // fail now on a name that is not plain
            this.schema = schema;
            return this;
        }

        /**
         * The connection pool's size (default 8).
         *
         * @param size the new value
         * @return this builder
         */
        public Builder maxPoolSize(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("maxPoolSize must be >= 1, got " + size);
            }
            this.maxPoolSize = size;
            return this;
        }

        /**
         * A data source of the host application's instead of a pool of this store's own; its
         * connections must use the schema (e.g. {@code currentSchema} in the URL).
         *
         * @param dataSource the new value
         * @return this builder
         */
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            return this;
        }

        /**
         * Connects, creates or migrates the schema, and returns the store.
         *
         * @throws StoreUnavailableException when the database cannot be reached or migrated
         */
        public PostgresStore build() {
            HikariDataSource pool = null;
            DataSource ds = dataSource;
            if (ds == null) {
                if (url == null) {
                    throw new IllegalStateException("a url or a dataSource is required");
                }
                HikariConfig config = new HikariConfig();
                config.setJdbcUrl(url);
                config.setUsername(user);
                config.setPassword(password);
                config.setSchema(schema);
                config.setMaximumPoolSize(maxPoolSize);
                config.setPoolName("autoscaler-postgres");
                config.setConnectionTimeout(5_000); // a route waits at most this long for a connection
                config.setInitializationFailTimeout(-1); // connect lazily: migrate() below reports the failure
                config.setConnectionInitSql(ASYNC_COMMIT);
                pool = new HikariDataSource(config);
                ds = pool;
            }
            try {
                SchemaMigrations.migrate(ds, schema);
            } catch (SQLException | RuntimeException e) {
                if (pool != null) {
                    pool.close();
                }
                throw new StoreUnavailableException("PostgreSQL store: cannot prepare schema " + schema + ": "
                        + e.getMessage(), e);
            }
            return new PostgresStore(ds, pool);
        }
    }
}
