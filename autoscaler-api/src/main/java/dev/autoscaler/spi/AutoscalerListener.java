package dev.autoscaler.spi;

import dev.autoscaler.AutoscalerEvent;

/**
 * Receives the engine's events. Every method has a no-op default, so that new events do not break
 * existing listeners. Called on the engine's thread: keep it quick. A listener that throws is logged
 * and skipped; it never stops the engine.
 */
public interface AutoscalerListener {

    default void onDecision(AutoscalerEvent.DecisionMade event) {
    }

    default void onWorkerStateChanged(AutoscalerEvent.WorkerStateChanged event) {
    }

    default void onInstanceAction(AutoscalerEvent.InstanceActionTaken event) {
    }

    default void onProviderError(AutoscalerEvent.ProviderFailed event) {
    }

    default void onPluginError(AutoscalerEvent.PluginFailed event) {
    }

    default void onTick(AutoscalerEvent.TickCompleted event) {
    }

    default void onRoute(AutoscalerEvent.RouteAnswered event) {
    }

    default void onRequestExpired(AutoscalerEvent.RequestExpired event) {
    }

    /** Dispatches any event to its method. */
    default void onEvent(AutoscalerEvent event) {
        if (event instanceof AutoscalerEvent.DecisionMade e) {
            onDecision(e);
        } else if (event instanceof AutoscalerEvent.WorkerStateChanged e) {
            onWorkerStateChanged(e);
        } else if (event instanceof AutoscalerEvent.InstanceActionTaken e) {
            onInstanceAction(e);
        } else if (event instanceof AutoscalerEvent.ProviderFailed e) {
            onProviderError(e);
        } else if (event instanceof AutoscalerEvent.PluginFailed e) {
            onPluginError(e);
        } else if (event instanceof AutoscalerEvent.TickCompleted e) {
            onTick(e);
        } else if (event instanceof AutoscalerEvent.RouteAnswered e) {
            onRoute(e);
        } else if (event instanceof AutoscalerEvent.RequestExpired e) {
            onRequestExpired(e);
        }
    }
}
