package dev.autoscaler.spi;

import dev.autoscaler.Settings;

/**
 * Makes {@link InstanceProvider}s; found with {@link java.util.ServiceLoader} and chosen by
 * {@link #name()} ({@code vast}, {@code local}, {@code simulated}, {@code static}).
 */
public interface InstanceProviderFactory {

    /**
     * The name configs select this provider by, e.g. {@code vast}.
     *
     * @return a stable, non-blank name
     */
    String name();

    /** {@return one line for listings} */
    String description();

    /**
     * @param settings the provider's settings from the configuration; throw
     *                 {@link dev.autoscaler.InvalidConfigException} naming the setting when one is wrong
     *
     * @param context the engine's clock and public URL
     * @return a new provider
     */
    InstanceProvider create(Settings settings, ProviderContext context);
}
