package dev.autoscaler;

import java.util.Locale;

/**
 * What the engine does with an orphan: an instance that carries this engine's label (its owner) for an
 * endpoint or group that is not configured any more, typically after an endpoint was removed from the
 * config and the engine restarted. Whatever the policy, an orphan is shown (log, dashboard) until it is
 * resolved; the policy acts once it has been seen for the grace period (default 10 minutes), so that a
 * config put back in time takes the instance over again.
 */
public enum OrphanPolicy {
    /** Destroyed after the grace period: nothing is left billing (the default). */
    DESTROY,
    /** Stopped after the grace period: its disk is kept (and billed at the storage rate). */
    STOP,
    /** Left as it is, running and billing: only shown. */
    KEEP;

    /** The config name: {@code destroy}, {@code stop}, {@code keep}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws InvalidConfigException naming {@code orphans} for an unknown name */
    public static OrphanPolicy fromWireName(String name) {
        for (OrphanPolicy p : values()) {
            if (p.wireName().equals(name)) {
                return p;
            }
        }
        throw new InvalidConfigException("orphans", "must be destroy, stop or keep, got '" + name + "'");
    }
}
