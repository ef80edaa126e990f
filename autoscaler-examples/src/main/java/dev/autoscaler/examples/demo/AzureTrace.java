package dev.autoscaler.examples.demo;

import dev.autoscaler.InvalidConfigException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads traces in the Azure LLM inference trace format ({@code TIMESTAMP,ContextTokens,GeneratedTokens},
 * timestamps like {@code 2023-11-16 18:15:46.6805900}) or with a plain seconds column instead of
 * the timestamp. The bundled default is the conversation trace of 2023 (CC-BY 4.0, see
 * {@code traces/README.md} beside it).
 */
public final class AzureTrace {
    /** The bundled trace, on the class path. */
    public static final String BUNDLED = "/traces/azure-llm-2023-conv.csv";

    private static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .toFormatter();

    private AzureTrace() {
    }

    /** The bundled conversation trace. */
    public static List<TraceRequest> bundled() {
        InputStream in = AzureTrace.class.getResourceAsStream(BUNDLED);
        if (in == null) {
            throw new IllegalStateException("the bundled trace " + BUNDLED + " is missing from the class path");
        }
        try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            return read(r, BUNDLED);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<TraceRequest> read(Path file) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(r, file.toString());
        } catch (IOException e) {
            throw new InvalidConfigException("trace", "cannot read " + file + ": " + e.getMessage());
        }
    }

    /**
     * Parses a trace; rows are sorted by arrival and offsets start at 0.
     *
     * @throws InvalidConfigException naming the source and line of a bad row
     */
    public static List<TraceRequest> read(Reader reader, String source) throws IOException {
        BufferedReader in = new BufferedReader(reader);
        List<long[]> rows = new ArrayList<>();
        String line;
        int lineNo = 0;
        while ((line = in.readLine()) != null) {
            lineNo++;
            String trimmed = line.trim();
            if (trimmed.isEmpty() || trimmed.startsWith("#") || (lineNo == 1 && !Character.isDigit(trimmed.charAt(0)))) {
                continue; // blank, comment, header
            }
            String[] f = trimmed.split(",");
            if (f.length < 3) {
                throw new InvalidConfigException("trace", source + " line " + lineNo + ": expected 3 columns");
            }
            try {
                rows.add(new long[] {timeNanos(f[0].trim()), Long.parseLong(f[1].trim()), Long.parseLong(f[2].trim())});
            } catch (NumberFormatException | DateTimeParseException e) {
                throw new InvalidConfigException("trace", source + " line " + lineNo + ": " + e.getMessage());
            }
        }
        if (rows.isEmpty()) {
            throw new InvalidConfigException("trace", source + " has no requests");
        }
        rows.sort(Comparator.comparingLong(r -> r[0]));
        long first = rows.get(0)[0];
        List<TraceRequest> out = new ArrayList<>(rows.size());
        for (long[] r : rows) {
            out.add(new TraceRequest(r[0] - first, (int) Math.min(Integer.MAX_VALUE, r[1]),
                    (int) Math.min(Integer.MAX_VALUE, r[2])));
        }
        return out;
    }

    private static long timeNanos(String field) {
        if (field.indexOf('-') > 0) {
            LocalDateTime t = LocalDateTime.parse(field, TIMESTAMP);
            return t.toEpochSecond(ZoneOffset.UTC) * 1_000_000_000L + t.getNano();
        }
        return (long) (Double.parseDouble(field) * 1e9);
    }
}
