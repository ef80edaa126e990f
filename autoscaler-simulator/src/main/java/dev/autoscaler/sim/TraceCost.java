package dev.autoscaler.sim;

import dev.autoscaler.InvalidConfigException;
import java.util.Locale;

/** How a trace line's token counts become a request's cost (perf units). */
public enum TraceCost {
    /** ContextTokens + GeneratedTokens (the default). */
    TOTAL,
    /** ContextTokens alone (prefill-bound models). */
    CONTEXT,
    /** GeneratedTokens alone (decode-bound models). */
    GENERATED;

    double of(long contextTokens, long generatedTokens) {
        return switch (this) {
            case TOTAL -> contextTokens + generatedTokens;
            case CONTEXT -> contextTokens;
            case GENERATED -> generatedTokens;
        };
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TraceCost fromWireName(String name) {
        for (TraceCost c : values()) {
            if (c.wireName().equalsIgnoreCase(name)) {
                return c;
            }
        }
        throw new InvalidConfigException("cost", "must be one of total, context, generated; got '" + name + "'");
    }
}
