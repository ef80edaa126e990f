package dev.autoscaler;

import java.time.Instant;
import java.util.Map;

/**
 * What the engine publishes to {@link dev.autoscaler.spi.AutoscalerListener}s. Every event carries
 * the time of the engine's {@link Clock}, so that simulated runs have simulated timestamps.
 */
public sealed interface AutoscalerEvent {

    /**
     * When it happened, on the engine's {@link Clock}.
     *
     * @return the event's time
     */
    Instant at();

    /**
     * The endpoint it concerns.
     *
     * @return the endpoint's name
     */
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

    /**
     * The control loop ticked for an endpoint: what it saw and what it decided, published on every
     * tick, also when the targets stay the same ({@link DecisionMade} comes only on a change). The
     * reason says why the targets are what they are: a hold for stale figures, a scale-down step, the
     * endpoint being suspended.
     *
     * @param snapshot the snapshot the policy decided on
     * @param targets  the targets after the decision (the same as before when {@code changed} is false)
     * @param reason   the decision's reason; never null
     * @param changed  whether this tick changed a target (then a {@link DecisionMade} was published too)
     */
    record TickCompleted(Instant at, String endpoint, EndpointSnapshot snapshot, Map<String, GroupTarget> targets,
                         String reason, boolean changed) implements AutoscalerEvent {
        public TickCompleted {
            targets = Map.copyOf(targets);
            reason = reason == null ? "" : reason;
        }
    }

    /**
     * The router answered a {@code /route/} call.
     *
     * @param group        the group of the worker it was routed to; empty unless {@code ROUTED} or {@code REPEATED}
     * @param queueSeconds for {@code ROUTED}: how long the request waited from its first call until a worker
     *                     took it (0 when routed on the first call); otherwise 0
     */
    record RouteAnswered(Instant at, String endpoint, String group, RouteOutcome outcome, double queueSeconds)
            implements AutoscalerEvent {
    }

    /** What a {@code /route/} call got. */
    enum RouteOutcome {
        /** a worker took the request (its cost is reserved on the worker) */
        ROUTED,
        /** a re-poll of a request already routed: the same worker again, nothing reserved again */
        REPEATED,
        /** no worker had room: the client polls again */
        WAITING,
        /** the endpoint is stopped: nothing is routed */
        STOPPED;

        /** The lower-case name used in metrics and logs. */
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * A spend cap ({@code max_cost_per_hour}, the endpoint's or the engine's) cut what the scaling asked
     * for: creates or resumes that would have taken the $/h of the instances owned past the cap were
     * not made (the best price-performance ones were kept first). Published once per group and tick
     * that cut something.
     *
     * @param scope       {@code endpoint} or {@code engine}: which cap bound
     * @param capPerHour  that cap, $/h
     * @param costPerHour what the instances it covers cost now, $/h (creating ones at their bound)
     * @param cut         how many creates and resumes were not made
     * @param reason      a sentence for the decision log
     */
    record SpendCapped(Instant at, String endpoint, String group, String scope, double capPerHour, double costPerHour,
                       int cut, String reason) implements AutoscalerEvent {
    }

    /**
     * A worker group's boots failed {@code bootFailures} times in a row (instances rented that never
     * became ready): its creates wait {@code backoffSeconds} before the next one (5 min, doubling up to
     * 30 min after each further failure), so that an offer or image that never boots is not rented
     * from at full rate forever. A worker of the group that becomes ready ends the backoff.
     */
    record CreatesBackedOff(Instant at, String endpoint, String group, int bootFailures, double backoffSeconds,
                            String reason) implements AutoscalerEvent {
    }

    /**
     * The router's sweep ended a request that nobody accounted for in time: a wait without a re-poll
     * ({@code reserved} false), or a reservation on a worker that no report or {@code /delete_requests/}
     * accounted for ({@code reserved} true; its reserved cost is given back to the worker).
     */
    record RequestExpired(Instant at, String endpoint, boolean reserved) implements AutoscalerEvent {
    }
}
