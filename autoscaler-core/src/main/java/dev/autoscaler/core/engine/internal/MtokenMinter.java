package dev.autoscaler.core.engine.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Derives each worker's {@code MASTER_TOKEN} from the engine's secret and the worker's label
 * (HMAC-SHA256). Deriving rather than storing means a restarted engine that keeps its secret can
 * authenticate the reports of the instances it re-adopts, with no database.
 */
public final class MtokenMinter {
    private final SecretKeySpec key;

    public MtokenMinter(byte[] secret) {
        if (secret == null || secret.length < 16) {
            throw new IllegalArgumentException("the engine secret must have at least 16 bytes");
        }
        this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
    }

    public String mint(String label) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] digest = mac.doFinal(label.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    /** Compares in constant time, so that a wrong token's timing says nothing about the right one. */
    public static boolean matches(String expected, String presented) {
        if (expected == null || presented == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }
}
