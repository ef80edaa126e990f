package dev.autoscaler.core.ticket;

import dev.autoscaler.Clock;
import dev.autoscaler.InvalidConfigException;
import dev.autoscaler.PluginNotFoundException;
import dev.autoscaler.spi.TicketSigner;
import dev.autoscaler.spi.TicketVerifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The ticket formats by name, with the engine's keys: what the router and the HTTP layer use.
 *
 * <ul>
 *   <li>{@value #VAST_RSA}: the Vast-compatible RSA signature ({@link VastRsaSigner}), for Vast's
 *       worker library; its public key is {@link #rsaPublicKeyPem()}, served at {@code GET /pubkey/}.</li>
 *   <li>{@value #ED25519}: strong tickets ({@link Ed25519TicketSigner}), for workers that use
 *       {@link Ed25519TicketVerifier}; the public keys are {@link #jwksJson()}, served as JWKS at a
 *       second path.</li>
 * </ul>
 *
 * <pre>{@code
 * TicketFormats tickets = TicketFormats.builder()
 *         .rsaKeyFile(Path.of("state/rsa-key.pem"))          // keeps /pubkey/ stable across restarts
 *         .ed25519KeyFile(Path.of("state/ed25519-ring.json"))
 *         .build();
 * TicketSigner signer = tickets.signer(endpointConfig.ticketFormat()); // per endpoint
 * }</pre>
 *
 * Keys that are not given are generated at {@link Builder#build()} and live in memory only, so a
 * restarted engine gets new ones and running workers must fetch them again. Thread safe.
 */
public final class TicketFormats {
    public static final String VAST_RSA = VastRsaSigner.FORMAT;
    public static final String ED25519 = Ed25519TicketSigner.FORMAT;
    private static final List<String> NAMES = List.of(ED25519, VAST_RSA);

    private final VastRsaSigner vastRsa;
    private final Ed25519TicketSigner ed25519;

    private TicketFormats(VastRsaSigner vastRsa, Ed25519TicketSigner ed25519) {
        this.vastRsa = vastRsa;
        this.ed25519 = ed25519;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The format names this registry knows, sorted: {@code ed25519}, {@code vast-rsa}. */
    public static List<String> names() {
        return NAMES;
    }

    /**
     * The signer of a format. Signers are thread safe and shared: every endpoint with the same format
     * gets the same instance (for {@code vast-rsa}, one URL signature cache for the whole engine).
     *
     * @throws PluginNotFoundException (kind {@code ticket format}) listing the known formats, for an unknown name
     */
    public TicketSigner signer(String format) {
        if (VAST_RSA.equals(format)) {
            return vastRsa;
        }
        if (ED25519.equals(format)) {
            return ed25519;
        }
        throw new PluginNotFoundException("ticket format", String.valueOf(format), NAMES);
    }

    /**
     * A verifier of a format for this engine's own keys, for in-process workers and tests. The
     * {@code ed25519} verifier trusts the key ring as it is now (current, next, previous), takes its
     * audience from the presented claims and uses the default leeway; a real worker builds an
     * {@link Ed25519TicketVerifier} from the JWKS instead.
     *
     * @throws PluginNotFoundException (kind {@code ticket format}) for an unknown name
     */
    public TicketVerifier verifier(String format, Clock clock) {
        Objects.requireNonNull(clock, "clock");
        if (VAST_RSA.equals(format)) {
            return VastRsaVerifier.of(vastRsa.key().publicKey(), vastRsa.messageFormat());
        }
        if (ED25519.equals(format)) {
            return Ed25519TicketVerifier.builder().trustKeyRing(ed25519.keyRing()).clock(clock).build();
        }
        throw new PluginNotFoundException("ticket format", String.valueOf(format), NAMES);
    }

    public RsaSigningKey rsaKey() {
        return vastRsa.key();
    }

    /** The body of {@code GET /pubkey/}: the RSA public key as SubjectPublicKeyInfo PEM. */
    public String rsaPublicKeyPem() {
        return vastRsa.publicKeyPem();
    }

    public Ed25519KeyRing ed25519KeyRing() {
        return ed25519.keyRing();
    }

    /** The Ed25519 public keys as JWKS JSON, for the HTTP layer to serve; changes after a rotation. */
    public String jwksJson() {
        return ed25519.keyRing().jwksJson();
    }

    /** Keys and options of a {@link TicketFormats}. */
    public static final class Builder {
        private RsaSigningKey rsaKey;
        private Path rsaKeyFile;
        private VastMessageFormat messageFormat = VastMessageFormat.URL_ONLY;
        private long rsaCacheSize = VastRsaSigner.DEFAULT_CACHE_SIZE;
        private Ed25519KeyRing ring;
        private Path ringFile;
        private Duration lifetime = Ed25519TicketSigner.DEFAULT_LIFETIME;

        private Builder() {
        }

        /** The RSA key to sign {@code vast-rsa} with. Excludes {@link #rsaKeyFile}. */
        public Builder rsaKey(RsaSigningKey key) {
            this.rsaKey = Objects.requireNonNull(key, "key");
            return this;
        }

        /** A PKCS#8 PEM file holding the RSA key, created with a new key when missing ({@link RsaSigningKey#loadOrGenerate}). */
        public Builder rsaKeyFile(Path file) {
            this.rsaKeyFile = Objects.requireNonNull(file, "file");
            return this;
        }

        /** Which fields {@code vast-rsa} signs; {@code url-only} by default. */
        public Builder vastMessageFormat(VastMessageFormat format) {
            this.messageFormat = Objects.requireNonNull(format, "format");
            return this;
        }

        /** Bound of the {@code vast-rsa} URL signature cache. */
        public Builder rsaCacheSize(long size) {
            if (size < 1) {
                throw new InvalidConfigException("signature_cache_size", "must be >= 1, got " + size);
            }
            this.rsaCacheSize = size;
            return this;
        }

        /** The Ed25519 key ring for {@code ed25519} tickets. Excludes {@link #ed25519KeyFile}. */
        public Builder ed25519KeyRing(Ed25519KeyRing ring) {
            this.ring = Objects.requireNonNull(ring, "ring");
            return this;
        }

        /** A JSON file holding the Ed25519 key ring, created when missing ({@link Ed25519KeyRing#loadOrGenerate}). */
        public Builder ed25519KeyFile(Path file) {
            this.ringFile = Objects.requireNonNull(file, "file");
            return this;
        }

        /** Lifetime of {@code ed25519} tickets; 60 s by default. */
        public Builder ticketLifetime(Duration lifetime) {
            this.lifetime = Objects.requireNonNull(lifetime, "lifetime");
            return this;
        }

        /**
         * Loads or generates the keys and makes the signers.
         *
         * @throws InvalidConfigException when both a key and a key file are given for one format, or a
         *                                key file is unusable
         */
        public TicketFormats build() {
            if (rsaKey != null && rsaKeyFile != null) {
                throw new InvalidConfigException("rsa_key_file", "give either an RSA key or a key file, not both");
            }
            if (ring != null && ringFile != null) {
                throw new InvalidConfigException("ed25519_key_file", "give either a key ring or a key file, not both");
            }
            RsaSigningKey rsa = rsaKey != null ? rsaKey
                    : rsaKeyFile != null ? RsaSigningKey.loadOrGenerate(rsaKeyFile) : RsaSigningKey.generate();
            Ed25519KeyRing keys = ring != null ? ring
                    : ringFile != null ? Ed25519KeyRing.loadOrGenerate(ringFile) : Ed25519KeyRing.generate();
            VastRsaSigner vast = VastRsaSigner.builder(rsa).messageFormat(messageFormat).cacheSize(rsaCacheSize).build();
            Ed25519TicketSigner strong = Ed25519TicketSigner.builder(keys).lifetime(lifetime).build();
            return new TicketFormats(vast, strong);
        }
    }
}
