package dev.autoscaler.core.client;

import dev.autoscaler.AutoscalerException;

/**
 * A call through the engine failed for good: refused (400, 401), retries used up (408, 429, 5xx,
 * connection errors), or no worker became ready in time.
 */
public class AutoscalerClientException extends AutoscalerException {
    private final int status;
    private final String body;

    public AutoscalerClientException(String message, int status, String body, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.body = body == null ? "" : body;
    }

    /** The last HTTP status seen, or 0 when there was none (a connection error, a timeout waiting for a worker). */
    public int status() {
        return status;
    }

    /** The last response body seen, or empty. */
    public String body() {
        return body;
    }
}
