package dev.autoscaler.examples.worker;

import dev.autoscaler.Clock;
import dev.autoscaler.core.ticket.Ed25519TicketVerifier;
import dev.autoscaler.core.ticket.VastMessageFormat;
import dev.autoscaler.core.ticket.VastRsaVerifier;
import dev.autoscaler.spi.TicketVerdict;
import dev.autoscaler.spi.TicketVerifier;
import java.util.Optional;

/**
 * The worker's verifiers from this project's ticket library: {@code vast-rsa} with the PEM of
 * {@code /pubkey/} (the current url-only message, or the older all-fields one, as Vast's worker
 * libraries accepted over time), and {@code ed25519} strong tickets with the engine's JWKS, bound to
 * this worker's id, checked for expiry and replay on the system clock.
 */
enum TicketLibraryVerifiers implements WorkerVerifiers {
    INSTANCE;

    @Override
    public TicketVerifier create(String rsaPublicKeyPem, Optional<String> jwks, String audience) {
        VastRsaVerifier urlOnly = VastRsaVerifier.fromPublicKeyPem(rsaPublicKeyPem, VastMessageFormat.URL_ONLY);
        VastRsaVerifier allFields = VastRsaVerifier.fromPublicKeyPem(rsaPublicKeyPem,
                VastMessageFormat.ALL_FIELDS_SORTED);
        TicketVerifier rsa = (signature, claims) -> {
            TicketVerdict current = urlOnly.verify(signature, claims);
            return current.accepted() ? current : allFields.verify(signature, claims);
        };
        Optional<TicketVerifier> strong = jwks.filter(j -> !j.isBlank()).map(j -> Ed25519TicketVerifier.builder()
                .trustJwks(j).audience(audience).clock(Clock.system()).build());
        return new ShapeDispatchingVerifier(rsa, strong);
    }
}
