package dev.autoscaler.core.ticket;

import dev.autoscaler.spi.TicketClaims;
import dev.autoscaler.spi.TicketVerdict;
import dev.autoscaler.spi.TicketVerifier;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Objects;

/**
 * Verifies a {@code vast-rsa} signature the way Vast's worker library does, with plain JDK crypto:
 * it rebuilds the message from the presented {@code auth_data} fields and checks the RSA signature
 * against the engine's public key. Proves only that the engine routed to that URL (no expiry, no
 * replay protection: see {@link Ed25519TicketVerifier} for that).
 *
 * <p>Fails closed: any exception is a rejection. Each call makes its own {@link Signature}, so a
 * failed verification cannot disturb the next one. Thread safe.
 */
public final class VastRsaVerifier implements TicketVerifier {
    /** Longer than any base64 signature of a 16,384-bit key; anything longer is not worth decoding. */
    private static final int MAX_SIGNATURE_CHARS = 4096;

    private final PublicKey publicKey;
    private final VastMessageFormat messageFormat;

    private VastRsaVerifier(PublicKey publicKey, VastMessageFormat messageFormat) {
        this.publicKey = Objects.requireNonNull(publicKey, "publicKey");
        this.messageFormat = Objects.requireNonNull(messageFormat, "messageFormat");
    }

    /** {@return a verifier of {@code url-only} signatures} */
    public static VastRsaVerifier of(PublicKey publicKey) {
        return new VastRsaVerifier(publicKey, VastMessageFormat.URL_ONLY);
    }

    /**
     * A verifier of one message format.
     *
     * @param publicKey the engine's public key
     * @param messageFormat which fields are signed
     * @return the verifier
     */
    public static VastRsaVerifier of(PublicKey publicKey, VastMessageFormat messageFormat) {
        return new VastRsaVerifier(publicKey, messageFormat);
    }

    /**
     * A verifier from the PEM text that {@code GET /pubkey/} serves.
     *
     * @throws dev.autoscaler.InvalidConfigException (field {@code rsa_public_key}) for a bad PEM
     */
    public static VastRsaVerifier fromPublicKeyPem(String pem, VastMessageFormat messageFormat) {
        return new VastRsaVerifier(RsaSigningKey.parsePublicKeyPem(pem), messageFormat);
    }

    @Override
    public TicketVerdict verify(String signature, TicketClaims presented) {
        try {
            if (signature == null || signature.isEmpty()) {
                return TicketVerdict.reject("missing signature");
            }
            if (signature.length() > MAX_SIGNATURE_CHARS) {
                return TicketVerdict.reject("signature too long");
            }
            if (presented == null) {
                return TicketVerdict.reject("missing auth_data");
            }
            byte[] sig = Base64.getDecoder().decode(signature);
            Signature verifier = Signature.getInstance(VastRsaSigner.ALGORITHM);
            verifier.initVerify(publicKey);
            verifier.update(messageFormat.message(presented).getBytes(StandardCharsets.UTF_8));
            return verifier.verify(sig) ? TicketVerdict.accept() : TicketVerdict.reject("bad signature");
        } catch (Exception e) {
            return TicketVerdict.reject("malformed signature (" + e.getClass().getSimpleName() + ")");
        }
    }
}
