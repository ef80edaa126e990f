package dev.autoscaler;

import java.util.Locale;

/** What an engine that shuts down does with its instances. */
public enum ShutdownAction {
    /**
     * Leaves every instance as it is: running ones keep running (and billing), so that the next start
     * adopts them and serves at once, with no cold start. The default, because a restart (a deploy,
     * a crash) is far more common than a shutdown for good.
     */
    KEEP,
    /** Stops every instance: no GPU billed, disks kept; the next start adopts them stopped and resumes. */
    STOP,
    /** Destroys every instance: nothing is left billing. */
    DESTROY;

    /** The config name: {@code keep}, {@code stop}, {@code destroy}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws InvalidConfigException naming {@code shutdown} for an unknown name */
    public static ShutdownAction fromWireName(String name) {
        for (ShutdownAction a : values()) {
            if (a.wireName().equals(name)) {
                return a;
            }
        }
        throw new InvalidConfigException("shutdown", "must be keep, stop or destroy, got '" + name + "'");
    }
}
