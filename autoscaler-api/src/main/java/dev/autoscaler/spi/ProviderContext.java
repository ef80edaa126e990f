package dev.autoscaler.spi;

import dev.autoscaler.Clock;
import java.util.Objects;

/**
 * What the engine hands an {@link InstanceProviderFactory}.
 *
 * @param clock     the engine's clock
 * @param publicUrl the engine's public base URL, given to workers as {@code REPORT_ADDR}; empty when
 *                  the engine has no HTTP surface (the simulator)
 */
public record ProviderContext(Clock clock, String publicUrl) {
    public ProviderContext {
        Objects.requireNonNull(clock, "clock");
        publicUrl = Objects.requireNonNullElse(publicUrl, "");
    }
}
