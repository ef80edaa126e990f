package dev.autoscaler.examples.testing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;

/**
 * Signs route tickets in Vast's compatibility format with plain JDK crypto, straight from
 * PROTOCOL.md (RSA PKCS#1 v1.5 SHA-256 over {@code {\n    "url": "<url>"\n}}), so the worker's
 * verification is checked against the documented bytes, not against our own signer.
 */
public final class TestRsaTickets {
    private static final KeyPair KEYS = generate();

    private TestRsaTickets() {
    }

    public static String publicKeyPem() {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(KEYS.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    /** The signature of a url-only message for {@code url} (plain ASCII URLs only). */
    public static String sign(String url) {
        String message = "{\n    \"url\": \"" + url + "\"\n}";
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(KEYS.getPrivate());
            s.update(message.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
