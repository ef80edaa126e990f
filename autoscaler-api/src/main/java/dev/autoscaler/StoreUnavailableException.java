package dev.autoscaler;

/**
 * The state store could not be reached or failed mid-operation (a shared database down, a connection
 * lost). Nothing is known to have changed; the caller may retry. An HTTP surface answers 503.
 */
public class StoreUnavailableException extends AutoscalerException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
