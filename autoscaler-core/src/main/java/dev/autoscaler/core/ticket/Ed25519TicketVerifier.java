package dev.autoscaler.core.ticket;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autoscaler.Clock;
import dev.autoscaler.InvalidConfigException;
import dev.autoscaler.core.ticket.internal.PythonJson;
import dev.autoscaler.core.ticket.internal.ReplayGuard;
import dev.autoscaler.core.ticket.internal.TicketPayload;
import dev.autoscaler.spi.TicketClaims;
import dev.autoscaler.spi.TicketVerdict;
import dev.autoscaler.spi.TicketVerifier;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Verifies {@code ed25519} tickets (see {@link Ed25519TicketSigner}) on the worker side. Needs only
 * this library's core jar (BouncyCastle and Jackson): a Java worker builds one at start with the
 * engine's public keys, its own worker id as audience, and its clock:
 *
 * <pre>{@code
 * Ed25519TicketVerifier verifier = Ed25519TicketVerifier.builder()
 *         .trustJwks(jwksJsonFetchedFromTheEngine)
 *         .audience(myWorkerId)
 *         .build();
 * TicketVerdict verdict = verifier.verify(authData.signature(), presentedClaims);
 * }</pre>
 *
 * <p>A ticket is accepted when, in this order: it has the shape {@code payload.signature} in
 * base64url; its payload is a JSON object with every field; its {@code kid} is trusted; the Ed25519
 * signature over the payload bytes verifies; {@code iat - leeway <= now < exp + leeway} (a ticket from
 * the future is rejected, not only an expired one); {@code aud} is this worker; the presented
 * {@code auth_data} fields ({@code endpoint, url, cost, reqnum, request_idx}) equal the signed ones
 * (cost numerically: {@code 242} equals {@code 242.0}); and its {@code jti} has not been seen before.
 * The {@code jti} is remembered until the ticket expires (plus the leeway), on the injected clock.
 *
 * <p>A key that the JWKS marks as rotated out ({@code signed_until}, {@code exp}: see
 * {@link Ed25519KeyRing#jwksJson()}) is refused past its overlap, and for tickets issued after its
 * rotation, even if this verifier never fetches the JWKS again.
 *
 * <p>The replay memory is bounded per endpoint and per key (and signer run), at
 * {@link Builder#replayCapacity} ids each; a flood of tickets makes it forget its oldest ids, never
 * refuse a fresh ticket (see {@code ReplayGuard}).
 *
 * <p>Fails closed: any exception inside is a rejection with a reason for the log, never a throw.
 * Signature checks use BouncyCastle's stateless static API, so no signer object is shared between
 * calls or threads and a tampered ticket cannot poison the next check. Thread safe.
 */
public final class Ed25519TicketVerifier implements TicketVerifier {
    public static final Duration DEFAULT_LEEWAY = Duration.ofSeconds(5);
    public static final int DEFAULT_REPLAY_CAPACITY = 100_000;
    /** A ticket is a few hundred characters; anything much longer is not worth decoding. */
    static final int MAX_TICKET_CHARS = 8192;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Clock clock;
    private final long leewayMillis;
    private final String audience;
    private final ReplayGuard replays;
    private volatile Map<String, TrustedKey> trusted;

    /**
     * A trusted key and its validity from the JWKS: tickets issued after {@code signedUntil}, or checked
     * at or after {@code exp} (epoch seconds; null: no limit), are refused.
     */
    private record TrustedKey(Ed25519PublicKeyParameters key, Long signedUntil, Long exp) {
    }

    private Ed25519TicketVerifier(Builder builder) {
        this.clock = builder.clock;
        this.leewayMillis = builder.leeway.toMillis();
        this.audience = builder.audience;
        this.replays = new ReplayGuard(builder.replayCapacity);
        this.trusted = Map.copyOf(builder.keys);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public TicketVerdict verify(String ticket, TicketClaims presented) {
        try {
            return check(ticket, presented);
        } catch (Exception e) {
            return TicketVerdict.reject("malformed ticket (" + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * Replaces the trusted keys with those of a freshly fetched JWKS document (after the engine
     * rotated its keys). The replay memory is kept.
     *
     * @throws InvalidConfigException (field {@code jwks}) when the document has no Ed25519 key
     */
    public void replaceTrustedKeys(String jwksJson) {
        this.trusted = Map.copyOf(parseJwks(jwksJson));
    }

    /** The kids this verifier trusts. */
    public Set<String> trustedKids() {
        return trusted.keySet();
    }

    private TicketVerdict check(String ticket, TicketClaims presented) {
        if (ticket == null || ticket.isEmpty()) {
            return TicketVerdict.reject("missing ticket");
        }
        if (ticket.length() > MAX_TICKET_CHARS) {
            return TicketVerdict.reject("ticket too long");
        }
        if (presented == null) {
            return TicketVerdict.reject("missing auth_data");
        }
        int dot = ticket.indexOf('.');
        if (dot <= 0 || dot != ticket.lastIndexOf('.') || dot == ticket.length() - 1) {
            return TicketVerdict.reject("malformed ticket (expected payload.signature)");
        }
        Base64.Decoder b64 = Base64.getUrlDecoder();
        byte[] payloadBytes = b64.decode(ticket.substring(0, dot));
        byte[] signature = b64.decode(ticket.substring(dot + 1));
        if (signature.length != Ed25519.SIGNATURE_SIZE) {
            return TicketVerdict.reject("malformed ticket (signature length " + signature.length + ")");
        }
        TicketPayload payload;
        try {
            payload = TicketPayload.parse(payloadBytes);
        } catch (IllegalArgumentException e) {
            return TicketVerdict.reject("malformed payload (" + e.getMessage() + ")");
        }
        TrustedKey trust = trusted.get(payload.kid());
        if (trust == null) {
            return TicketVerdict.reject("unknown kid");
        }
        Ed25519PublicKeyParameters key = trust.key();
        if (!key.verify(Ed25519.Algorithm.Ed25519, null, payloadBytes, 0, payloadBytes.length, signature, 0)) {
            return TicketVerdict.reject("bad signature");
        }
        if (payload.exp() <= payload.iat()) {
            return TicketVerdict.reject("malformed payload (exp not after iat)");
        }
        long nowMillis = clock.now().toEpochMilli();
        if (trust.exp() != null && nowMillis >= Math.multiplyExact(trust.exp(), 1000L)) {
            return TicketVerdict.reject("key rotated out (past its overlap)");
        }
        if (trust.signedUntil() != null && payload.iat() > trust.signedUntil()) {
            return TicketVerdict.reject("issued after its key was rotated out");
        }
        if (nowMillis + leewayMillis < Math.multiplyExact(payload.iat(), 1000L)) {
            return TicketVerdict.reject("not yet valid");
        }
        long deadlineMillis = Math.addExact(Math.multiplyExact(payload.exp(), 1000L), leewayMillis);
        if (nowMillis >= deadlineMillis) {
            return TicketVerdict.reject("expired");
        }
        TicketVerdict bound = checkBinding(payload, presented);
        if (bound != null) {
            return bound;
        }
        String partition = payload.endpoint() + '\n' + payload.kid();
        return switch (replays.firstUse(partition, payload.jti(), deadlineMillis, nowMillis)) {
            case FIRST_USE -> TicketVerdict.accept();
            case REPLAYED -> TicketVerdict.reject("replayed");
            case TOO_OLD -> TicketVerdict.reject("older than the replay memory (a flood of newer tickets pushed it out)");
            case FULL -> TicketVerdict.reject("replay cache full");
        };
    }

    /** Null when the ticket is for this worker and the presented fields match; otherwise the rejection. */
    private TicketVerdict checkBinding(TicketPayload payload, TicketClaims presented) {
        String expectedAudience = audience != null ? audience : presented.audience();
        if (expectedAudience.isEmpty()) {
            return TicketVerdict.reject("no audience configured");
        }
        if (!presented.audience().isEmpty() && !presented.audience().equals(expectedAudience)) {
            return TicketVerdict.reject("wrong audience (presented audience differs from the configured one)");
        }
        if (!payload.aud().equals(expectedAudience)) {
            return TicketVerdict.reject("wrong audience");
        }
        if (!payload.endpoint().equals(presented.endpoint())) {
            return TicketVerdict.reject("endpoint mismatch");
        }
        if (!payload.url().equals(presented.url())) {
            return TicketVerdict.reject("url mismatch");
        }
        if (!sameNumber(payload.cost(), presented.cost())) {
            return TicketVerdict.reject("cost mismatch");
        }
        if (payload.reqnum() != presented.reqnum()) {
            return TicketVerdict.reject("reqnum mismatch");
        }
        if (payload.requestIdx() != presented.requestIdx()) {
            return TicketVerdict.reject("request_idx mismatch");
        }
        return null;
    }

    private static boolean sameNumber(Number a, Number b) {
        BigDecimal x = exact(a);
        BigDecimal y = exact(b);
        return x != null && y != null && x.compareTo(y) == 0;
    }

    private static BigDecimal exact(Number n) {
        if (PythonJson.isInteger(n)) {
            return n instanceof BigInteger big ? new BigDecimal(big) : BigDecimal.valueOf(n.longValue());
        }
        if (n instanceof BigDecimal big) {
            return big;
        }
        double d = n.doubleValue();
        return Double.isFinite(d) ? new BigDecimal(d) : null;
    }

    static Map<String, TrustedKey> parseJwks(String jwksJson) {
        JsonNode root;
        try {
            root = jwksJson == null ? null : JSON.readTree(jwksJson);
        } catch (JsonProcessingException e) {
            throw new InvalidConfigException("jwks", "not JSON: " + e.getOriginalMessage());
        }
        JsonNode keys = root == null ? null : root.get("keys");
        if (keys == null || !keys.isArray()) {
            throw new InvalidConfigException("jwks", "expected an object with a 'keys' array");
        }
        Map<String, TrustedKey> out = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            JsonNode jwk = keys.get(i);
            if (!"OKP".equals(jwk.path("kty").asText()) || !"Ed25519".equals(jwk.path("crv").asText())) {
                continue; // other key types may share the document; they are not ours to use
            }
            String field = "jwks.keys[" + i + "]";
            JsonNode x = jwk.get("x");
            if (x == null || !x.isTextual()) {
                throw new InvalidConfigException(field + ".x", "missing");
            }
            byte[] publicKey;
            try {
                publicKey = Base64.getUrlDecoder().decode(x.asText());
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigException(field + ".x", "not base64url");
            }
            String kid = jwk.hasNonNull("kid") ? jwk.get("kid").asText() : Ed25519SigningKey.thumbprint(publicKey);
            out.put(kid, new TrustedKey(publicKey(field + ".x", publicKey), seconds(jwk, field, "signed_until"),
                    seconds(jwk, field, "exp")));
        }
        if (out.isEmpty()) {
            throw new InvalidConfigException("jwks", "holds no Ed25519 (OKP) key");
        }
        return out;
    }

    private static Long seconds(JsonNode jwk, String field, String name) {
        JsonNode value = jwk.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.canConvertToExactIntegral() || !value.canConvertToLong()) {
            throw new InvalidConfigException(field + "." + name, "must be whole epoch seconds");
        }
        return value.asLong();
    }

    private static Ed25519PublicKeyParameters publicKey(String field, byte[] bytes) {
        if (bytes == null || bytes.length != Ed25519.PUBLIC_KEY_SIZE) {
            throw new InvalidConfigException(field, "must be " + Ed25519.PUBLIC_KEY_SIZE + " bytes, got "
                    + (bytes == null ? "none" : bytes.length));
        }
        try {
            return new Ed25519PublicKeyParameters(bytes, 0);
        } catch (RuntimeException e) {
            throw new InvalidConfigException(field, "not a valid Ed25519 public key");
        }
    }

    /** Options of an {@link Ed25519TicketVerifier}. At least one trusted key is required. */
    public static final class Builder {
        private final Map<String, TrustedKey> keys = new LinkedHashMap<>();
        private Clock clock = Clock.system();
        private Duration leeway = DEFAULT_LEEWAY;
        private String audience;
        private int replayCapacity = DEFAULT_REPLAY_CAPACITY;

        private Builder() {
        }

        /** Trusts a 32-byte Ed25519 public key under {@code kid}. */
        public Builder trustKey(String kid, byte[] publicKey) {
            Objects.requireNonNull(kid, "kid");
            keys.put(kid, new TrustedKey(publicKey("trusted_keys." + kid, publicKey), null, null));
            return this;
        }

        /** Trusts every Ed25519 key of a JWKS document such as {@link Ed25519KeyRing#jwksJson()}. */
        public Builder trustJwks(String jwksJson) {
            keys.putAll(parseJwks(jwksJson));
            return this;
        }

        /**
         * Trusts the current, next and previous public keys of a ring, as they are now (a snapshot, with
         * the previous key's validity, as its JWKS gives it).
         */
        public Builder trustKeyRing(Ed25519KeyRing ring) {
            return trustJwks(ring.jwksJson());
        }

        /** The time source; the system clock by default. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Tolerated clock skew between engine and worker, 0 to 5 minutes; 5 s by default. */
        public Builder leeway(Duration leeway) {
            Objects.requireNonNull(leeway, "leeway");
            if (leeway.isNegative() || leeway.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new InvalidConfigException("leeway", "must be between 0 and 5 minutes, got " + leeway);
            }
            this.leeway = leeway;
            return this;
        }

        /**
         * This worker's id, which a ticket's {@code aud} must equal. When not set, the verifier uses
         * the {@code audience} of the presented claims and rejects tickets when that is empty too.
         */
        public Builder audience(String audience) {
            Objects.requireNonNull(audience, "audience");
            if (audience.isEmpty()) {
                throw new InvalidConfigException("audience", "must not be empty");
            }
            this.audience = audience;
            return this;
        }

        /**
         * The most ticket ids remembered at once per endpoint and key (default
         * {@value #DEFAULT_REPLAY_CAPACITY}). When that many unexpired tickets of one endpoint and key
         * have been accepted, the oldest is forgotten and refused from then on (so is anything older),
         * so that a newer ticket is never refused for want of room.
         */
        public Builder replayCapacity(int capacity) {
            if (capacity < 1) {
                throw new InvalidConfigException("replay_capacity", "must be >= 1, got " + capacity);
            }
            this.replayCapacity = capacity;
            return this;
        }

        public Ed25519TicketVerifier build() {
            if (keys.isEmpty()) {
                throw new InvalidConfigException("trusted_keys", "at least one Ed25519 public key is required");
            }
            return new Ed25519TicketVerifier(this);
        }
    }
}
