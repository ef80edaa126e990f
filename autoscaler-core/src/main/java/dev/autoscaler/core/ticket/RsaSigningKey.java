package dev.autoscaler.core.ticket;

import dev.autoscaler.InvalidConfigException;
import dev.autoscaler.core.ticket.internal.Pem;
import dev.autoscaler.core.ticket.internal.SecretFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's RSA key for the {@code vast-rsa} signature: a private key (PKCS#8) and its public key
 * (SubjectPublicKeyInfo), whose PEM text is what {@code GET /pubkey/} serves to Vast workers.
 *
 * <p>Workers fetch the public key once, at start, and keep it. An engine that restarts with a new
 * key therefore makes every running worker reject its tickets (401) until the worker restarts. To
 * keep the key across restarts, give the engine a key file: {@link #loadOrGenerate(Path)} reads it
 * when it exists and otherwise generates a 2048-bit key and writes it there (PKCS#8 PEM, owner-only
 * permissions on POSIX file systems, written atomically). The same file can be made by hand with
 * {@code openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out key.pem}.
 *
 * <p>{@link #toString()} shows the size and a fingerprint of the public key, never the private key.
 */
public final class RsaSigningKey {
    /** Vast workers accept any RSA key; below 2048 bits the key is not worth having. */
    public static final int MIN_BITS = 2048;
    private static final Logger LOG = LoggerFactory.getLogger(RsaSigningKey.class);
    private static final String PRIVATE_LABEL = "PRIVATE KEY";
    private static final String PUBLIC_LABEL = "PUBLIC KEY";

    private final RSAPrivateCrtKey privateKey;
    private final RSAPublicKey publicKey;
    private final String publicKeyPem;

    private RsaSigningKey(RSAPrivateCrtKey privateKey, RSAPublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.publicKeyPem = Pem.encode(PUBLIC_LABEL, publicKey.getEncoded());
    }

    /** {@return a fresh 2048-bit key (takes a fraction of a second)} */
    public static RsaSigningKey generate() {
        return generate(MIN_BITS);
    }

    /** {@return a fresh key of {@code bits} bits, at least {@value #MIN_BITS}} */
    public static RsaSigningKey generate(int bits) {
        if (bits < MIN_BITS) {
            throw new InvalidConfigException("rsa_key_bits", "must be >= " + MIN_BITS + ", got " + bits);
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits);
            KeyPair pair = generator.generateKeyPair();
            return new RsaSigningKey((RSAPrivateCrtKey) pair.getPrivate(), (RSAPublicKey) pair.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot generate RSA keys", e);
        }
    }

    /**
     * Reads a PKCS#8 private key ({@code -----BEGIN PRIVATE KEY-----}); the public key is derived from it.
     *
     * @throws InvalidConfigException (field {@code rsa_private_key}) when the text is not an unencrypted
     *                                PKCS#8 RSA key of at least 2048 bits
     */
    public static RsaSigningKey fromPrivateKeyPem(String pem) {
        byte[] der;
        try {
            der = Pem.decode(PRIVATE_LABEL, pem);
        } catch (IllegalArgumentException e) {
            String hint = pem != null && pem.contains("BEGIN RSA PRIVATE KEY")
                    ? " (this is PKCS#1; convert it with: openssl pkcs8 -topk8 -nocrypt -in old.pem -out key.pem)"
                    : "";
            throw new InvalidConfigException("rsa_private_key", e.getMessage() + hint);
        }
        try {
            KeyFactory factory = KeyFactory.getInstance("RSA");
            PrivateKey key = factory.generatePrivate(new PKCS8EncodedKeySpec(der));
            if (!(key instanceof RSAPrivateCrtKey crt)) {
                throw new InvalidConfigException("rsa_private_key",
                        "the key has no CRT parameters, so its public key cannot be derived");
            }
            RSAPublicKey pub = (RSAPublicKey) factory.generatePublic(
                    new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
            checkSize(pub);
            return new RsaSigningKey(crt, pub);
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new InvalidConfigException("rsa_private_key", "not an RSA PKCS#8 private key: " + e.getMessage());
        }
    }

    /**
     * Reads a SubjectPublicKeyInfo public key ({@code -----BEGIN PUBLIC KEY-----}), as served by
     * {@code GET /pubkey/}; for verifiers.
     *
     * @throws InvalidConfigException (field {@code rsa_public_key}) when the text is not such a key
     */
    public static RSAPublicKey parsePublicKeyPem(String pem) {
        try {
            byte[] der = Pem.decode(PUBLIC_LABEL, pem);
            return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
        } catch (IllegalArgumentException | GeneralSecurityException | ClassCastException e) {
            throw new InvalidConfigException("rsa_public_key", "not an RSA public key PEM: " + e.getMessage());
        }
    }

    /**
     * The key stored in {@code file}, or, when the file does not exist, a new 2048-bit key that is
     * written there first. Use this so that an engine restart keeps its key (see the class comment).
     *
     * @throws InvalidConfigException (field {@code rsa_key_file}) when the file cannot be read or written
     *                                or does not hold a PKCS#8 RSA key
     */
    public static RsaSigningKey loadOrGenerate(Path file) {
        Objects.requireNonNull(file, "file");
        try {
            if (Files.exists(file)) {
                String pem = Files.readString(file, StandardCharsets.US_ASCII);
                try {
                    return fromPrivateKeyPem(pem);
                } catch (InvalidConfigException e) {
                    throw new InvalidConfigException("rsa_key_file", file + ": " + e.getMessage());
                }
            }
            RsaSigningKey key = generate();
            key.writePrivateKeyPem(file);
            LOG.info("generated a new RSA signing key ({}) and saved it to {}", key.fingerprint(), file);
            return key;
        } catch (IOException | UncheckedIOException e) {
            throw new InvalidConfigException("rsa_key_file", file + ": " + e.getMessage());
        }
    }

    /** Writes the private key as PKCS#8 PEM, owner-only and atomically. */
    public void writePrivateKeyPem(Path file) {
        try {
            SecretFiles.writeAtomically(file, privateKeyPem());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the RSA key to " + file, e);
        }
    }

    /** Writes the public key PEM (what {@code GET /pubkey/} serves), e.g. for a worker's configuration. */
    public void writePublicKeyPem(Path file) {
        try {
            Files.writeString(file, publicKeyPem, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the RSA public key to " + file, e);
        }
    }

    /** {@return the private key as PKCS#8 PEM. A secret: never log it} */
    public String privateKeyPem() {
        return Pem.encode(PRIVATE_LABEL, privateKey.getEncoded());
    }

    /** {@return the public key as SubjectPublicKeyInfo PEM ({@code -----BEGIN PUBLIC KEY-----}): the body of {@code GET /pubkey/}} */
    public String publicKeyPem() {
        return publicKeyPem;
    }

    /**
     * The public half.
     *
     * @return the public key
     */
    public RSAPublicKey publicKey() {
        return publicKey;
    }

    /** {@return the modulus size in bits} */
    public int bits() {
        return publicKey.getModulus().bitLength();
    }

    /** {@return {@code sha256:} and the first 16 hex digits of the SHA-256 of the public key's DER: safe to log} */
    public String fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(publicKey.getEncoded());
            return "sha256:" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    PrivateKey privateKey() {
        return privateKey;
    }

    @Override
    public String toString() {
        return "RsaSigningKey[" + bits() + " bit, " + fingerprint() + "]";
    }

    private static void checkSize(RSAPublicKey pub) {
        int bits = pub.getModulus().bitLength();
        if (bits < MIN_BITS) {
            throw new InvalidConfigException("rsa_private_key", "must be at least " + MIN_BITS + " bits, got " + bits);
        }
    }
}
