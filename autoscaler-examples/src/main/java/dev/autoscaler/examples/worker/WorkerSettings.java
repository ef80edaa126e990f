package dev.autoscaler.examples.worker;

import dev.autoscaler.InvalidConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Everything a worker process is told at start, read from its environment the way a Vast host and
 * the engine give it: {@code REPORT_ADDR}, {@code MASTER_TOKEN}, {@code WORKER_PORT} (from the
 * engine), {@code CONTAINER_ID}, {@code PUBLIC_IPADDR}, {@code VAST_TCP_PORT_<port>} (from the
 * host), plus the emulation knobs {@code EMU_*} (the local provider sets them; defaults model a
 * 2,000 tokens/s GPU that takes 20 s to load its model).
 *
 * @param reportAddr         the engine's base URL, without trailing slash
 * @param masterToken        the worker's secret for reports
 * @param workerId           the instance id, reported as {@code id}
 * @param publicUrl          {@code http://$PUBLIC_IPADDR:$VAST_TCP_PORT_$WORKER_PORT}
 * @param listenPort         the port to serve on ({@code VAST_TCP_PORT_<port>} when set: the local
 *                           host maps no ports, so the public port is the listening one)
 * @param stateDir           the worker's "disk": holds the loaded-model marker and the benchmark
 * @param throughput         emulated perf units/s shared by the requests in service
 * @param maxConcurrency     requests in service at once; more wait
 * @param maxQueueTime       admission: 429 when pending work / max_perf exceeds it (seconds)
 * @param coldLoad           model "download and load" time on a fresh disk
 * @param warmLoad           model load time when the disk already has it (a resume)
 * @param benchmarkRounds    rounds of the start benchmark (8 on Vast)
 * @param benchmarkParallel  concurrent requests per round (10 on Vast)
 * @param benchmarkCost      work of each benchmark request
 * @param busyReportInterval report cadence while requests are in flight (1 s)
 * @param idleReportInterval report cadence while idle (10 s)
 * @param errorRetryInterval re-post cadence while the engine answers errors (2 s)
 * @param pubkeyBackoff      first wait between /pubkey/ tries; doubles (1, 2, 4, 8 s on Vast)
 * @param parentPid          exit when this process is gone (the engine), if set
 * @param ticketFormat       its endpoint's {@code ticket_format} ({@code TICKET_FORMAT}, which the engine
 *                           sets): {@code ed25519} accepts strong tickets only (no downgrade to an RSA
 *                           signature); empty or {@code vast-rsa} accepts both, as Vast's worker library
 */
public record WorkerSettings(String reportAddr, String masterToken, long workerId, String publicUrl, int listenPort,
                             Path stateDir, double throughput, int maxConcurrency, double maxQueueTime,
                             Duration coldLoad, Duration warmLoad, int benchmarkRounds, int benchmarkParallel,
                             double benchmarkCost, Duration busyReportInterval, Duration idleReportInterval,
                             Duration errorRetryInterval, Duration pubkeyBackoff, OptionalLong parentPid,
                             String ticketFormat) {

    public static final String VERSION = "autoscaler-java-worker/0.1";

    /** Whether only {@code ed25519} tickets are accepted (the endpoint's format is {@code ed25519}). */
    public boolean strongTicketsOnly() {
        return "ed25519".equals(ticketFormat);
    }

    public WorkerSettings {
        Objects.requireNonNull(reportAddr, "reportAddr");
        Objects.requireNonNull(masterToken, "masterToken");
        Objects.requireNonNull(publicUrl, "publicUrl");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(parentPid, "parentPid");
        ticketFormat = Objects.requireNonNullElse(ticketFormat, "");
        while (reportAddr.endsWith("/")) {
            reportAddr = reportAddr.substring(0, reportAddr.length() - 1);
        }
    }

    /** Reads the settings from an environment map; errors name the variable. */
    public static WorkerSettings fromEnv(Map<String, String> env) {
        String reportAddr = require(env, "REPORT_ADDR");
        String token = require(env, "MASTER_TOKEN");
        long id = longOf(env, "CONTAINER_ID", null);
        int workerPort = (int) longOf(env, "WORKER_PORT", 3000L);
        String ip = env.getOrDefault("PUBLIC_IPADDR", "127.0.0.1");
        String portVar = "VAST_TCP_PORT_" + workerPort;
        int publicPort = (int) longOf(env, portVar, (long) workerPort);
        if (publicPort < 0 || publicPort > 65535) {
            throw new InvalidConfigException(portVar, "must be a port in 0..65535, got " + publicPort);
        }
        Path stateDir = Path.of(env.getOrDefault("EMU_STATE_DIR", "worker-state-" + id));
        String parent = env.get("EMU_PARENT_PID");
        return new WorkerSettings(reportAddr, token, id, "http://" + ip + ":" + publicPort, publicPort, stateDir,
                doubleOf(env, "EMU_THROUGHPUT", 2000), (int) longOf(env, "EMU_MAX_CONCURRENCY", 16L),
                doubleOf(env, "EMU_MAX_QUEUE_TIME", 30),
                Duration.ofMillis(longOf(env, "EMU_COLD_LOAD_MS", 20_000L)),
                Duration.ofMillis(longOf(env, "EMU_WARM_LOAD_MS", 3_000L)),
                (int) longOf(env, "EMU_BENCHMARK_ROUNDS", 8L), (int) longOf(env, "EMU_BENCHMARK_PARALLEL", 10L),
                doubleOf(env, "EMU_BENCHMARK_COST", 200),
                Duration.ofMillis(longOf(env, "EMU_BUSY_REPORT_MS", 1_000L)),
                Duration.ofMillis(longOf(env, "EMU_IDLE_REPORT_MS", 10_000L)),
                Duration.ofMillis(longOf(env, "EMU_ERROR_RETRY_MS", 2_000L)),
                Duration.ofMillis(longOf(env, "EMU_PUBKEY_BACKOFF_MS", 1_000L)),
                parent == null || parent.isBlank() ? OptionalLong.empty()
                        : OptionalLong.of(longOf(env, "EMU_PARENT_PID", null)),
                env.getOrDefault("TICKET_FORMAT", "").trim());
    }

    /** A copy listening on another port with the matching URL (tests bind port 0 first). */
    public WorkerSettings withListenPort(int port, String url) {
        return new WorkerSettings(reportAddr, masterToken, workerId, url, port, stateDir, throughput, maxConcurrency,
                maxQueueTime, coldLoad, warmLoad, benchmarkRounds, benchmarkParallel, benchmarkCost,
                busyReportInterval, idleReportInterval, errorRetryInterval, pubkeyBackoff, parentPid, ticketFormat);
    }

    private static String require(Map<String, String> env, String name) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            throw new InvalidConfigException(name, "is required");
        }
        return v.trim();
    }

    private static long longOf(Map<String, String> env, String name, Long dflt) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            if (dflt == null) {
                throw new InvalidConfigException(name, "is required");
            }
            return dflt;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new InvalidConfigException(name, "must be an integer, got '" + v + "'");
        }
    }

    private static double doubleOf(Map<String, String> env, String name, double dflt) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            double d = Double.parseDouble(v.trim());
            if (!(d > 0) || Double.isInfinite(d)) {
                throw new InvalidConfigException(name, "must be a positive number, got '" + v + "'");
            }
            return d;
        } catch (NumberFormatException e) {
            throw new InvalidConfigException(name, "must be a number, got '" + v + "'");
        }
    }
}
