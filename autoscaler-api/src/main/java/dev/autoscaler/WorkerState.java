package dev.autoscaler;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The lifecycle of a worker, with its legal transitions. Intermediate states
 * ({@link #CREATING}, {@link #STOPPING}, {@link #STARTING}, {@link #DESTROYING}) exist because
 * provider calls are slow and asynchronous: while one is in flight the worker must be neither
 * routed to nor acted on again.
 */
public enum WorkerState {
    /** The provider was asked for an instance; there is none yet. */
    CREATING,
    /** The instance exists and boots, pulls, loads the model or benchmarks; not ready yet. */
    LOADING,
    /** Reported {@code max_perf > 0} with no error: routable. */
    READY,
    /** Reported a non-empty {@code error_msg}. */
    ERROR,
    /**
     * Being taken out of service while it still holds work: no new request is routed to it; it
     * finishes what it has, then it goes. Holds its GPU. Two reasons lead here: a rolling update of
     * its group's template (the worker is then destroyed) and a scale-down that would otherwise stop
     * a busy worker (it is then stopped, and joins the cold pool). A worker draining to stop may be
     * given back to service ({@link #READY}) when its group needs it again: it is the fastest
     * capacity there is. Load reports alone never move it back to ready.
     */
    DRAINING,
    /** A reboot was asked for after an error. */
    REBOOTING,
    /** A stop was asked for. */
    STOPPING,
    /** Stopped: no GPU held, disk (model, benchmark) kept. The cold pool. */
    STOPPED,
    /** A start was asked for: resuming from the cold pool. */
    STARTING,
    /** A destroy was asked for. */
    DESTROYING,
    /** Gone for good. */
    DESTROYED;

    private static final Set<WorkerState> ACTIVE = EnumSet.of(CREATING, LOADING, READY, ERROR, REBOOTING, STARTING, DRAINING);

    /** {@return the states this one may move to} */
    public Set<WorkerState> successors() {
        return switch (this) {
            case CREATING -> EnumSet.of(LOADING, READY, STOPPED, ERROR, DESTROYING, DESTROYED);
            case LOADING -> EnumSet.of(READY, ERROR, STOPPING, STOPPED, REBOOTING, DESTROYING, DESTROYED);
            case READY -> EnumSet.of(LOADING, ERROR, STOPPING, STOPPED, REBOOTING, DRAINING, DESTROYING, DESTROYED);
            case DRAINING -> EnumSet.of(READY, ERROR, STOPPING, STOPPED, DESTROYING, DESTROYED);
            case ERROR -> EnumSet.of(READY, LOADING, REBOOTING, STOPPING, STOPPED, DESTROYING, DESTROYED);
            case REBOOTING -> EnumSet.of(LOADING, READY, ERROR, STOPPING, STOPPED, DESTROYING, DESTROYED);
            case STOPPING -> EnumSet.of(STOPPED, LOADING, READY, ERROR, DESTROYING, DESTROYED);
            case STOPPED -> EnumSet.of(STARTING, LOADING, READY, DESTROYING, DESTROYED);
            case STARTING -> EnumSet.of(LOADING, READY, ERROR, STOPPING, STOPPED, DESTROYING, DESTROYED);
            case DESTROYING -> EnumSet.of(DESTROYED);
            case DESTROYED -> EnumSet.noneOf(WorkerState.class);
        };
    }

    /**
     * Whether a worker in this state may move to {@code next} (staying counts).
     *
     * @param next the state to move to
     * @return true when the transition is legal
     */
    public boolean canMoveTo(WorkerState next) {
        return next == this || successors().contains(next);
    }

    /** Holds (or is getting) a GPU: counts toward active capacity. {@link #DRAINING} does too, though it is never routed to. */
    public boolean isActive() {
        return ACTIVE.contains(this);
    }

    /** Stopped or stopping: part of the cold pool. */
    public boolean isCold() {
        return this == STOPPED || this == STOPPING;
    }

    /** Has the model on disk and benchmarked: counts toward the {@code cold_workers} floor. */
    public boolean isLoaded() {
        return this == READY || this == STOPPED || this == STOPPING;
    }

    /** Not yet able to serve but on its way: a new instance, a resume or a reboot. */
    public boolean isProvisioning() {
        return this == CREATING || this == LOADING || this == STARTING || this == REBOOTING;
    }

    /** Counted against {@code max_workers}: every state but {@link #DESTROYED}. */
    public boolean isCounted() {
        return this != DESTROYED;
    }

    /** Billed at the full (GPU) price rather than the storage price. */
    public boolean isBilledFull() {
        return this != CREATING && this != STOPPED && this != DESTROYED;
    }

    /**
     * The state as the HTTP API writes it: the name in lower case.
     *
     * @return e.g. {@code ready}
     */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
