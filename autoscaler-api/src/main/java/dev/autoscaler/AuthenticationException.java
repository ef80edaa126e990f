package dev.autoscaler;

/** A caller presented a wrong or missing credential: an endpoint API key, a worker mtoken. */
public class AuthenticationException extends AutoscalerException {
    public AuthenticationException(String message) {
        super(message);
    }
}
