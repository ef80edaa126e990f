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
        BigDecimal shortest = shortestRoundTrip(Math.abs(value));
        return format(value < 0, shortest);
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

    private static String format(boolean negative, BigDecimal decimal) {
        BigDecimal stripped = decimal.stripTrailingZeros();
        String digits = stripped.unscaledValue().toString();
        int decpt = digits.length() - stripped.scale(); // value = 0.DIGITS x 10^decpt
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
