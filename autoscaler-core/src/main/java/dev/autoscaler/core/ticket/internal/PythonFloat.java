package dev.autoscaler.core.ticket.internal;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Python's {@code repr(float)}, digit for digit: the shortest decimal that reads back as the same
 * double (ties between two shortest candidates go to the nearer one), printed in fixed notation
 * when the decimal exponent lies in {@code -4 < decpt <= 16} and in exponent notation otherwise
 * ({@code 1e+16}, {@code 1e-05}, {@code 1.5e+300}).
 *
 * <p>Why not {@link Double#toString}: besides its {@code 1.0E10} notation, Java 17's algorithm
 * sometimes prints more digits than needed ({@code 2.0E-3} is fine, but e.g. the smallest subnormal
 * prints {@code 4.9E-324} where the shortest is {@code 5e-324}); the legacy Vast signature signs the
 * printed text, so one digit off is a wrong signature.
 */
public final class PythonFloat {
    /** Below this, an integral double prints as its integer digits plus {@code .0}; see {@link #repr}. */
    private static final double FIXED_INTEGER_LIMIT = 1e16;
    /** Decimals of at most this many digits are further apart than any normal double's rounding interval. */
    private static final int MAX_UNIQUE_DIGITS = 15;
    private static final double[] EXACT_POWERS_OF_TEN = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    private static final MathContext[] FLOOR = new MathContext[18];
    private static final MathContext[] CEILING = new MathContext[18];
    private static final MathContext[] HALF_EVEN = new MathContext[18];

    static {
        for (int p = 1; p <= 17; p++) {
            FLOOR[p] = new MathContext(p, RoundingMode.FLOOR);
            CEILING[p] = new MathContext(p, RoundingMode.CEILING);
            HALF_EVEN[p] = new MathContext(p, RoundingMode.HALF_EVEN);
        }
    }

    private PythonFloat() {
    }

    /** {@code repr(value)} as CPython 3 prints it: {@code 242.0}, {@code 0.5}, {@code 1e+16}, {@code nan}, {@code -inf}. */
    public static String repr(double value) {
        if (Double.isNaN(value)) {
            return "nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        if (value == 0) {
            return Double.doubleToRawLongBits(value) == 0 ? "0.0" : "-0.0";
        }
        // Fast path for the common case (costs such as 242.0). Every integer below 2^53 is exact, and
        // between 2^53 and 1e16 an integral double's neighbours at half an ulp are odd integers, so
        // no shorter decimal can name it: its integer digits are the shortest round trip, and its
        // decimal exponent is at most 16, so Python prints it in fixed notation.
        if (Math.abs(value) < FIXED_INTEGER_LIMIT && value == Math.rint(value)) {
            return Long.toString((long) value) + ".0";
        }
        double abs = Math.abs(value);
        if (abs >= Double.MIN_NORMAL) {
            String fast = fromJavaDigits(value < 0, abs);
            if (fast != null) {
                return fast;
            }
        }
        return reprBySearch(value);
    }

    /** The slow path alone, for any finite non-zero value: a BigDecimal search for the shortest digits. */
    static String reprBySearch(double value) {
        BigDecimal shortest = shortestRoundTrip(Math.abs(value)).stripTrailingZeros();
        String digits = shortest.unscaledValue().toString();
        return format(value < 0, digits, digits.length() - shortest.scale());
    }

    /**
     * The fast path for short decimals such as {@code 242.37} (a few hundred nanoseconds instead of a
     * few microseconds): Java's {@link Double#toString} always reads back exactly, and when it has
     * n <= 15 significant digits for a normal double it is the only n-digit decimal that does
     * (n-digit decimals lie further apart than the double's rounding interval is wide), so it is the
     * answer unless some (n-1)-digit decimal also reads back, which is checked with its two (n-1)-digit
     * neighbours (if any decimal of that length lies in the interval, one of them does). Null when Java
     * printed 16 or more digits or was not the shortest.
     */
    private static String fromJavaDigits(boolean negative, double abs) {
        String java = Double.toString(abs);
        int ePos = java.indexOf('E');
        String mantissa = ePos < 0 ? java : java.substring(0, ePos);
        int exponent = ePos < 0 ? 0 : Integer.parseInt(java.substring(ePos + 1));
        int dot = mantissa.indexOf('.');
        String all = mantissa.substring(0, dot) + mantissa.substring(dot + 1);
        exponent -= mantissa.length() - dot - 1; // value = all x 10^exponent
        int start = 0;
        while (start < all.length() - 1 && all.charAt(start) == '0') {
            start++;
        }
        int end = all.length();
        while (end > start + 1 && all.charAt(end - 1) == '0') {
            end--;
            exponent++;
        }
        int n = end - start;
        if (n > MAX_UNIQUE_DIGITS) {
            return null;
        }
        String digits = all.substring(start, end);
        if (n > 1) {
            long shorter = Long.parseLong(digits) / 10;
            if (readsBackAs(shorter, exponent + 1, abs) || readsBackAs(shorter + 1, exponent + 1, abs)) {
                return null;
            }
        }
        return format(negative, digits, n + exponent);
    }

    /** Whether {@code digits x 10^exponent} parses to {@code target}; exact double arithmetic when it can be. */
    private static boolean readsBackAs(long digits, int exponent, double target) {
        double parsed;
        if (digits < (1L << 53) && exponent >= -22 && exponent <= 22) {
            // both operands are exact doubles, so one IEEE operation rounds correctly (Clinger's fast path)
            parsed = exponent >= 0 ? digits * EXACT_POWERS_OF_TEN[exponent] : digits / EXACT_POWERS_OF_TEN[-exponent];
        } else {
            parsed = Double.parseDouble(digits + "E" + exponent);
        }
        return parsed == target;
    }

    /**
     * The decimal with the fewest significant digits that parses back to {@code positive}. Binary
     * search over the digit count: if some p-digit decimal reads back as the value, so does a
     * (p+1)-digit one (the same with a trailing zero), so "p digits suffice" is monotone in p.
     */
    static BigDecimal shortestRoundTrip(double positive) {
        BigDecimal exact = new BigDecimal(positive);
        int lo = 1;
        int hi = 17; // 17 significant digits always round-trip a double
        BigDecimal best = null;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            BigDecimal candidate = roundTripWithDigits(exact, positive, mid);
            if (candidate != null) {
                hi = mid;
                best = candidate;
            } else {
                lo = mid + 1;
            }
        }
        return best != null ? best : roundTripWithDigits(exact, positive, 17);
    }

    /**
     * The p-digit decimal nearest to {@code exact} that reads back as {@code positive}, or null. Only
     * the two p-digit neighbours of the exact value can qualify (the round-trip interval is contiguous
     * around it); when both do, the nearer wins, as in David Gay's shortest mode that CPython uses.
     * Checking both matters at powers of two, where the interval is lopsided.
     */
    private static BigDecimal roundTripWithDigits(BigDecimal exact, double positive, int p) {
        BigDecimal down = exact.round(FLOOR[p]);
        BigDecimal up = exact.round(CEILING[p]);
        boolean downOk = down.doubleValue() == positive;
        boolean upOk = up.doubleValue() == positive;
        if (downOk && upOk) {
            int cmp = exact.subtract(down).compareTo(up.subtract(exact));
            return cmp < 0 ? down : cmp > 0 ? up : exact.round(HALF_EVEN[p]);
        }
        return downOk ? down : upOk ? up : null;
    }

    /** Python's layout of {@code 0.DIGITS x 10^decpt} (digits without leading or trailing zeros). */
    private static String format(boolean negative, String digits, int decpt) {
        StringBuilder out = new StringBuilder(digits.length() + 8);
        if (negative) {
            out.append('-');
        }
        if (decpt > -4 && decpt <= 16) {
            if (decpt <= 0) {
                out.append("0.");
                out.append("0".repeat(-decpt));
                out.append(digits);
            } else if (decpt >= digits.length()) {
                out.append(digits);
                out.append("0".repeat(decpt - digits.length()));
                out.append(".0");
            } else {
                out.append(digits, 0, decpt).append('.').append(digits, decpt, digits.length());
            }
        } else {
            out.append(digits.charAt(0));
            if (digits.length() > 1) {
                out.append('.').append(digits, 1, digits.length());
            }
            int exponent = decpt - 1;
            out.append(exponent < 0 ? "e-" : "e+");
            int abs = Math.abs(exponent);
            if (abs < 10) {
                out.append('0');
            }
            out.append(abs);
        }
        return out.toString();
    }
}
