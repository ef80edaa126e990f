package dev.autoscaler.core.policy;

import dev.autoscaler.InvalidConfigException;
import dev.autoscaler.Settings;
import java.util.Set;

/** Checks shared by the built-in policies' parameters; every error names the parameter. */
final class PolicyParams {
    private PolicyParams() {
    }

    /** A misspelt parameter would otherwise be ignored in silence: reject every key the policy does not know. */
    static void rejectUnknown(String policy, Settings params, Set<String> known) {
        params.rejectUnknown("the " + policy + " policy", known);
    }

    static int nonNegativeInt(Settings params, String key, int defaultValue) {
        return params.getIntAtLeast(key, defaultValue, 0);
    }

    static double atLeast(Settings params, String key, double defaultValue, double min) {
        double value = params.getDouble(key, defaultValue);
        if (value < min) {
            throw new InvalidConfigException(params.fieldName(key), "must be >= " + Numbers.format(min)
                    + ", got " + Numbers.format(value));
        }
        return value;
    }
}
