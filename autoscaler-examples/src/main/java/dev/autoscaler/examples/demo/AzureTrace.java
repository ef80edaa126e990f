package dev.autoscaler.examples.demo;

import dev.autoscaler.InvalidConfigException;
import dev.autoscaler.sim.TraceCsv;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's requests from a trace in the Azure LLM inference trace format, parsed by core's
 * {@link TraceCsv} (the simulator's parser too; it says what it accepts): both token counts kept
 * apart, as the demo's workers generate the tokens. The bundled default is the conversation trace of
 * 2023 (CC-BY 4.0, see {@code traces/README.md} beside it).
 */
public final class AzureTrace {
    /** The bundled trace, on the class path. */
    public static final String BUNDLED = "/traces/azure-llm-2023-conv.csv";

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
     * Parses a trace; offsets start at 0 and never decrease.
     *
     * @throws InvalidConfigException naming the source and line of a bad row, or when it has no request
     */
    public static List<TraceRequest> read(Reader reader, String source) throws IOException {
        List<TraceRequest> out = new ArrayList<>();
        TraceCsv.parse(reader, source, (offsetNanos, context, generated) -> out.add(new TraceRequest(offsetNanos,
                (int) Math.min(Integer.MAX_VALUE, context), (int) Math.min(Integer.MAX_VALUE, generated))));
        if (out.isEmpty()) {
            throw new InvalidConfigException("trace", source + " has no requests");
        }
        return out;
    }
}
