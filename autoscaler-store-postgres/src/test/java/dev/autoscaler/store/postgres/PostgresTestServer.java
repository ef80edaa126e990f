package dev.autoscaler.store.postgres;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for the tests: the one {@code AUTOSCALER_TEST_JDBC_URL} names (with
 * {@code AUTOSCALER_TEST_JDBC_USER} and {@code AUTOSCALER_TEST_JDBC_PASSWORD}), or else a throwaway
 * cluster this JVM creates with the machine's PostgreSQL binaries ({@code initdb}, {@code pg_ctl};
 * Debian's {@code postgresql} package), on 127.0.0.1 and a free port, removed when the JVM exits.
 * Neither available: the tests fail, saying what to install; they never skip.
 */
public final class PostgresTestServer {
    private static PostgresTestServer instance;

    public final String url;
    public final String user;
    public final String password;

    private PostgresTestServer(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    public static synchronized PostgresTestServer get() {
        if (instance == null) {
            String url = System.getenv("AUTOSCALER_TEST_JDBC_URL");
            instance = url != null && !url.isBlank()
                    ? new PostgresTestServer(url, System.getenv("AUTOSCALER_TEST_JDBC_USER"),
                            System.getenv("AUTOSCALER_TEST_JDBC_PASSWORD"))
                    : startThrowawayCluster();
        }
        return instance;
    }

    /** A store on a schema of its own, so that tests do not see each other's rows. */
    public PostgresStore newStore(String schema) {
        return PostgresStore.builder().url(url).user(user).password(password).schema(schema).maxPoolSize(4).build();
    }

    public static String freshSchema() {
        return "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    private static PostgresTestServer startThrowawayCluster() {
        Path bin = binaries();
        try {
            boolean root = "root".equals(System.getProperty("user.name"));
            Path dir = Files.createTempDirectory("autoscaler-pg-");
            Path data = dir.resolve("data");
            if (root) {
                // initdb refuses to run as root: the cluster belongs to the postgres system user
                run(List.of("chown", "postgres:postgres", dir.toString()));
            }
            run(asClusterOwner(root, List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres",
                    "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C")));
            int port;
            try (ServerSocket probe = new ServerSocket(0)) {
                port = probe.getLocalPort();
            }
            String options = "-p " + port + " -h 127.0.0.1 -k " + dir + " -c fsync=off -c max_connections=200";
            run(asClusterOwner(root, List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-o", options,
                    "-l", dir.resolve("log").toString(), "-w", "start")));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    run(asClusterOwner(root, List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m",
                            "immediate", "stop")));
                    run(List.of("rm", "-rf", dir.toString()));
                } catch (IOException e) {
                    // the JVM is exiting; a leftover temporary cluster is harmless
                }
            }));
            return new PostgresTestServer("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", null);
        } catch (IOException e) {
            throw new AssertionError("could not start a throwaway PostgreSQL cluster: " + e.getMessage(), e);
        }
    }

    private static List<String> asClusterOwner(boolean root, List<String> command) {
        if (!root) {
            return command;
        }
        List<String> c = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        c.addAll(command);
        return c;
    }

    /** The directory of {@code initdb} and {@code pg_ctl}: on the PATH, or Debian's versioned directory. */
    private static Path binaries() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "initdb"))) {
                return Path.of(dir).toAbsolutePath();
            }
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                Path newest = versions.filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                        .max((a, b) -> Integer.compare(version(a), version(b))).orElse(null);
                if (newest != null) {
                    return newest.resolve("bin");
                }
            } catch (IOException e) {
                // fall through to the error below
            }
        }
        throw new AssertionError("The PostgreSQL store's tests need a PostgreSQL server: install Debian's "
                + "'postgresql' package (apt-get install postgresql; .ci/run does) so that they can start a "
                + "throwaway one, or set AUTOSCALER_TEST_JDBC_URL (and _USER, _PASSWORD) to a database they may use");
    }

    private static int version(Path dir) {
        try {
            return Integer.parseInt(dir.getFileName().toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command).toLowerCase(Locale.ROOT).contains("initdb")
                    ? "initdb failed: " + output : String.join(" ", command) + " failed: " + output);
        }
    }
}
