package dev.autoscaler.benchmarks;

import dev.autoscaler.spi.TicketClaims;
import dev.autoscaler.spi.TicketSigner;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/** The signers the HTTP benchmarks run with, by ticket format name. */
final class BenchSigners {
    static final List<String> FORMATS = List.of("vast-rsa", "ed25519");

    private BenchSigners() {
    }

    static TicketSigner signer(String format) {
        return switch (format) {
            case "vast-rsa" -> new CachedRsa();
            case "ed25519" -> new Ed25519();
            default -> throw new IllegalArgumentException("unknown format " + format + "; one of " + FORMATS);
        };
    }

    /** vast-rsa: PKCS#1 v1.5 is deterministic, so one signature per URL. */
    static final class CachedRsa implements TicketSigner {
        private final KeyPair keys;
        private final ConcurrentHashMap<String, String> cache = new ConcurrentHashMap<>();

        CachedRsa() {
            try {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(2048);
                keys = g.generateKeyPair();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String format() {
            return "vast-rsa";
        }

        @Override
        public String sign(TicketClaims claims) {
            return cache.computeIfAbsent(claims.url(), url -> {
                try {
                    Signature s = Signature.getInstance("SHA256withRSA");
                    s.initSign(keys.getPrivate());
                    s.update(("{\n    \"url\": \"" + url + "\"\n}").getBytes(StandardCharsets.UTF_8));
                    return Base64.getEncoder().encodeToString(s.sign());
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
    }

    /** ed25519 over compact claims, BouncyCastle. */
    static final class Ed25519 implements TicketSigner {
        private final Ed25519PrivateKeyParameters key = new Ed25519PrivateKeyParameters(new java.security.SecureRandom());

        @Override
        public String format() {
            return "ed25519";
        }

        @Override
        public String sign(TicketClaims c) {
            byte[] payload = ("{\"aud\":\"" + c.audience() + "\",\"cost\":" + c.cost() + ",\"endpoint\":\"" + c.endpoint()
                    + "\",\"iat\":" + c.issuedAt().getEpochSecond() + ",\"reqnum\":" + c.reqnum() + ",\"request_idx\":"
                    + c.requestIdx() + ",\"url\":\"" + c.url() + "\"}").getBytes(StandardCharsets.UTF_8);
            Ed25519Signer signer = new Ed25519Signer();
            signer.init(true, key);
            signer.update(payload, 0, payload.length);
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            return b64.encodeToString(payload) + "." + b64.encodeToString(signer.generateSignature());
        }
    }
}
