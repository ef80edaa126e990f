package dev.autoscaler;

/**
 * An instance provider call failed. {@link #retryable()} tells the engine whether the same call
 * may succeed later (a rate limit, a timeout, a 503) or never will (bad arguments, an offer that
 * is gone: take another offer instead).
 */
public class ProviderException extends AutoscalerException {

    /** What kind of failure it was, so that callers can react without parsing messages. */
    public enum Kind {
        /** The provider asked us to slow down. Retry later. */
        RATE_LIMITED(true),
        /** The call did not complete in time; its effect is unknown. Retry after checking state. */
        TIMEOUT(true),
        /** A transient failure of the provider (5xx). Retry later. */
        UNAVAILABLE(true),
        /** The offer was taken or withdrawn. Take the next offer. */
        OFFER_GONE(false),
        /** No offer matches the group's search and price limits. */
        NO_OFFER(false),
        /** The instance does not exist (any more). */
        NOT_FOUND(false),
        /** The provider refused the arguments. */
        INVALID(false),
        /** The credentials were refused. */
        UNAUTHORIZED(false),
        /** Anything else. */
        OTHER(false);

        private final boolean retryable;

        Kind(boolean retryable) {
            this.retryable = retryable;
        }

        public boolean retryable() {
            return retryable;
        }
    }

    private final Kind kind;

    public ProviderException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public ProviderException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public boolean retryable() {
        return kind.retryable();
    }
}
