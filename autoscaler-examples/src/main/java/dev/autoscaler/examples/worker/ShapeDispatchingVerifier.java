package dev.autoscaler.examples.worker;

import dev.autoscaler.spi.TicketClaims;
import dev.autoscaler.spi.TicketVerdict;
import dev.autoscaler.spi.TicketVerifier;
import java.util.Objects;
import java.util.Optional;

/**
 * Accepts tickets of both formats: a strong {@code ed25519} ticket has the shape
 * {@code payload.signature} (base64url with a dot), which a {@code vast-rsa} signature (standard
 * base64) never has, so the shape alone picks the verifier. Fails closed: a strong ticket with no
 * Ed25519 keys known is rejected. A worker of an {@code ed25519} endpoint is strong-only: it refuses
 * every other shape, because a url-only RSA signature binds nothing but the URL and one of them, once
 * seen, would let anyone in (the downgrade the issue found: 100 of 100 accepted).
 */
public final class ShapeDispatchingVerifier implements TicketVerifier {
    private final TicketVerifier vastRsa;
    private final Optional<TicketVerifier> ed25519;
    private final boolean strongOnly;

    public ShapeDispatchingVerifier(TicketVerifier vastRsa, Optional<TicketVerifier> ed25519) {
        this(vastRsa, ed25519, false);
    }

    /** @param strongOnly refuse everything but {@code ed25519} tickets (the endpoint's format is {@code ed25519}) */
    public ShapeDispatchingVerifier(TicketVerifier vastRsa, Optional<TicketVerifier> ed25519, boolean strongOnly) {
        this.vastRsa = Objects.requireNonNull(vastRsa, "vastRsa");
        this.ed25519 = Objects.requireNonNull(ed25519, "ed25519");
        this.strongOnly = strongOnly;
    }

    @Override
    public TicketVerdict verify(String signature, TicketClaims presented) {
        try {
            if (signature != null && signature.indexOf('.') >= 0) {
                return ed25519.map(v -> v.verify(signature, presented))
                        .orElseGet(() -> TicketVerdict.reject("strong ticket but no Ed25519 keys from the engine"));
            }
            if (strongOnly) {
                return TicketVerdict.reject("this worker's endpoint uses ed25519 tickets: other formats are refused");
            }
            return vastRsa.verify(signature, presented);
        } catch (RuntimeException e) {
            return TicketVerdict.reject("verifier failed (" + e.getClass().getSimpleName() + ")");
        }
    }
}
