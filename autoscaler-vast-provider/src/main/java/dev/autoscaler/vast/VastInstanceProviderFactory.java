package dev.autoscaler.vast;

import dev.autoscaler.Settings;
import dev.autoscaler.Sleeper;
import dev.autoscaler.spi.InstanceProvider;
import dev.autoscaler.spi.InstanceProviderFactory;
import dev.autoscaler.spi.ProviderContext;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The {@code vast} provider: GPU instances rented on Vast.ai. Settings: see
 * {@link VastProviderSettings}; the API key comes from {@code api_key} or {@code VAST_API_KEY}.
 */
public final class VastInstanceProviderFactory implements InstanceProviderFactory {
    public static final String NAME = "vast";

    private final UnaryOperator<String> env;
    private final Sleeper sleeper;

    /** For {@link java.util.ServiceLoader}: the process environment and real sleeping. */
    public VastInstanceProviderFactory() {
        this(System::getenv, Sleeper.system());
    }

    /** With an injected environment and sleeper (tests, simulations on a manual clock). */
    public VastInstanceProviderFactory(UnaryOperator<String> env, Sleeper sleeper) {
        this.env = Objects.requireNonNull(env, "env");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "GPU instances rented on Vast.ai through its REST API (api_key or VAST_API_KEY)";
    }

    @Override
    public InstanceProvider create(Settings settings, ProviderContext context) {
        VastProviderSettings vast = VastProviderSettings.from(settings, env);
        VastApiClient client = vast.clientBuilder().clock(context.clock()).sleeper(sleeper).build();
        return new VastInstanceProvider(client, vast);
    }
}
