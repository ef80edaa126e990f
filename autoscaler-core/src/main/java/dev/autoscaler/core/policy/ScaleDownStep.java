package dev.autoscaler.core.policy;

import dev.autoscaler.InvalidConfigException;
import dev.autoscaler.Settings;

/**
 * How many active workers one decision may take away from a group: a fixed count ({@code "2"}) or a
 * share of the current active count, rounded up ({@code "50%"}); always at least 1, so that a group
 * does reach its target. Stepping down gradually keeps a brief lull from stopping a whole fleet at
 * once (KEDA users' complaint about cooldowns that jump from N to 0).
 */
record ScaleDownStep(int count, double percent) {
    static final ScaleDownStep HALF = new ScaleDownStep(0, 50);

    /** The most that {@code currentActive} workers may lose in one decision. */
    int allowed(int currentActive) {
        if (count > 0) {
            return count;
        }
        return Math.max(1, (int) Math.ceil(currentActive * percent / 100 - 1e-9));
    }

    /** Parses {@code "3"} (workers, at least 1) or {@code "50%"} (in (0%, 100%]). */
    static ScaleDownStep parse(Settings params, String key, ScaleDownStep defaultValue) {
        String raw = params.get(key).map(String::trim).orElse(null);
        if (raw == null) {
            return defaultValue;
        }
        String field = params.fieldName(key);
        String expected = "must be a number of workers (at least 1) or a percentage in (0%, 100%], got '" + raw + "'";
        try {
            if (raw.endsWith("%")) {
                double percent = Double.parseDouble(raw.substring(0, raw.length() - 1).trim());
                if (!(percent > 0 && percent <= 100)) {
                    throw new InvalidConfigException(field, expected);
                }
                return new ScaleDownStep(0, percent);
            }
            int count = Integer.parseInt(raw);
            if (count < 1) {
                throw new InvalidConfigException(field, expected);
            }
            return new ScaleDownStep(count, 0);
        } catch (NumberFormatException e) {
            throw new InvalidConfigException(field, expected);
        }
    }

    @Override
    public String toString() {
        return count > 0 ? String.valueOf(count) : Numbers.format(percent) + "%";
    }
}
