package dev.autoscaler.core.ticket;

import dev.autoscaler.InvalidConfigException;
import dev.autoscaler.core.ticket.internal.TicketPayload;
import dev.autoscaler.spi.TicketClaims;
import dev.autoscaler.spi.TicketSigner;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code ed25519} strong ticket signer. A ticket is one string, carried in the route answer's
 * {@code signature} field so that the wire shape of {@code /route/} stays Vast's:
 *
 * <pre>{@code base64url(payload) "." base64url(signature)}   (no padding)</pre>
 *
 * where {@code payload} is canonical JSON (what Python's {@code json.dumps(p, separators=(",", ":"),
 * sort_keys=True)} prints: compact, sorted keys, ASCII) with {@code aud} (the worker id, from {@link TicketClaims#audience()}),
 * {@code cost}, {@code endpoint}, {@code exp}, {@code iat} (Unix seconds, from
 * {@link TicketClaims#issuedAt()}), {@code jti} (unique per ticket), {@code kid} (the signing key),
 * {@code reqnum}, {@code request_idx} and {@code url}, and {@code signature} is Ed25519 over the
 * payload's bytes with the key ring's current key.
 *
 * <p>{@code jti} is a random per-signer prefix plus a counter: unique without a call to
 * {@link SecureRandom} per ticket. Thread safe; signing is stateless apart from that counter.
 */
public final class Ed25519TicketSigner implements TicketSigner {
    /** The format name, as {@link TicketFormats} knows it. */
    public static final String FORMAT = "ed25519";
    /** How long a ticket is good for by default. */
    public static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(60);
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private final Ed25519KeyRing ring;
    private final long lifetimeSeconds;
    private final String jtiPrefix;
    private final AtomicLong jtiCounter = new AtomicLong();

    private Ed25519TicketSigner(Builder builder) {
        this.ring = builder.ring;
        this.lifetimeSeconds = builder.lifetime.toSeconds();
        byte[] prefix = new byte[9];
        new SecureRandom().nextBytes(prefix);
        this.jtiPrefix = B64URL.encodeToString(prefix) + ".";
    }

    /** {@return a signer with the default lifetime of 60 seconds} */
    public static Ed25519TicketSigner create(Ed25519KeyRing ring) {
        return builder(ring).build();
    }

    /**
     * A builder of a signer that signs with the ring's current key.
     *
     * @param ring the keys
     * @return a new builder
     */
    public static Builder builder(Ed25519KeyRing ring) {
        return new Builder(ring);
    }

    @Override
    public String format() {
        return FORMAT;
    }

    /**
     * A ticket for these claims, signed with the ring's current key.
     *
     * @throws IllegalArgumentException when {@code claims.audience()} is empty: a strong ticket is
     *                                  bound to one worker
     */
    @Override
    public String sign(TicketClaims claims) {
        Objects.requireNonNull(claims, "claims");
        if (claims.audience().isEmpty()) {
            throw new IllegalArgumentException("audience: an ed25519 ticket needs the worker id as its audience");
        }
        Ed25519SigningKey key = ring.current();
        long iat = claims.issuedAt().getEpochSecond();
        TicketPayload payload = new TicketPayload(claims.audience(), claims.cost(), claims.endpoint(),
                iat + lifetimeSeconds, iat, jtiPrefix + Long.toString(jtiCounter.incrementAndGet(), 36),
                key.kid(), claims.reqnum(), claims.requestIdx(), claims.url());
        byte[] bytes = payload.toCanonicalJson().getBytes(StandardCharsets.US_ASCII);
        byte[] signature = key.sign(bytes, bytes.length);
        return B64URL.encodeToString(bytes) + "." + B64URL.encodeToString(signature);
    }

    /** {@return how long tickets stay valid after {@code iat}} */
    public Duration lifetime() {
        return Duration.ofSeconds(lifetimeSeconds);
    }

    /**
     * The keys this signer signs with.
     *
     * @return the key ring
     */
    public Ed25519KeyRing keyRing() {
        return ring;
    }

    /** Options of an {@link Ed25519TicketSigner}. */
    public static final class Builder {
        private final Ed25519KeyRing ring;
        private Duration lifetime = DEFAULT_LIFETIME;

        private Builder(Ed25519KeyRing ring) {
            this.ring = Objects.requireNonNull(ring, "ring");
        }

        /**
         * How long a ticket stays valid ({@code exp - iat}), in whole seconds, at least 1; 60 s by
         * default. A client calls the worker right after routing, so short is safe.
         *
         * @param lifetime the new value
         * @return this builder
         */
        public Builder lifetime(Duration lifetime) {
            Objects.requireNonNull(lifetime, "lifetime");
            if (lifetime.toSeconds() < 1) {
                throw new InvalidConfigException("ticket_lifetime", "must be at least 1 second, got " + lifetime);
            }
            this.lifetime = lifetime;
            return this;
        }

        /**
         * The signer.
         *
         * @return a new signer
         */
        public Ed25519TicketSigner build() {
            return new Ed25519TicketSigner(this);
        }
    }
}
