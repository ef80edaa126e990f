package dev.autoscaler;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * String key-value settings handed to a plugin (policy parameters, provider settings), with typed
 * getters whose errors name the setting. Immutable.
 */
public final class Settings {
    private static final Settings EMPTY = new Settings("", Map.of());

    private final String prefix;
    private final Map<String, String> values;

    private Settings(String prefix, Map<String, String> values) {
        this.prefix = prefix;
        this.values = Map.copyOf(values);
    }

    public static Settings empty() {
        return EMPTY;
    }

    public static Settings of(Map<String, String> values) {
        return new Settings("", values);
    }

    /**
     * Settings whose error messages name fields as {@code prefix.key}, e.g. {@code policy_params.window}.
     */
    public static Settings of(String prefix, Map<String, String> values) {
        return new Settings(prefix == null || prefix.isEmpty() ? "" : prefix + ".", values);
    }

    public Map<String, String> asMap() {
        return new TreeMap<>(values);
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /**
     * The name this object's errors give {@code key}, e.g. {@code policy_params.scale_down_step}, so that
     * a plugin that validates a value itself names the field the same way the typed getters do.
     */
    public String fieldName(String key) {
        return prefix + key;
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    public String getString(String key, String defaultValue) {
        return values.getOrDefault(key, defaultValue);
    }

    public String require(String key) {
        String value = values.get(key);
        if (value == null || value.isBlank()) {
            throw new InvalidConfigException(prefix + key, "is required");
        }
        return value;
    }

    public double getDouble(String key, double defaultValue) {
        String raw = values.get(key);
        if (raw == null) {
            return defaultValue;
        }
        try {
            double value = Double.parseDouble(raw.trim());
            return Validate.finite(prefix + key, value);
        } catch (NumberFormatException e) {
            throw new InvalidConfigException(prefix + key, "must be a number, got '" + raw + "'");
        }
    }

    public long getLong(String key, long defaultValue) {
        String raw = values.get(key);
        if (raw == null) {
            return defaultValue;
        }
        try {
            return Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw new InvalidConfigException(prefix + key, "must be an integer, got '" + raw + "'");
        }
    }

    public int getInt(String key, int defaultValue) {
        long value = getLong(key, defaultValue);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new InvalidConfigException(prefix + key, "is out of range: " + value);
        }
        return (int) value;
    }

    public boolean getBoolean(String key, boolean defaultValue) {
        String raw = values.get(key);
        if (raw == null) {
            return defaultValue;
        }
        return switch (raw.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new InvalidConfigException(prefix + key, "must be true or false, got '" + raw + "'");
        };
    }

    /**
     * Rejects every key not in {@code known}, so that a misspelt parameter is an error rather than a
     * default used in silence. The error names the key ({@code policy_params.scale_down_stepp}) and
     * lists the known ones.
     *
     * @param owner what the parameters belong to, for the message, e.g. {@code "the vast policy"}
     * @throws InvalidConfigException naming the first unknown key, in key order
     */
    public void rejectUnknown(String owner, java.util.Collection<String> known) {
        for (String key : new TreeMap<>(values).keySet()) {
            if (!known.contains(key)) {
                throw new InvalidConfigException(prefix + key, "is not a parameter of " + owner + "; known: "
                        + String.join(", ", new java.util.TreeSet<>(known)));
            }
        }
    }

    /**
     * A whole number of at least {@code min}, e.g. a count of workers.
     *
     * @throws InvalidConfigException naming the key when it is not a whole number or is below {@code min}
     */
    public int getIntAtLeast(String key, int defaultValue, int min) {
        int value = getInt(key, defaultValue);
        if (value < min) {
            throw new InvalidConfigException(prefix + key, "must be >= " + min + ", got " + value);
        }
        return value;
    }

    /**
     * A finite number of at least {@code min}.
     *
     * @throws InvalidConfigException naming the key when it is not a number or is below {@code min}
     */
    public double getDoubleAtLeast(String key, double defaultValue, double min) {
        double value = getDouble(key, defaultValue);
        if (value < min) {
            throw new InvalidConfigException(prefix + key, "must be >= " + plain(min) + ", got " + plain(value));
        }
        return value;
    }

    /**
     * One of {@code choices}, e.g. {@code long} or {@code short}.
     *
     * @throws InvalidConfigException naming the key and the choices when the value is another
     */
    public String getChoice(String key, String defaultValue, String... choices) {
        String value = values.getOrDefault(key, defaultValue);
        if (!java.util.Arrays.asList(choices).contains(value)) {
            throw new InvalidConfigException(prefix + key, "must be one of " + String.join(", ", choices)
                    + ", got '" + value + "'");
        }
        return value;
    }

    /** {@code 1.0} -> {@code 1}, {@code 0.5} -> {@code 0.5}: numbers in messages as a user wrote them. */
    private static String plain(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Settings other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    /** The settings with the values of secret-looking keys (key, token, secret, password) masked. */
    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>();
        values.forEach((k, v) -> shown.put(k, isSecret(k) ? "(set)" : v));
        return shown.toString();
    }

    private static boolean isSecret(String key) {
        String k = key.toLowerCase(java.util.Locale.ROOT);
        return k.contains("key") || k.contains("token") || k.contains("secret") || k.contains("password");
    }
}
