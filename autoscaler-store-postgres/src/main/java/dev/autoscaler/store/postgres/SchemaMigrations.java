package dev.autoscaler.store.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and migrates the store's schema: the numbered scripts {@code migrations/V<n>__*.sql} beside
 * this class, each applied once, in order, in one transaction with the version it brings. Replicas
 * that start together take a transaction-scoped advisory lock first, so only one of them migrates and
 * the others find the work done. A database whose schema is newer than this library is refused.
 */
final class SchemaMigrations {
    private static final Logger log = LoggerFactory.getLogger(SchemaMigrations.class);
    /** The scripts, in order; script i brings the schema to version i + 1. */
    static final List<String> SCRIPTS = List.of("V1__state.sql", "V2__ended_requests.sql", "V3__traffic.sql");
    /** An arbitrary constant: the advisory lock all replicas of this library agree on. */
    private static final long LOCK_KEY = 0x6175746f7363616cL; // "autoscal"

    private SchemaMigrations() {
    }

    /** The schema's version after migrating: {@code SCRIPTS.size()}. */
    static int migrate(DataSource dataSource, String schema) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
                s.execute("CREATE SCHEMA IF NOT EXISTS " + quoted(schema));
                s.execute("SET LOCAL search_path TO " + quoted(schema));
                s.execute("CREATE TABLE IF NOT EXISTS schema_version (version int NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
                int current;
                try (ResultSet r = s.executeQuery("SELECT coalesce(max(version), 0) FROM schema_version")) {
                    r.next();
                    current = r.getInt(1);
                }
                if (current > SCRIPTS.size()) {
                    throw new SQLException("schema " + schema + " is at version " + current
                            + ", newer than this library knows (" + SCRIPTS.size() + "): upgrade the library");
                }
                for (int v = current + 1; v <= SCRIPTS.size(); v++) {
                    s.execute(script(SCRIPTS.get(v - 1)));
                    s.execute("INSERT INTO schema_version (version) VALUES (" + v + ")");
                    log.info("PostgreSQL store: schema {} migrated to version {}", schema, v);
                }
            }
            c.commit();
            return SCRIPTS.size();
        }
    }

    /** A schema name as an SQL identifier; only plain names are accepted. */
    static String quoted(String schema) {
        if (!schema.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("schema must match [a-z_][a-z0-9_]{0,62}, got '" + schema + "'");
        }
        return "\"" + schema + "\"";
    }

    private static String script(String name) {
        try (InputStream in = SchemaMigrations.class.getResourceAsStream("migrations/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing migration script " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
