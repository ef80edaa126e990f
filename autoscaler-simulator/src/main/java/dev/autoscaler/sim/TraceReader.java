package dev.autoscaler.sim;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * Reads a request trace in the CSV format of the Azure LLM inference traces
 * ({@code TIMESTAMP,ContextTokens,GeneratedTokens}, parsed by {@link TraceCsv}, which says what it
 * accepts) into a {@link Workload}: arrival times and each request's cost, by a {@link TraceCost}.
 * A bad line is a {@link TraceFormatException} naming the source and the line.
 */
public final class TraceReader {
    private final TraceCost cost;

    public TraceReader(TraceCost cost) {
        this.cost = Objects.requireNonNull(cost, "cost");
    }

    /** Cost = context + generated tokens. */
    public static TraceReader standard() {
        return new TraceReader(TraceCost.TOTAL);
    }

    public Workload read(Path file) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(in, file.getFileName().toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read trace " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a class-path resource (e.g. a bundled trace). */
    public Workload read(InputStream in, String sourceName) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return read(reader, sourceName);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read trace " + sourceName + ": " + e.getMessage(), e);
        }
    }

    public Workload read(Reader reader, String sourceName) throws IOException {
        Columns columns = new Columns();
        TraceCsv.parse(reader, sourceName, columns::add);
        return new Workload("trace " + sourceName, Arrays.copyOf(columns.times, columns.n),
                Arrays.copyOf(columns.costs, columns.n));
    }

    /** Arrival times and costs, grown as rows arrive. */
    private final class Columns {
        long[] times = new long[1024];
        double[] costs = new double[1024];
        int n;

        void add(long offsetNanos, long context, long generated) {
            if (n == times.length) {
                times = Arrays.copyOf(times, n * 2);
                costs = Arrays.copyOf(costs, n * 2);
            }
            times[n] = offsetNanos;
            costs[n] = cost.of(context, generated);
            n++;
        }
    }
}
