package dev.autoscaler.core.ticket.internal;

import java.math.BigInteger;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes a flat JSON object exactly as Python's {@code json.dumps(obj, sort_keys=True, ...)} does
 * with its defaults ({@code ensure_ascii=True}, {@code allow_nan=True}): the bytes that get signed
 * must match what a Python worker rebuilds.
 *
 * <ul>
 *   <li>Strings: {@code "} and {@code \} escaped, {@code \n \r \t \b \f} as short escapes, every other
 *       character outside space..tilde as lower-case {@code &#92;uXXXX} (so non-BMP characters become a
 *       surrogate pair, which a Java string already holds); {@code /} is not escaped.</li>
 *   <li>Numbers: integer types as integers, {@code Double}/{@code Float} (and any other
 *       {@code Number}) as Python floats via {@link PythonFloat}, non-finite as {@code NaN},
 *       {@code Infinity}, {@code -Infinity}.</li>
 *   <li>{@code Boolean} as {@code true}/{@code false}, {@code null} as {@code null}.</li>
 * </ul>
 *
 * <p>Keys are sorted by {@link String#compareTo}, which equals Python's code-point order for keys
 * without characters beyond the BMP (all the keys this library writes are ASCII).
 */
public final class PythonJson {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private PythonJson() {
    }

    /** {@code json.dumps(obj, indent=4, sort_keys=True)}: the legacy Vast signature's message. */
    public static String dumpsIndented(Map<String, ?> flat) {
        Map<String, ?> sorted = sorted(flat);
        if (sorted.isEmpty()) {
            return "{}";
        }
        StringBuilder out = new StringBuilder(32 * sorted.size() + 4);
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, ?> entry : sorted.entrySet()) {
            out.append(first ? "\n    " : ",\n    ");
            first = false;
            appendString(out, entry.getKey());
            out.append(": ");
            appendValue(out, entry.getValue());
        }
        return out.append("\n}").toString();
    }

    /** {@code json.dumps(obj, separators=(",", ":"), sort_keys=True)}: the canonical ticket payload. */
    public static String dumpsCompact(Map<String, ?> flat) {
        Map<String, ?> sorted = sorted(flat);
        StringBuilder out = new StringBuilder(32 * sorted.size() + 2);
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, ?> entry : sorted.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            appendString(out, entry.getKey());
            out.append(':');
            appendValue(out, entry.getValue());
        }
        return out.append('}').toString();
    }

    /** Appends {@code value} as a JSON string literal with Python's ASCII escaping. */
    public static void appendString(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c >= ' ' && c <= '~') {
                        out.append(c);
                    } else {
                        out.append("\\u")
                                .append(HEX[(c >> 12) & 0xF])
                                .append(HEX[(c >> 8) & 0xF])
                                .append(HEX[(c >> 4) & 0xF])
                                .append(HEX[c & 0xF]);
                    }
                }
            }
        }
        out.append('"');
    }

    /** Appends a number as Python's json module prints the equivalent Python int or float. */
    public static void appendNumber(StringBuilder out, Number number) {
        if (isInteger(number)) {
            out.append(number.toString());
            return;
        }
        double d = number.doubleValue();
        if (Double.isNaN(d)) {
            out.append("NaN");
        } else if (Double.isInfinite(d)) {
            out.append(d > 0 ? "Infinity" : "-Infinity");
        } else {
            out.append(PythonFloat.repr(d));
        }
    }

    /** Whether Python would see this number as an {@code int} (rather than a {@code float}). */
    public static boolean isInteger(Number number) {
        return number instanceof Integer || number instanceof Long || number instanceof Short
                || number instanceof Byte || number instanceof BigInteger
                || number instanceof AtomicInteger || number instanceof AtomicLong;
    }

    private static void appendValue(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            appendString(out, s);
        } else if (value instanceof Number n) {
            appendNumber(out, n);
        } else if (value instanceof Boolean b) {
            out.append(b ? "true" : "false");
        } else {
            throw new IllegalArgumentException("only flat objects of strings, numbers, booleans and null are"
                    + " supported, got " + value.getClass().getName());
        }
    }

    private static Map<String, ?> sorted(Map<String, ?> map) {
        return map instanceof TreeMap<String, ?> tree && tree.comparator() == null ? tree : new TreeMap<>(map);
    }
}
