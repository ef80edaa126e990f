package dev.autoscaler.examples.local;

import dev.autoscaler.ProviderException;
import dev.autoscaler.Settings;
import dev.autoscaler.examples.worker.WorkerMain;
import dev.autoscaler.spi.CreateInstanceRequest;
import dev.autoscaler.spi.Instance;
import dev.autoscaler.spi.InstanceProvider;
import dev.autoscaler.spi.InstanceStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Instances that are worker processes on this machine: each one a JVM running {@link WorkerMain}
 * on a free loopback port, with the environment a Vast host gives a container ({@code REPORT_ADDR},
 * {@code MASTER_TOKEN}, {@code WORKER_PORT} from the engine; {@code CONTAINER_ID},
 * {@code PUBLIC_IPADDR=127.0.0.1}, {@code VAST_TCP_PORT_<port>} from the "host").
 *
 * <p>Lifecycle: create starts a fresh worker (a cold start: model "download", then its benchmark);
 * stop kills the process but keeps its state directory (the "disk": model marker and benchmark),
 * so a start resumes faster and reports the same {@code max_perf}; reboot restarts the process;
 * destroy kills it and deletes its state. A worker process that died by itself is listed
 * {@link InstanceStatus#FAILED}.
 *
 * <p>No worker outlives the engine: {@link #close()} stops the workers this provider started, a JVM
 * shutdown hook kills every one on exit, and each worker exits by itself when its parent process
 * is gone (the only defence against {@code kill -9} of the engine, which no hook can catch).
 *
 * <p>Everything about an instance lives in its directory under {@code state_dir}, so a second
 * provider on the same directory (a restarted engine) lists and manages the instances of the first.
 */
public final class LocalProcessProvider implements InstanceProvider {
    private static final Logger log = LoggerFactory.getLogger(LocalProcessProvider.class);
    private static final String DISK = "disk";
    private static final String LOG = "worker.log";

    private final LocalProviderSettings settings;
    private final Set<String> startedHere = ConcurrentHashMap.newKeySet();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    LocalProcessProvider(LocalProviderSettings settings) {
        this.settings = settings;
        try {
            Files.createDirectories(settings.stateDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create state_dir " + settings.stateDir(), e);
        }
    }

    /** A provider with these settings (see {@link LocalProviderSettings} for the keys). */
    public static LocalProcessProvider create(Settings settings) {
        return new LocalProcessProvider(LocalProviderSettings.from(settings));
    }

    /** The directory that holds the instances. */
    public Path stateDir() {
        return settings.stateDir();
    }

    /** The pid of an instance's worker process while it runs. */
    public Optional<Long> workerPid(String instanceId) {
        return record(instanceId).flatMap(this::process).map(ProcessHandle::pid);
    }

    @Override
    public Instance create(CreateInstanceRequest request) {
        Path dir = newInstanceDir();
        String id = dir.getFileName().toString();
        synchronized (lockFor(id)) {
            Map<String, String> env = new HashMap<>(request.group().template().env());
            env.putAll(request.env());
            env.putIfAbsent("WORKER_PORT", Integer.toString(request.group().workerPort()));
            LocalInstanceRecord rec = new LocalInstanceRecord(id, request.label(), 0, false, 0, 0, env);
            rec.write(dir);
            rec = launch(dir, rec);
            log.info("created local instance {} ({}) on port {}", id, request.label(), rec.port());
            return toInstance(rec);
        }
    }

    @Override
    public void start(String instanceId) {
        synchronized (lockFor(instanceId)) {
            LocalInstanceRecord rec = require(instanceId);
            if (process(rec).isPresent()) {
                return; // already running
            }
            launch(dirOf(instanceId), rec);
        }
    }

    @Override
    public void stop(String instanceId) {
        synchronized (lockFor(instanceId)) {
            LocalInstanceRecord rec = require(instanceId);
            process(rec).ifPresent(ChildProcesses::kill);
            rec.withProcess(false, rec.port(), 0, 0).write(dirOf(instanceId));
            startedHere.remove(instanceId);
        }
    }

    @Override
    public void reboot(String instanceId) {
        synchronized (lockFor(instanceId)) {
            LocalInstanceRecord rec = require(instanceId);
            process(rec).ifPresent(ChildProcesses::kill);
            launch(dirOf(instanceId), rec);
        }
    }

    @Override
    public void destroy(String instanceId) {
        synchronized (lockFor(instanceId)) {
            Path dir = dirOf(instanceId);
            Optional<LocalInstanceRecord> rec = LocalInstanceRecord.read(dir);
            rec.flatMap(this::process).ifPresent(ChildProcesses::kill);
            startedHere.remove(instanceId);
            deleteTree(dir);
        }
    }

    @Override
    public List<Instance> list() {
        List<Instance> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(settings.stateDir())) {
            dirs.filter(Files::isDirectory).sorted().forEach(dir -> LocalInstanceRecord.read(dir)
                    .ifPresent(rec -> out.add(toInstance(rec))));
        } catch (IOException e) {
            throw new ProviderException(ProviderException.Kind.UNAVAILABLE, "cannot list " + settings.stateDir(), e);
        }
        return out;
    }

    /** Stops the workers this provider started (their disks are kept: a restarted engine can resume them). */
    @Override
    public void close() {
        for (String id : List.copyOf(startedHere)) {
            try {
                stop(id);
            } catch (ProviderException e) {
                startedHere.remove(id); // destroyed meanwhile
            }
        }
    }

    private Instance toInstance(LocalInstanceRecord rec) {
        InstanceStatus status;
        if (!rec.running()) {
            status = InstanceStatus.STOPPED;
        } else {
            status = process(rec).isPresent() ? InstanceStatus.RUNNING : InstanceStatus.FAILED;
        }
        String url = status == InstanceStatus.RUNNING ? "http://127.0.0.1:" + rec.port() : "";
        return new Instance(rec.id(), rec.label(), status, url, settings.gpuName(), settings.pricePerHour(), 1.0);
    }

    private Optional<ProcessHandle> process(LocalInstanceRecord rec) {
        return ChildProcesses.find(rec.pid(), rec.startMillis());
    }

    private LocalInstanceRecord launch(Path dir, LocalInstanceRecord rec) {
        int port = rec.port() > 0 && portIsFree(rec.port()) ? rec.port() : freePort();
        String workerPort = rec.env().getOrDefault("WORKER_PORT", "3000");
        List<String> command = new ArrayList<>();
        command.add(settings.java());
        command.addAll(settings.jvmOptions());
        command.add("-cp");
        command.add(settings.classpath());
        command.add(WorkerMain.class.getName());
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("EMU_") || k.startsWith("VAST_TCP_PORT_"));
        env.putAll(settings.workerEnv());
        env.putAll(rec.env());
        env.put("CONTAINER_ID", rec.id());
        env.put("PUBLIC_IPADDR", "127.0.0.1");
        env.put("VAST_TCP_PORT_" + workerPort, Integer.toString(port));
        env.put("EMU_STATE_DIR", dir.resolve(DISK).toString());
        env.put("EMU_PARENT_PID", Long.toString(ProcessHandle.current().pid()));
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(LOG).toFile()));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new ProviderException(ProviderException.Kind.UNAVAILABLE,
                    "cannot start a worker JVM with " + settings.java() + ": " + e.getMessage(), e);
        }
        ProcessHandle handle = p.toHandle();
        ChildProcesses.register(handle);
        startedHere.add(rec.id());
        long startMillis = handle.info().startInstant().map(i -> i.toEpochMilli()).orElse(0L);
        LocalInstanceRecord running = rec.withProcess(true, port, handle.pid(), startMillis);
        running.write(dir);
        return running;
    }

    private LocalInstanceRecord require(String instanceId) {
        return record(instanceId).orElseThrow(() -> new ProviderException(ProviderException.Kind.NOT_FOUND,
                "no local instance " + instanceId));
    }

    private Optional<LocalInstanceRecord> record(String instanceId) {
        if (instanceId == null || !instanceId.matches("[0-9]{1,18}")) {
            return Optional.empty();
        }
        return LocalInstanceRecord.read(dirOf(instanceId));
    }

    private Path dirOf(String instanceId) {
        return settings.stateDir().resolve(instanceId);
    }

    private Object lockFor(String id) {
        return locks.computeIfAbsent(id, k -> new Object());
    }

    /** Takes the next free integer id; the directory's atomic creation settles races with other providers. */
    private Path newInstanceDir() {
        long next = 1 + maxId();
        while (true) {
            Path dir = dirOf(Long.toString(next));
            try {
                return Files.createDirectory(dir);
            } catch (FileAlreadyExistsException e) {
                next++;
            } catch (IOException e) {
                throw new ProviderException(ProviderException.Kind.UNAVAILABLE, "cannot create " + dir, e);
            }
        }
    }

    private long maxId() {
        try (Stream<Path> dirs = Files.list(settings.stateDir())) {
            return dirs.map(d -> d.getFileName().toString()).filter(n -> n.matches("[0-9]{1,18}"))
                    .mapToLong(Long::parseLong).max().orElse(0);
        } catch (IOException e) {
            throw new ProviderException(ProviderException.Kind.UNAVAILABLE, "cannot list " + settings.stateDir(), e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new ProviderException(ProviderException.Kind.UNAVAILABLE, "no free loopback port", e);
        }
    }

    private static boolean portIsFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new ProviderException(ProviderException.Kind.UNAVAILABLE, "cannot delete " + dir, e);
        }
    }
}
