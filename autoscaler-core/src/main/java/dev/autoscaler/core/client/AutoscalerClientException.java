package dev.autoscaler.core.client;

import dev.autoscaler.AutoscalerException;

/**
 * A call through the engine failed for good: refused (400, 401), retries used up (408, 429, 5xx,
 * connection errors), or no worker became ready in time.
 */
public class AutoscalerClientException extends AutoscalerException {
    /** The HTTP status, or 0. */
    private final int status;
    /** The answer's body. */
    private final String body;

    /**
     * A failed call.
     *
     * @param message what failed
     * @param status the HTTP status, or 0 when there was no answer
     * @param body the answer's body, or empty
     * @param cause the underlying error, or null
     */
    public AutoscalerClientException(String message, int status, String body, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.body = body == null ? "" : body;
    }

    /** {@return the last HTTP status seen, or 0 when there was none (a connection error, a timeout waiting for a worker)} */
    public int status() {
        return status;
    }

    /** {@return the last response body seen, or empty} */
    public String body() {
        return body;
    }
}
