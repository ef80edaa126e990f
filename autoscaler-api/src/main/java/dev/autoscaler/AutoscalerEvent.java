package dev.autoscaler;

import java.time.Instant;
import java.util.Map;

/**
 * What the engine publishes to {@link dev.autoscaler.spi.AutoscalerListener}s. Every event carries
 * the time of the engine's {@link Clock}, so that simulated runs have simulated timestamps.
 */
public sealed interface AutoscalerEvent {

    Instant at();

    String endpoint();

    /** A policy made a decision that changes a target (or the engine overrode it), with the reason. */
    record DecisionMade(Instant at, String endpoint, Map<String, GroupTarget> previous,
                        Map<String, GroupTarget> targets, String reason) implements AutoscalerEvent {
        public DecisionMade {
            previous = Map.copyOf(previous);
            targets = Map.copyOf(targets);
        }
    }

    /** A worker moved from one lifecycle state to another. */
    record WorkerStateChanged(Instant at, String endpoint, String group, String workerId, String instanceId,
                              WorkerState from, WorkerState to, String reason) implements AutoscalerEvent {
    }

    /** The engine made a provider call (or adopted an instance) and it succeeded. */
    record InstanceActionTaken(Instant at, String endpoint, String group, String workerId, String instanceId,
                               InstanceAction action, String reason) implements AutoscalerEvent {
    }

    /** A provider call failed; the engine will retry or work around it. */
    record ProviderFailed(Instant at, String endpoint, String group, String workerId, InstanceAction action,
                          ProviderException error) implements AutoscalerEvent {
    }

    /**
     * A worker's {@code /worker_status/} report was refused although its mtoken was right: a field
     * the engine cannot vouch for (the {@code url} is not where its provider says the instance is).
     * The worker answered 400 naming the field, and is not routed to until a report is accepted.
     */
    record WorkerReportRejected(Instant at, String endpoint, String group, String workerId, String instanceId,
                                String field, String reason) implements AutoscalerEvent {
    }

    /** A plugin (a scaling policy) threw; the endpoint kept its size. */
    record PluginFailed(Instant at, String endpoint, String plugin, RuntimeException error) implements AutoscalerEvent {
    }
}
