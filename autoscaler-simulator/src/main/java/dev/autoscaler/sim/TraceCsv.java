package dev.autoscaler.sim;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one parser of request traces in the CSV format of the Azure LLM inference traces:
 * {@code TIMESTAMP,ContextTokens,GeneratedTokens}, one request a line. It hands each request to a
 * {@link Row} callback (no list in between, so a long trace costs the caller's storage only): the
 * simulator derives a cost from it ({@link TraceReader}), the demo keeps both token counts.
 * <ul>
 *   <li>TIMESTAMP looks like {@code 2023-11-16 18:15:46.6805900} (UTC, up to nine fractional
 *       digits), or is plain seconds such as {@code 12.5};</li>
 *   <li>arrivals are made relative to the first request and must not go back in time;</li>
 *   <li>the first line may be a header of three columns (e.g. the Azure one); blank lines, lines
 *       starting with {@code #} and a leading byte order mark are skipped;</li>
 *   <li>token counts are whole numbers {@code >= 0}.</li>
 * </ul>
 * A bad line is a {@link TraceFormatException} (an {@code InvalidConfigException} on field
 * {@code trace}) naming the source and the line.
 */
public final class TraceCsv {
    /** Receives one request of a trace. */
    @FunctionalInterface
    public interface Row {
        /**
         * @param offsetNanos     arrival since the trace's first request, ns, never decreasing
         * @param contextTokens   prompt tokens, {@code >= 0}
         * @param generatedTokens tokens generated, {@code >= 0}
         */
        void accept(long offsetNanos, long contextTokens, long generatedTokens);
    }

    private static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .toFormatter();
    private static final Pattern SECONDS = Pattern.compile("\\d{1,12}(\\.\\d{1,9})?");

    private TraceCsv() {
    }

    /**
     * Parses a trace, in file order, handing each request to {@code rows}.
     *
     * @param source names the trace in errors, e.g. its file name
     * @return the number of requests
     * @throws TraceFormatException naming the source and line of a bad line
     */
    public static int parse(Reader reader, String source, Row rows) throws IOException {
        BufferedReader in = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
        int n = 0;
        long firstNanos = 0;
        long lastRel = 0;
        long lineNo = 0;
        String line;
        while ((line = in.readLine()) != null) {
            lineNo++;
            String text = line.strip();
            if (lineNo == 1 && !text.isEmpty() && text.charAt(0) == '\uFEFF') {
                text = text.substring(1);
            }
            if (text.isEmpty() || text.charAt(0) == '#') {
                continue;
            }
            String[] cols = text.split(",", -1);
            if (n == 0 && !Character.isDigit(text.charAt(0))) {
                if (cols.length != 3 && !text.toLowerCase(Locale.ROOT).startsWith("timestamp")) {
                    throw new TraceFormatException(source, lineNo,
                            "expected the header TIMESTAMP,ContextTokens,GeneratedTokens or a request, got '"
                                    + abbreviate(text) + "'");
                }
                continue; // the header
            }
            if (cols.length != 3) {
                throw new TraceFormatException(source, lineNo, "expected 3 columns (TIMESTAMP,ContextTokens,"
                        + "GeneratedTokens), got " + cols.length + ": '" + abbreviate(text) + "'");
            }
            long at = parseTime(cols[0].strip(), source, lineNo);
            long context = parseTokens(cols[1].strip(), "ContextTokens", source, lineNo);
            long generated = parseTokens(cols[2].strip(), "GeneratedTokens", source, lineNo);
            if (n == 0) {
                firstNanos = at;
            }
            long rel = at - firstNanos;
            if (rel < 0 || (n > 0 && rel < lastRel)) {
                throw new TraceFormatException(source, lineNo, "TIMESTAMP " + cols[0].strip()
                        + " is earlier than the line before; a trace must be in time order");
            }
            rows.accept(rel, context, generated);
            lastRel = rel;
            n++;
        }
        return n;
    }

    private static long parseTime(String raw, String source, long line) {
        long fast = parseTimeFast(raw);
        if (fast != Long.MIN_VALUE) {
            return fast;
        }
        try {
            if (SECONDS.matcher(raw).matches()) {
                return new BigDecimal(raw).movePointRight(9).longValueExact();
            }
            LocalDateTime t = LocalDateTime.parse(raw, TIMESTAMP);
            long seconds = t.toEpochSecond(ZoneOffset.UTC);
            return Math.addExact(Math.multiplyExact(seconds, 1_000_000_000L), t.getNano());
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new TraceFormatException(source, line, "TIMESTAMP must look like 2023-11-16 18:15:46.6805900"
                    + " (or be seconds, e.g. 12.5), got '" + abbreviate(raw) + "'");
        }
    }

    /**
     * {@code uuuu-MM-dd HH:mm:ss[.f...]} by hand, ten times faster than the formatter on a long
     * trace; {@link Long#MIN_VALUE} for anything unusual, which the slow path then judges.
     */
    static long parseTimeFast(String s) {
        int n = s.length();
        if (n < 19 || n == 20 || n > 29 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != ' '
                || s.charAt(13) != ':' || s.charAt(16) != ':' || (n > 19 && s.charAt(19) != '.')) {
            return Long.MIN_VALUE;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 7);
        int day = digits(s, 8, 10);
        int hour = digits(s, 11, 13);
        int minute = digits(s, 14, 16);
        int second = digits(s, 17, 19);
        long nanos = 0;
        for (int i = 20; i < 29; i++) {
            int d = i < n ? s.charAt(i) - '0' : 0;
            if (d < 0 || d > 9) {
                return Long.MIN_VALUE;
            }
            nanos = nanos * 10 + d;
        }
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 28 || hour < 0 || hour > 23 || minute < 0
                || minute > 59 || second < 0 || second > 59) {
            return Long.MIN_VALUE; // days 29-31 go the slow way, which knows the month lengths
        }
        long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
        return ((epochDay * 86400 + hour * 3600L + minute * 60L + second) * 1_000_000_000L) + nanos;
    }

    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            int d = s.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return -1_000_000;
            }
            v = v * 10 + d;
        }
        return v;
    }

    private static long parseTokens(String raw, String column, String source, long line) {
        long value;
        try {
            value = Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw new TraceFormatException(source, line, column + " must be a whole number, got '" + abbreviate(raw) + "'");
        }
        if (value < 0) {
            throw new TraceFormatException(source, line, column + " must be >= 0, got " + value);
        }
        return value;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
