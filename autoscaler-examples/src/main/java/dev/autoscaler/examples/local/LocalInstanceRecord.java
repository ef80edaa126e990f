package dev.autoscaler.examples.local;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * One local instance as kept on disk ({@code <state_dir>/<id>/instance.properties}): the state
 * directory is the "account", so that a second provider (a restarted engine) sees and manages the
 * instances of the first, as with a cloud provider.
 *
 * @param id         the instance id (an integer: workers report it as {@code id})
 * @param label      the engine's label
 * @param port       the loopback port the worker serves on
 * @param running    whether the instance should be running (false: stopped, disk kept)
 * @param pid        the worker process, 0 when none
 * @param startMillis the process's start time, to tell it from a later process with a recycled pid
 * @param env        the environment the engine asked for (MASTER_TOKEN, REPORT_ADDR, WORKER_PORT, ...)
 */
record LocalInstanceRecord(String id, String label, int port, boolean running, long pid, long startMillis,
                           Map<String, String> env) {
    static final String FILE = "instance.properties";
    private static final String ENV_PREFIX = "env.";

    LocalInstanceRecord {
        env = Map.copyOf(env);
    }

    LocalInstanceRecord withProcess(boolean running, int port, long pid, long startMillis) {
        return new LocalInstanceRecord(id, label, port, running, pid, startMillis, env);
    }

    static Optional<LocalInstanceRecord> read(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            return Optional.empty(); // being destroyed concurrently
        }
        Map<String, String> env = new TreeMap<>();
        for (String key : p.stringPropertyNames()) {
            if (key.startsWith(ENV_PREFIX)) {
                env.put(key.substring(ENV_PREFIX.length()), p.getProperty(key));
            }
        }
        return Optional.of(new LocalInstanceRecord(p.getProperty("id", dir.getFileName().toString()),
                p.getProperty("label", ""), Integer.parseInt(p.getProperty("port", "0")),
                Boolean.parseBoolean(p.getProperty("running", "false")), Long.parseLong(p.getProperty("pid", "0")),
                Long.parseLong(p.getProperty("start_millis", "0")), env));
    }

    /** Writes atomically, so that a concurrent reader sees the old or the new record, never half. */
    void write(Path dir) {
        Properties p = new Properties();
        p.setProperty("id", id);
        p.setProperty("label", label);
        p.setProperty("port", Integer.toString(port));
        p.setProperty("running", Boolean.toString(running));
        p.setProperty("pid", Long.toString(pid));
        p.setProperty("start_millis", Long.toString(startMillis));
        env.forEach((k, v) -> p.setProperty(ENV_PREFIX + k, v));
        try {
            Path tmp = Files.createTempFile(dir, FILE, ".tmp");
            try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(out, "local instance " + id);
            }
            Files.move(tmp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(FILE), e);
        }
    }
}
