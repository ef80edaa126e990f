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
 * Ed25519 keys known is rejected.
 */
public final class ShapeDispatchingVerifier implements TicketVerifier {
    private final TicketVerifier vastRsa;
    private final Optional<TicketVerifier> ed25519;

    public ShapeDispatchingVerifier(TicketVerifier vastRsa, Optional<TicketVerifier> ed25519) {
        this.vastRsa = Objects.requireNonNull(vastRsa, "vastRsa");
        this.ed25519 = Objects.requireNonNull(ed25519, "ed25519");
    }

    @Override
    public TicketVerdict verify(String signature, TicketClaims presented) {
        try {
            if (signature != null && signature.indexOf('.') >= 0) {
                return ed25519.map(v -> v.verify(signature, presented))
                        .orElseGet(() -> TicketVerdict.reject("strong ticket but no Ed25519 keys from the engine"));
            }
            return vastRsa.verify(signature, presented);
        } catch (RuntimeException e) {
            return TicketVerdict.reject("verifier failed (" + e.getClass().getSimpleName() + ")");
        }
    }
}
