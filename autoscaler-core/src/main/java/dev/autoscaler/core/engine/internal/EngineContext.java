package dev.autoscaler.core.engine.internal;

import dev.autoscaler.Clock;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.spi.StateStore;
import java.util.random.RandomGenerator;

/**
 * What every part of the engine shares: the store, the clock, the provider actions, events, and how
 * new workers are named and keyed.
 *
 * @param owner               the first part of every label; instances with another owner are foreign
 * @param defaultProviderName the provider for groups that name none
 * @param publicUrl           given to workers as {@code REPORT_ADDR}
 * @param spend               the spend caps every create and resume goes through
 */
public record EngineContext(StateStore store, Clock clock, ProviderActions actions, EventPublisher events,
                            MtokenMinter minter, RandomGenerator random, String owner, String defaultProviderName,
                            String publicUrl, SpendCaps spend) {

    public String providerFor(WorkerGroupConfig group) {
        return group.provider().orElse(defaultProviderName);
    }
}
