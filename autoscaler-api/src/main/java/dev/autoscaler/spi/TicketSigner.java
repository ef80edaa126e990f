package dev.autoscaler.spi;

/**
 * Signs route answers. The result goes into the answer's {@code signature} field unchanged, so that
 * the wire shape of {@code /route/} stays Vast's whatever the format.
 */
public interface TicketSigner {

    /** {@return the format's name: {@code vast-rsa} or {@code ed25519}} */
    String format();

    /** {@return the {@code signature} value for these claims. Thread safe} */
    String sign(TicketClaims claims);
}
