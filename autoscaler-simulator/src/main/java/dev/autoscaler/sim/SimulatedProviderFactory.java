package dev.autoscaler.sim;

import dev.autoscaler.Settings;
import dev.autoscaler.spi.InstanceProvider;
import dev.autoscaler.spi.InstanceProviderFactory;
import dev.autoscaler.spi.ProviderContext;

/**
 * The {@code simulated} provider: a {@link SimulatedProvider} on the engine's clock, with its own
 * {@link EventQueue}. Settings: {@code seed} (default 1) and any {@link WorldModel#fromSettings}
 * key. The embedder wires the workers' reports ({@link SimulatedProvider#reportTo}) and calls
 * {@link SimulatedProvider#runDue()} as its clock moves; {@link Simulation} does all of that itself.
 */
public final class SimulatedProviderFactory implements InstanceProviderFactory {
    public static final String NAME = "simulated";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "simulated GPU market on a virtual clock (boots, faults, processor-sharing workers, billing)";
    }

    @Override
    public InstanceProvider create(Settings settings, ProviderContext context) {
        return new SimulatedProvider(WorldModel.fromSettings(settings), context.clock(), new EventQueue(),
                settings.getLong("seed", 1));
    }
}
