package dev.autoscaler;

/** A versioned update lost a race with another writer; re-read and try again. */
public class StaleStateException extends AutoscalerException {
    /**
     * A compare-and-set lost to a concurrent update.
     *
     * @param message which record
     */
    public StaleStateException(String message) {
        super(message);
    }
}
