package dev.autoscaler;

import java.util.regex.Pattern;

/** Checks shared by the config builders; every failure names the field and the bad value. */
final class Validate {
    static final Pattern NAME = Pattern.compile("^[A-Za-z0-9_-]+$");

    private Validate() {
    }

    static String name(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw new InvalidConfigException(field, "is required");
        }
        if (value.length() > 255) {
            throw new InvalidConfigException(field, "must be at most 255 characters, got " + value.length());
        }
        if (!NAME.matcher(value).matches()) {
            throw new InvalidConfigException(field, "must match ^[A-Za-z0-9_-]+$, got '" + value + "'");
        }
        return value;
    }

    static double finite(String field, double value) {
        if (!Double.isFinite(value)) {
            throw new InvalidConfigException(field, "must be a finite number, got " + value);
        }
        return value;
    }

    static double nonNegative(String field, double value) {
        finite(field, value);
        if (value < 0) {
            throw new InvalidConfigException(field, "must be >= 0, got " + value);
        }
        return value;
    }

    static double positive(String field, double value) {
        finite(field, value);
        if (value <= 0) {
            throw new InvalidConfigException(field, "must be > 0, got " + value);
        }
        return value;
    }

    static double atLeast(String field, double value, double min) {
        finite(field, value);
        if (value < min) {
            throw new InvalidConfigException(field, "must be >= " + min + ", got " + value);
        }
        return value;
    }

    static int nonNegative(String field, int value) {
        if (value < 0) {
            throw new InvalidConfigException(field, "must be >= 0, got " + value);
        }
        return value;
    }
}
