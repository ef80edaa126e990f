package dev.autoscaler.examples.local;

import dev.autoscaler.InvalidConfigException;
import dev.autoscaler.Settings;
import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Settings of the {@code local} provider (all optional):
 * <ul>
 *   <li>{@code state_dir}: the "account", one directory per instance (default
 *       {@code ${java.io.tmpdir}/autoscaler-local});</li>
 *   <li>{@code java}: the java launcher (default: the one running this JVM);</li>
 *   <li>{@code classpath}: the worker's class path (default: this JVM's, i.e. the jar);</li>
 *   <li>{@code jvm_options}: options for worker JVMs (default: small heap, serial GC, C1 only);</li>
 *   <li>{@code gpu_name}, {@code price_per_hour}: what {@code list()} says about each instance;</li>
 *   <li>the worker emulation: {@code throughput} (perf units/s), {@code max_concurrency},
 *       {@code max_queue_time} (s), {@code cold_load_ms}, {@code warm_load_ms},
 *       {@code benchmark_rounds}, {@code benchmark_parallel}, {@code benchmark_cost},
 *       {@code busy_report_ms}, {@code idle_report_ms}, {@code pubkey_backoff_ms}, {@code jwks_path}:
 *       passed to each worker as {@code EMU_*} variables.</li>
 * </ul>
 */
record LocalProviderSettings(Path stateDir, String java, String classpath, List<String> jvmOptions, String gpuName,
                             double pricePerHour, Map<String, String> workerEnv) {

    static final String DEFAULT_JVM_OPTIONS = "-Xmx64m -Xss512k -XX:+UseSerialGC -XX:TieredStopAtLevel=1";

    private static final Map<String, String> EMULATION = new LinkedHashMap<>();

    static {
        EMULATION.put("throughput", "EMU_THROUGHPUT");
        EMULATION.put("max_concurrency", "EMU_MAX_CONCURRENCY");
        EMULATION.put("max_queue_time", "EMU_MAX_QUEUE_TIME");
        EMULATION.put("cold_load_ms", "EMU_COLD_LOAD_MS");
        EMULATION.put("warm_load_ms", "EMU_WARM_LOAD_MS");
        EMULATION.put("benchmark_rounds", "EMU_BENCHMARK_ROUNDS");
        EMULATION.put("benchmark_parallel", "EMU_BENCHMARK_PARALLEL");
        EMULATION.put("benchmark_cost", "EMU_BENCHMARK_COST");
        EMULATION.put("busy_report_ms", "EMU_BUSY_REPORT_MS");
        EMULATION.put("idle_report_ms", "EMU_IDLE_REPORT_MS");
        EMULATION.put("pubkey_backoff_ms", "EMU_PUBKEY_BACKOFF_MS");
        EMULATION.put("jwks_path", "EMU_JWKS_PATH");
    }

    static LocalProviderSettings from(Settings s) {
        Path stateDir = Path.of(s.getString("state_dir",
                Path.of(System.getProperty("java.io.tmpdir"), "autoscaler-local").toString()));
        String java = s.getString("java", ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        String classpath = s.getString("classpath", System.getProperty("java.class.path"));
        if (classpath == null || classpath.isBlank()) {
            throw new InvalidConfigException("classpath", "is empty and this JVM has none to give the workers");
        }
        classpath = absolute(classpath);
        List<String> jvmOptions = Arrays.stream(s.getString("jvm_options", DEFAULT_JVM_OPTIONS).trim().split("\\s+"))
                .filter(o -> !o.isEmpty()).toList();
        double price = s.getDouble("price_per_hour", 0.40);
        if (price < 0) {
            throw new InvalidConfigException("price_per_hour", "must not be negative, got " + price);
        }
        Map<String, String> workerEnv = new LinkedHashMap<>();
        EMULATION.forEach((setting, var) -> {
            if (setting.equals("jwks_path")) {
                s.get(setting).ifPresent(v -> workerEnv.put(var, v));
            } else if (setting.startsWith("throughput") || setting.equals("max_queue_time")
                    || setting.equals("benchmark_cost")) {
                s.get(setting).ifPresent(v -> workerEnv.put(var, Double.toString(positive(s, setting))));
            } else {
                s.get(setting).ifPresent(v -> {
                    long n = s.getLong(setting, 0);
                    if (n < 0) {
                        throw new InvalidConfigException(setting, "must not be negative, got " + n);
                    }
                    workerEnv.put(var, Long.toString(n));
                });
            }
        });
        return new LocalProviderSettings(stateDir, java, classpath, jvmOptions,
                s.getString("gpu_name", "local-emulated"), price, workerEnv);
    }

    /**
     * Workers run in their instance directory, so a relative entry ({@code java -jar
     * target/autoscaler.jar} gives one) must be made absolute against this JVM's directory.
     */
    static String absolute(String classpath) {
        return Arrays.stream(classpath.split(Pattern.quote(File.pathSeparator)))
                .filter(e -> !e.isEmpty())
                .map(e -> Path.of(e).toAbsolutePath().normalize().toString())
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static double positive(Settings s, String key) {
        double v = s.getDouble(key, 1);
        if (!(v > 0)) {
            throw new InvalidConfigException(key, "must be positive, got " + v);
        }
        return v;
    }
}
