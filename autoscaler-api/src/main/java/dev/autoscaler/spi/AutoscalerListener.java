package dev.autoscaler.spi;

import dev.autoscaler.AutoscalerEvent;

/**
 * Receives the engine's events. Every method has a no-op default, so that new events do not break
 * existing listeners. Called on the engine's thread: keep it quick. A listener that throws is logged
 * and skipped; it never stops the engine.
 */
public interface AutoscalerListener {

    /**
     * A decision changed a target.
     *
     * @param event the decision, with the previous and new targets and the reason
     */
    default void onDecision(AutoscalerEvent.DecisionMade event) {
    }

    /**
     * A worker moved from one state to another.
     *
     * @param event the transition and its reason
     */
    default void onWorkerStateChanged(AutoscalerEvent.WorkerStateChanged event) {
    }

    /**
     * A provider call succeeded, or an instance was adopted.
     *
     * @param event the action
     */
    default void onInstanceAction(AutoscalerEvent.InstanceActionTaken event) {
    }

    /**
     * A provider call failed; the engine retries or works around it.
     *
     * @param event the failure
     */
    default void onProviderError(AutoscalerEvent.ProviderFailed event) {
    }

    /**
     * A plugin threw; the endpoint kept its size.
     *
     * @param event the failure
     */
    default void onPluginError(AutoscalerEvent.PluginFailed event) {
    }

    /**
     * A control tick ended, with the reason of its decision even when the targets stayed the same.
     *
     * @param event the tick
     */
    default void onTick(AutoscalerEvent.TickCompleted event) {
    }

    /**
     * A {@code /route/} call was answered: routed, repeated, waiting or stopped.
     *
     * @param event the answer
     */
    default void onRoute(AutoscalerEvent.RouteAnswered event) {
    }

    /**
     * The router's sweep ended a wait or a reservation that nothing else ended.
     *
     * @param event the expiry
     */
    default void onRequestExpired(AutoscalerEvent.RequestExpired event) {
    }

    /**
     * A spend cap cut creates or resumes.
     *
     * @param event the cut
     */
    default void onSpendCapped(AutoscalerEvent.SpendCapped event) {
    }

    /**
     * A group's creates back off after repeated boot failures.
     *
     * @param event the backoff
     */
    default void onCreatesBackedOff(AutoscalerEvent.CreatesBackedOff event) {
    }

    /**
     * Dispatches any event to its method.
     *
     * @param event any event
     */
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
        } else if (event instanceof AutoscalerEvent.SpendCapped e) {
            onSpendCapped(e);
        } else if (event instanceof AutoscalerEvent.CreatesBackedOff e) {
            onCreatesBackedOff(e);
        }
    }
}
