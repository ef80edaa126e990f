package dev.autoscaler.examples.worker;

import dev.autoscaler.spi.TicketVerifier;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Builds the worker's ticket verifier from the keys it fetched from the engine: the RSA PEM of
 * {@code /pubkey/} (always) and the Ed25519 JWKS (when the engine serves one). Kept behind this
 * interface so the worker does not care which signature library does the work.
 */
@FunctionalInterface
public interface WorkerVerifiers {

    /**
     * @param rsaPublicKeyPem the body of {@code GET /pubkey/}
     * @param jwks            the Ed25519 public keys as JWKS JSON, if the engine serves them
     * @param audience        the worker's own id, which strong tickets must name
     * @param strongOnly      accept {@code ed25519} tickets only (the endpoint's format is {@code ed25519})
     * @param refetchJwks     fetches the JWKS again, for a strong ticket of a key not known yet (after
     *                        the engine rotated twice since the last fetch); empty when it cannot
     * @throws RuntimeException when the key text cannot be parsed (the worker reports it as its error)
     */
    TicketVerifier create(String rsaPublicKeyPem, Optional<String> jwks, String audience, boolean strongOnly,
                          Supplier<Optional<String>> refetchJwks);
}
