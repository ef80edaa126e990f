package dev.autoscaler;

/** A caller presented a wrong or missing credential: an endpoint API key, a worker mtoken. */
public class AuthenticationException extends AutoscalerException {
    /**
     * Credentials that do not match.
     *
     * @param message what did not match, for the log (never shown to the caller)
     */
    public AuthenticationException(String message) {
        super(message);
    }
}
