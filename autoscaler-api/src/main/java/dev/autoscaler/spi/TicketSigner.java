package dev.autoscaler.spi;

/**
 * Signs route answers. The result goes into the answer's {@code signature} field unchanged, so that
 * the wire shape of {@code /route/} stays Vast's whatever the format.
 */
public interface TicketSigner {

    /** {@return the format's name: {@code vast-rsa} or {@code ed25519}} */
    String format();

    /**
     * {@return the {@code signature} value for these claims. Thread safe}
     *
     * @param claims what the route answer says: endpoint, URL, cost, reqnum, request_idx, audience, time
     */
    String sign(TicketClaims claims);
}
