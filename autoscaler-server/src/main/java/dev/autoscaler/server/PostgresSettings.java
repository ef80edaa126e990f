package dev.autoscaler.server;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code store: {postgres: {...}}} of a {@code serve} config: the engine's state on a PostgreSQL
 * database shared by every replica, one of which (the holder of the lease) runs the control loop.
 *
 * @param url             the JDBC URL, from the environment variable {@code url_env} names (it may hold a password)
 * @param user            {@code user} or the variable {@code user_env} names; empty: the URL's or the driver's default
 * @param password        the variable {@code password_env} names; empty: the URL's, or none
 * @param schema          where the tables live ({@code schema}, default {@code autoscaler}; created and migrated at start)
 * @param poolSize        connections per replica ({@code pool_size}, default 8)
 * @param leaseTtl        how long a leader's lease lasts without renewal ({@code lease_ttl}, seconds, default 15;
 *                        it is renewed every third of that): a dead leader is replaced within it plus one tick
 * @param refreshInterval how often a replica reloads the endpoint set other replicas' admin API changed
 *                        ({@code refresh_interval}, seconds, default 2)
 * @param flushInterval   how often a replica writes the request records it routed and reads the others'
 *                        reservations ({@code flush_interval}, seconds, default 0.1): replicas together
 *                        over-reserve a worker by at most this much of each other's routes
 * @param maxStaleness    how long a replica that cannot reach the database goes on routing on its last
 *                        view ({@code max_staleness}, seconds, default 5) before answering 503; more than
 *                        {@code flushInterval}
 * @param replicaId       this replica's name in the lease ({@code replica_id}; default host name and process id)
 */
public record PostgresSettings(String url, Optional<String> user, Optional<String> password, String schema,
                               int poolSize, Duration leaseTtl, Duration refreshInterval, Duration flushInterval,
                               Duration maxStaleness, String replicaId) {
    public static final Duration DEFAULT_LEASE_TTL = Duration.ofSeconds(15);
    public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(2);
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofMillis(100);
    public static final Duration DEFAULT_MAX_STALENESS = Duration.ofSeconds(5);

    public PostgresSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(leaseTtl, "leaseTtl");
        Objects.requireNonNull(refreshInterval, "refreshInterval");
        Objects.requireNonNull(flushInterval, "flushInterval");
        Objects.requireNonNull(maxStaleness, "maxStaleness");
        Objects.requireNonNull(replicaId, "replicaId");
    }

    /** The default replica id: host name and process id, unique among the replicas of one machine. */
    public static String defaultReplicaId() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        return host + "-" + ProcessHandle.current().pid();
    }

    @Override
    public String toString() {
        // never the URL (it may carry a password) or the password
        return "PostgresSettings[schema=" + schema + ", pool_size=" + poolSize + ", lease_ttl=" + leaseTtl.toSeconds()
                + "s, replica_id=" + replicaId + "]";
    }
}
