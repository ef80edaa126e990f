package dev.autoscaler.core.router;

import dev.autoscaler.Settings;
import dev.autoscaler.spi.RoutingStrategy;
import dev.autoscaler.spi.RoutingStrategyProvider;

/** Registers {@link PowerOfTwoChoicesStrategy} as {@code power-of-two}. */
public final class PowerOfTwoChoicesStrategyProvider implements RoutingStrategyProvider {
    @Override
    public String name() {
        return PowerOfTwoChoicesStrategy.NAME;
    }

    @Override
    public String description() {
        return "the less loaded of two ready workers picked at random (for large groups)";
    }

    @Override
    public RoutingStrategy create(Settings settings) {
        return new PowerOfTwoChoicesStrategy();
    }
}
