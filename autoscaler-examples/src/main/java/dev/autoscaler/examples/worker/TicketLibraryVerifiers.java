package dev.autoscaler.examples.worker;

import dev.autoscaler.spi.TicketVerdict;
import dev.autoscaler.spi.TicketVerifier;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Optional;

/**
 * Interim: verifies vast-rsa url-only signatures with plain JDK crypto until
 * {@code dev.autoscaler.core.ticket} (VastRsaVerifier, Ed25519TicketVerifier) lands on main and replaces this.
 */
enum TicketLibraryVerifiers implements WorkerVerifiers {
    INSTANCE;

    @Override
    public TicketVerifier create(String pem, Optional<String> jwks, String audience) {
        try {
            String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(b64)));
            TicketVerifier rsa = (sig, claims) -> {
                try {
                    Signature s = Signature.getInstance("SHA256withRSA");
                    s.initVerify(key);
                    s.update(("{\n    \"url\": \"" + claims.url() + "\"\n}").getBytes(StandardCharsets.UTF_8));
                    return s.verify(Base64.getDecoder().decode(sig)) ? TicketVerdict.accept() : TicketVerdict.reject("bad");
                } catch (Exception e) {
                    return TicketVerdict.reject("bad");
                }
            };
            return new ShapeDispatchingVerifier(rsa, Optional.empty());
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
