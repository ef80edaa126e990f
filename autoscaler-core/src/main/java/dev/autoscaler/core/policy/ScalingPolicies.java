package dev.autoscaler.core.policy;

import dev.autoscaler.AutoscalerException;
import dev.autoscaler.PluginNotFoundException;
import dev.autoscaler.Settings;
import dev.autoscaler.core.plugin.PluginRegistry;
import dev.autoscaler.spi.ScalingPolicy;
import dev.autoscaler.spi.ScalingPolicyProvider;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The scaling policies available to endpoints, by name ({@code policy} in an endpoint's config):
 * the built-in {@code vast} and {@code fixed}, plus every {@link ScalingPolicyProvider} registered in
 * {@code META-INF/services/dev.autoscaler.spi.ScalingPolicyProvider}. Discovery rules (broken
 * providers skipped, first of a duplicate name wins) are those of {@link PluginRegistry}. Immutable.
 */
public final class ScalingPolicies {
    /** The kind named in messages. */
    public static final String KIND = "scaling policy";

    private final PluginRegistry<ScalingPolicyProvider> registry;

    private ScalingPolicies(PluginRegistry<ScalingPolicyProvider> registry) {
        this.registry = registry;
    }

    /**
     * The providers visible from this library's own class loader (as SLF4J does), which always sees
     * the built-ins and any plugin on the same class path, and from the thread's context class loader
     * when it is another one (a program's plugin directory, see {@link dev.autoscaler.core.plugin.PluginJars}).
     */
    public static ScalingPolicies load() {
        return new ScalingPolicies(PluginRegistry.loadVisible(KIND, ScalingPolicyProvider.class, ScalingPolicies.class,
                ScalingPolicyProvider::name));
    }

    /** The providers visible from {@code loader}, for embedders with their own plugin class loader. */
    public static ScalingPolicies load(ClassLoader loader) {
        return new ScalingPolicies(
                PluginRegistry.load(KIND, ScalingPolicyProvider.class, loader, ScalingPolicyProvider::name));
    }

    /** Exactly these providers, for tests and embedders that register policies by hand. */
    public static ScalingPolicies of(Collection<? extends ScalingPolicyProvider> providers) {
        return new ScalingPolicies(PluginRegistry.of(KIND, ScalingPolicyProvider::name, providers));
    }

    /** The policy names, sorted. */
    public List<String> names() {
        return registry.names();
    }

    /** The providers, in name order. */
    public List<ScalingPolicyProvider> providers() {
        return registry.plugins();
    }

    public Optional<ScalingPolicyProvider> find(String name) {
        return registry.find(name);
    }

    /** @throws PluginNotFoundException when no provider has that name; the message lists the names found */
    public ScalingPolicyProvider require(String name) {
        return registry.require(name);
    }

    /**
     * A new policy instance for one endpoint.
     *
     * @param params the endpoint's {@code policy_params}; null means none
     * @throws PluginNotFoundException             when no provider has that name
     * @throws dev.autoscaler.InvalidConfigException when a parameter is wrong (the provider names it)
     */
    public ScalingPolicy create(String name, Settings params) {
        ScalingPolicyProvider provider = require(name);
        ScalingPolicy policy = provider.create(Objects.requireNonNullElse(params, Settings.empty()));
        if (policy == null) {
            throw new AutoscalerException(KIND + " provider '" + name + "' (" + provider.getClass().getName()
                    + ") returned no policy");
        }
        return policy;
    }

    /** Problems met while loading (skipped providers, duplicate names). */
    public List<String> problems() {
        return registry.problems();
    }

    /** The underlying registry. */
    public PluginRegistry<ScalingPolicyProvider> registry() {
        return registry;
    }

    @Override
    public String toString() {
        return registry.toString();
    }
}
