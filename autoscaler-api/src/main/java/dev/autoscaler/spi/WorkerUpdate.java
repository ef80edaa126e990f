package dev.autoscaler.spi;

import dev.autoscaler.WorkerRecord;
import java.util.Optional;

/**
 * What {@link StateStore#updateWorkerIf} did. Both records come from the same, last attempt of its
 * compare-and-set loop, so a caller that publishes an event or counts a move on {@link #applied()}
 * never acts on an attempt that lost the race and was re-run.
 *
 * @param before  the record the condition and the change saw; null when the worker does not exist
 * @param after   the record as stored afterwards (the same object as {@code before} when nothing was
 *                written); null when the worker does not exist
 * @param applied true when the condition held and this call's change is the one written
 */
public record WorkerUpdate(WorkerRecord before, WorkerRecord after, boolean applied) {

    static WorkerUpdate absent() {
        return new WorkerUpdate(null, null, false);
    }

    /** The worker as stored after the call; empty when it does not exist. */
    public Optional<WorkerRecord> worker() {
        return Optional.ofNullable(after);
    }

    /** The stored record when this call's change was written; empty otherwise. */
    public Optional<WorkerRecord> ifApplied() {
        return applied ? Optional.of(after) : Optional.empty();
    }

    public boolean exists() {
        return after != null;
    }
}
