package dev.autoscaler.sim;

import dev.autoscaler.InvalidConfigException;

/** A trace file has a line the reader cannot use; the message names the source and the line. */
public final class TraceFormatException extends InvalidConfigException {
    private final String source;
    private final long line;

    public TraceFormatException(String source, long line, String problem) {
        super("trace", source + " line " + line + ": " + problem);
        this.source = source;
        this.line = line;
    }

    /** The file or resource read. */
    public String source() {
        return source;
    }

    /** The 1-based line number. */
    public long line() {
        return line;
    }
}
