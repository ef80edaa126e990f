/**
 * Route-answer signing and verification ("tickets").
 *
 * <p>Entry points for the router and the HTTP layer:
 * <ul>
 *   <li>{@link dev.autoscaler.core.ticket.TicketFormats}: the engine's keys and one shared signer per
 *       format name ({@code vast-rsa}, {@code ed25519}); {@code signer(name)} for an endpoint's format,
 *       {@code rsaPublicKeyPem()} for {@code GET /pubkey/}, {@code jwksJson()} for the Ed25519 keys.</li>
 *   <li>{@link dev.autoscaler.core.ticket.VastRsaSigner} / {@link dev.autoscaler.core.ticket.VastRsaVerifier}:
 *       the Vast-compatible RSA signature, byte for byte what Vast's Python worker verifies, cached by URL.</li>
 *   <li>{@link dev.autoscaler.core.ticket.Ed25519TicketSigner} / {@link dev.autoscaler.core.ticket.Ed25519TicketVerifier}:
 *       strong tickets (expiry, audience, binding of every {@code auth_data} field, replay protection),
 *       with an {@link dev.autoscaler.core.ticket.Ed25519KeyRing} that rotates keys without downtime.</li>
 *   <li>{@link dev.autoscaler.core.ticket.RsaSigningKey}: loading, generating and persisting the RSA key.</li>
 * </ul>
 *
 * <p>Every signer's output goes into the route answer's {@code signature} field unchanged, so the wire
 * shape of {@code /route/} stays Vast's. Every verifier fails closed: it returns a rejection with a
 * reason for the log and never throws.
 */
package dev.autoscaler.core.ticket;
