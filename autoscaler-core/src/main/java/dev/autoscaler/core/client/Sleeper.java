package dev.autoscaler.core.client;

import java.time.Duration;

/** How the client waits between polls and retries; injected so that tests do not sleep. */
@FunctionalInterface
public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;

    /** {@link Thread#sleep}. */
    static Sleeper system() {
        return d -> Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
    }
}
