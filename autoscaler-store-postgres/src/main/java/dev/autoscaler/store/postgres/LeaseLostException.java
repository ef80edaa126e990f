package dev.autoscaler.store.postgres;

/**
 * A write or a provider call fenced by a lease's epoch was refused: the caller no longer holds the
 * lease at that epoch (another replica took it, or it expired). Nothing was written. Not a
 * {@link dev.autoscaler.StaleStateException}: retrying on a fresh read would not help; the caller
 * has stopped being the leader.
 */
public final class LeaseLostException extends IllegalStateException {
    public LeaseLostException(String message) {
        super(message);
    }
}
