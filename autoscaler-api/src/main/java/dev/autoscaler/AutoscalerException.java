package dev.autoscaler;

/**
 * The root of every exception this library throws on purpose. Unchecked: callers that care
 * catch the subclass that says what went wrong; everyone else lets it propagate.
 */
public class AutoscalerException extends RuntimeException {
    /**
     * An error.
     *
     * @param message what went wrong
     */
    public AutoscalerException(String message) {
        super(message);
    }

    /**
     * An error with its cause.
     *
     * @param message what went wrong
     * @param cause what caused it
     */
    public AutoscalerException(String message, Throwable cause) {
        super(message, cause);
    }
}
