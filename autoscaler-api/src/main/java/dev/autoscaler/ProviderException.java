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

        /**
         * Whether trying the same call again later can succeed.
         *
         * @return true for transient kinds
         */
        public boolean retryable() {
            return retryable;
        }
    }

    /** What kind of failure this is. */
    private final Kind kind;

    /**
     * A failed provider call.
     *
     * @param kind what kind of failure, which decides whether a retry can help
     * @param message what failed
     */
    public ProviderException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    /**
     * A failed provider call, with its cause.
     *
     * @param kind what kind of failure, which decides whether a retry can help
     * @param message what failed
     * @param cause the underlying error
     */
    public ProviderException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    /**
     * What kind of failure this is.
     *
     * @return the kind
     */
    public Kind kind() {
        return kind;
    }

    /**
     * Whether trying the same call again later can succeed.
     *
     * @return true for transient kinds
     */
    public boolean retryable() {
        return kind.retryable();
    }
}
