package dev.autoscaler.examples.worker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.OptionalDouble;

/**
 * The worker's "disk", which survives a stop and a reboot but not a destroy: whether the model was
 * downloaded (a resume loads faster) and the benchmark result (a restart reports the same
 * {@code max_perf} without benchmarking again, as Vast's worker library does).
 */
final class WorkerDisk {
    private static final String MODEL_MARKER = "model.loaded";
    private static final String BENCHMARK_FILE = "benchmark.txt";

    private final Path dir;

    WorkerDisk(Path dir) {
        this.dir = dir;
    }

    boolean hasModel() {
        return Files.exists(dir.resolve(MODEL_MARKER));
    }

    void markModelLoaded() {
        write(MODEL_MARKER, "1");
    }

    OptionalDouble cachedMaxPerf() {
        Path file = dir.resolve(BENCHMARK_FILE);
        try {
            if (!Files.exists(file)) {
                return OptionalDouble.empty();
            }
            double v = Double.parseDouble(Files.readString(file, StandardCharsets.UTF_8).trim());
            return v > 0 && Double.isFinite(v) ? OptionalDouble.of(v) : OptionalDouble.empty();
        } catch (IOException | NumberFormatException e) {
            return OptionalDouble.empty(); // a torn or foreign file: benchmark again
        }
    }

    void storeMaxPerf(double maxPerf) {
        write(BENCHMARK_FILE, Double.toString(maxPerf));
    }

    private void write(String name, String text) {
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, name, ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(name), e);
        }
    }
}
