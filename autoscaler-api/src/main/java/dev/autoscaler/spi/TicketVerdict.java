package dev.autoscaler.spi;

import java.util.Objects;

/** A verifier's answer: valid, or rejected with a reason fit for a log line (never for the client). */
public record TicketVerdict(boolean accepted, String reason) {
    private static final TicketVerdict VALID = new TicketVerdict(true, "valid");

    public TicketVerdict {
        Objects.requireNonNull(reason, "reason");
    }

    /**
     * The ticket is good.
     *
     * @return an acceptance
     */
    public static TicketVerdict accept() {
        return VALID;
    }

    /**
     * The ticket is refused.
     *
     * @param reason why, for the log
     * @return a rejection
     */
    public static TicketVerdict reject(String reason) {
        return new TicketVerdict(false, reason);
    }
}
