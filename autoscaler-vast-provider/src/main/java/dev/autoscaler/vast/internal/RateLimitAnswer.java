package dev.autoscaler.vast.internal;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a 429 asks for. Vast's answer carries the path's minimum spacing in its text
 * ({@code "API requests too frequent endpoint threshold=1.0"}, seconds); a proxy in front may add a
 * standard {@code Retry-After} header (seconds; an HTTP date is not honoured here and reads as 0).
 */
public final class RateLimitAnswer {
    private static final Pattern THRESHOLD = Pattern.compile("threshold\\s*[=:]\\s*([0-9]+(?:\\.[0-9]+)?)");
    /** Nothing the server says makes a caller wait longer than this per call. */
    private static final double MAX_SECONDS = 600;

    private RateLimitAnswer() {
    }

    /** The {@code Retry-After} header's wait, in nanoseconds; 0 when absent or not a number of seconds. */
    public static long retryAfterNanos(String header) {
        if (header == null || header.isBlank()) {
            return 0;
        }
        try {
            return nanos(Double.parseDouble(header.trim()));
        } catch (NumberFormatException httpDate) {
            return 0;
        }
    }

    /** The {@code threshold=S} a 429's body names, in nanoseconds; 0 when it names none. */
    public static long thresholdNanos(String body) {
        if (body == null) {
            return 0;
        }
        Matcher m = THRESHOLD.matcher(body.toLowerCase(Locale.ROOT));
        return m.find() ? nanos(Double.parseDouble(m.group(1))) : 0;
    }

    private static long nanos(double seconds) {
        if (!(seconds > 0)) {
            return 0; // NaN, zero and negatives ask for nothing
        }
        return (long) (Math.min(seconds, MAX_SECONDS) * 1e9);
    }
}
