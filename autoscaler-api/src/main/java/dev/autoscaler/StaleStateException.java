package dev.autoscaler;

/** A versioned update lost a race with another writer; re-read and try again. */
public class StaleStateException extends AutoscalerException {
    public StaleStateException(String message) {
        super(message);
    }
}
