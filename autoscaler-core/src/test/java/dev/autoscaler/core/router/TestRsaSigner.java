package dev.autoscaler.core.router;

import dev.autoscaler.spi.TicketClaims;
import dev.autoscaler.spi.TicketSigner;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;

/**
 * The vast-rsa compatibility format written out plainly for the router's tests ({"url": url} as
 * Python's json.dumps(indent=4, sort_keys=True) prints an ASCII URL), so that they verify what goes
 * over the wire with nothing but the JDK.
 */
public final class TestRsaSigner implements TicketSigner {
    private static final KeyPair KEYS = generate();

    private static KeyPair generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair keys() {
        return KEYS;
    }

    public static String publicKeyPem() {
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(KEYS.getPublic().getEncoded());
        return "-----BEGIN PUBLIC KEY-----\n" + b64 + "\n-----END PUBLIC KEY-----\n";
    }

    public static byte[] message(String url) {
        return ("{\n    \"url\": \"" + url + "\"\n}").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String format() {
        return "vast-rsa";
    }

    @Override
    public String sign(TicketClaims claims) {
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(KEYS.getPrivate());
            s.update(message(claims.url()));
            return Base64.getEncoder().encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
