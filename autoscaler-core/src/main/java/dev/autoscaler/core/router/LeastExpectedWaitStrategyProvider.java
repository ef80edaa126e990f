package dev.autoscaler.core.router;

import dev.autoscaler.Settings;
import dev.autoscaler.spi.RoutingStrategy;
import dev.autoscaler.spi.RoutingStrategyProvider;

/** Registers {@link LeastExpectedWaitStrategy} as {@code least-wait}. */
public final class LeastExpectedWaitStrategyProvider implements RoutingStrategyProvider {
    @Override
    public String name() {
        return LeastExpectedWaitStrategy.NAME;
    }

    @Override
    public String description() {
        return "the ready worker whose queued work clears first (default)";
    }

    @Override
    public RoutingStrategy create(Settings settings) {
        return new LeastExpectedWaitStrategy();
    }
}
