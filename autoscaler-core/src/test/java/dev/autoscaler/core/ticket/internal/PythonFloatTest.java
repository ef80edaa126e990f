package dev.autoscaler.core.ticket.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PythonFloatTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @DisplayName("prints like Python's repr")
    @CsvSource(delimiter = '|', value = {
            "242.0|242.0", "0.5|0.5", "100|100.0", "1e16|1e+16", "1.5e16|1.5e+16", "9999999999999998|9999999999999998.0",
            "1e15|1000000000000000.0", "0.0001|0.0001", "0.00001|1e-05", "0.00012345|0.00012345", "1.2345e-5|1.2345e-05",
            "0.1|0.1", "0.30000000000000004|0.30000000000000004", "1e22|1e+22", "1e23|1e+23", "4.9e-324|5e-324",
            "1.7976931348623157e308|1.7976931348623157e+308", "-2.5|-2.5", "-0.0|-0.0", "0|0.0", "123.456|123.456",
            "2.82879384806159e17|2.82879384806159e+17", "1e100|1e+100", "1e-100|1e-100", "NaN|nan",
            "Infinity|inf", "-Infinity|-inf"})
    void knownValues(String input, String python) {
        assertThat(PythonFloat.repr(Double.parseDouble(input))).isEqualTo(python);
    }

    @Test
    @DisplayName("matches CPython on 8,000 values (random bit patterns, powers, boundaries)")
    void matchesCpythonTable() throws IOException {
        List<String> mismatches = new ArrayList<>();
        int checked = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
                getClass().getResourceAsStream("/python-json/float-repr.txt")), StandardCharsets.US_ASCII))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split(" ");
                double value = Double.longBitsToDouble(Long.parseLong(parts[0]));
                String actual = PythonFloat.repr(value);
                if (!actual.equals(parts[1])) {
                    mismatches.add(parts[1] + " printed as " + actual);
                }
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(8000);
        assertThat(mismatches).isEmpty();
    }

    @Test
    @DisplayName("random doubles: the output reads back exactly and no fewer digits would")
    void shortestRoundTripProperty() {
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            double value = Double.longBitsToDouble(random.nextLong());
            if (!Double.isFinite(value) || value == 0) {
                continue;
            }
            String repr = PythonFloat.repr(value);
            assertThat(Double.parseDouble(repr)).as(repr).isEqualTo(value);
            BigDecimal printed = new BigDecimal(repr).stripTrailingZeros();
            int digits = printed.precision();
            if (digits > 1) {
                BigDecimal exact = new BigDecimal(value);
                MathContext shorter = new MathContext(digits - 1, RoundingMode.FLOOR);
                MathContext shorterUp = new MathContext(digits - 1, RoundingMode.CEILING);
                assertThat(exact.round(shorter).doubleValue()).as("shorter than " + repr).isNotEqualTo(value);
                assertThat(exact.round(shorterUp).doubleValue()).as("shorter than " + repr).isNotEqualTo(value);
            }
        }
    }

    @Test
    @DisplayName("random short decimals (the fast path): same output as the full search, which matches CPython")
    void fastPathAgreesWithSearch() {
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            long mantissa = random.nextLong() % 1_000_000_000_000_000L; // up to 18 digits
            mantissa /= (long) Math.pow(10, random.nextInt(16));        // usually far fewer
            double value = Double.parseDouble(mantissa + "E" + (random.nextInt(640) - 330));
            if (!Double.isFinite(value) || value == 0) {
                continue;
            }
            assertThat(PythonFloat.repr(value)).as("%s", value).isEqualTo(PythonFloat.reprBySearch(value));
        }
    }

    @Test
    @DisplayName("differs from Java 17's Double.toString where Java is not shortest")
    void notJavaToString() {
        assertThat(Double.toString(Double.MIN_VALUE)).isEqualTo("4.9E-324");
        assertThat(PythonFloat.repr(Double.MIN_VALUE)).isEqualTo("5e-324");
    }
}
