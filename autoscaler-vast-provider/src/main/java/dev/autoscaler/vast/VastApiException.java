package dev.autoscaler.vast;

import dev.autoscaler.ProviderException;

/**
 * A Vast API call failed. Carries what Vast said (HTTP status, its error code, its message) on top
 * of the {@link ProviderException.Kind} the engine acts on. Never holds the API key.
 */
public class VastApiException extends ProviderException {
    private final int httpStatus;
    private final String errorCode;

    /**
     * @param httpStatus the HTTP status, or 0 when no answer arrived (timeout, I/O error)
     * @param errorCode  Vast's {@code error} code (e.g. {@code no_such_ask}), or empty
     */
    public VastApiException(Kind kind, int httpStatus, String errorCode, String message, Throwable cause) {
        super(kind, message, cause);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode == null ? "" : errorCode;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String errorCode() {
        return errorCode;
    }
}
