package dev.autoscaler;

/**
 * The root of every exception this library throws on purpose. Unchecked: callers that care
 * catch the subclass that says what went wrong; everyone else lets it propagate.
 */
public class AutoscalerException extends RuntimeException {
    public AutoscalerException(String message) {
        super(message);
    }

    public AutoscalerException(String message, Throwable cause) {
        super(message, cause);
    }
}
