package dev.autoscaler.core.ticket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.autoscaler.InvalidConfigException;
import dev.autoscaler.core.ticket.internal.SecretFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.autoscaler.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ed25519 keys of the strong ticket format: the {@code current} key signs, the {@code next} key
 * is already published so that workers trust it before it signs anything, and the {@code previous}
 * key stays published so that tickets it signed before a rotation still verify until they expire.
 *
 * <p>Rotation without downtime: publish the JWKS ({@link #jwksJson()}); later (after workers have
 * refreshed it) call {@link #rotate()}: next becomes current, current becomes previous, a fresh key
 * becomes next. Rotate at most once per ticket lifetime plus the workers' refresh interval.
 *
 * <p><b>A bounded overlap.</b> The previous key lives only for the overlap ({@link #useTiming}: the
 * ticket lifetime plus the verifiers' leeway) after the rotation that retired it: every ticket it
 * signed has expired by then. After that the ring no longer has it, the JWKS no longer lists it, and
 * a verifier that still holds an older JWKS refuses it anyway, because the JWKS gives each retired key
 * its validity: {@code signed_until} (the rotation, in epoch seconds: a ticket it signed later is
 * forged) and {@code exp} (the end of the overlap). So a key that leaked and was rotated out is
 * worthless once the overlap has passed (before, it was trusted until a second rotation).
 *
 * <p>A ring made by {@link #loadOrGenerate(Path)} lives in a file (JSON, owner-only, written
 * atomically), is saved on every rotation, and so survives an engine restart; one made by
 * {@link #generate()} lives in memory only. Thread safe: readers see a consistent (previous, current,
 * next) triple.
 */
public final class Ed25519KeyRing {
    private static final Logger LOG = LoggerFactory.getLogger(Ed25519KeyRing.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    /** Ticket lifetime (60 s) plus the verifiers' leeway (5 s): the previous key's overlap unless told otherwise. */
    public static final Duration DEFAULT_OVERLAP = Duration.ofSeconds(65);

    /**
     * One consistent view of the ring. {@code previous} and {@code retiredAt} (when the previous key
     * stopped signing) may be null.
     */
    private record Keys(Ed25519SigningKey previous, Instant retiredAt, Ed25519SigningKey current, Ed25519SigningKey next) {
        Keys(Ed25519SigningKey previous, Ed25519SigningKey current, Ed25519SigningKey next) {
            this(previous, null, current, next);
        }
    }

    private final AtomicReference<Keys> keys;
    private final Path file;
    private volatile Clock clock = Clock.system();
    private volatile Duration overlap = DEFAULT_OVERLAP;

    private Ed25519KeyRing(Keys keys, Path file) {
        this.keys = new AtomicReference<>(keys);
        this.file = file;
    }

    /** An in-memory ring with fresh current and next keys and no previous one. */
    public static Ed25519KeyRing generate() {
        return new Ed25519KeyRing(new Keys(null, Ed25519SigningKey.generate(), Ed25519SigningKey.generate()), null);
    }

    /** An in-memory ring of given keys; {@code previous} may be null. */
    public static Ed25519KeyRing of(Ed25519SigningKey current, Ed25519SigningKey next, Ed25519SigningKey previous) {
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(next, "next");
        return new Ed25519KeyRing(new Keys(previous, current, next), null);
    }

    /**
     * The ring stored in {@code file}, or a fresh one written there when the file does not exist.
     * Every {@link #rotate()} saves it again.
     *
     * @throws InvalidConfigException (field {@code ed25519_key_file}) when the file cannot be read or
     *                                written or does not hold a key ring
     */
    public static Ed25519KeyRing loadOrGenerate(Path file) {
        Objects.requireNonNull(file, "file");
        try {
            if (Files.exists(file)) {
                return new Ed25519KeyRing(parse(Files.readString(file, StandardCharsets.UTF_8)), file);
            }
            Ed25519KeyRing ring = new Ed25519KeyRing(generate().keys.get(), file);
            ring.save();
            LOG.info("generated a new Ed25519 key ring (current kid {}) and saved it to {}", ring.current().kid(), file);
            return ring;
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidConfigException("ed25519_key_file", file + ": " + e.getMessage());
        }
    }

    /**
     * The clock that times rotations and the previous key's overlap (ticket lifetime + leeway: tickets
     * the previous key signed are all expired after it). {@link TicketFormats} sets it from its signer.
     */
    public Ed25519KeyRing useTiming(Clock clock, Duration overlap) {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(overlap, "overlap");
        if (overlap.isNegative() || overlap.isZero()) {
            throw new IllegalArgumentException("overlap must be positive, got " + overlap);
        }
        this.clock = clock;
        this.overlap = overlap;
        return this;
    }

    /** How long a previous key stays valid after the rotation that retired it. */
    public Duration overlap() {
        return overlap;
    }

    /** The key that signs now. */
    public Ed25519SigningKey current() {
        return keys.get().current;
    }

    /** The key that will sign after the next rotation (already published). */
    public Ed25519SigningKey next() {
        return keys.get().next;
    }

    /** The key that signed before the last rotation, while within its overlap (still published). */
    public Optional<Ed25519SigningKey> previous() {
        Keys k = keys.get();
        return live(k) ? Optional.of(k.previous) : Optional.empty();
    }

    /** Until when the previous key is valid (the end of its overlap), while it is. */
    public Optional<Instant> previousValidUntil() {
        Keys k = keys.get();
        return live(k) ? Optional.of(validUntil(k)) : Optional.empty();
    }

    private boolean live(Keys k) {
        return k.previous != null && (k.retiredAt == null || clock.now().isBefore(validUntil(k)));
    }

    private Instant validUntil(Keys k) {
        return k.retiredAt == null ? Instant.MAX : k.retiredAt.plus(overlap);
    }

    /**
     * Next becomes current, current becomes previous, a fresh key becomes next; the old previous key
     * is dropped. Saves the ring when it is file-backed.
     *
     * @return the new current key
     */
    public synchronized Ed25519SigningKey rotate() {
        Keys old = keys.get();
        Keys rotated = new Keys(old.current, clock.now(), old.next, Ed25519SigningKey.generate());
        if (file != null) {
            try {
                SecretFiles.writeAtomically(file, serialize(rotated));
            } catch (IOException e) {
                // Keep the old keys: a rotation that the next restart would forget is worse than none.
                throw new InvalidConfigException("ed25519_key_file", file + ": cannot save the rotated ring: " + e.getMessage());
            }
        }
        keys.set(rotated);
        LOG.info("rotated the Ed25519 key ring: current kid {} (previous {}, valid until {})", rotated.current.kid(),
                rotated.previous.kid(), validUntil(rotated));
        return rotated.current;
    }

    /** The public keys by kid, in the order current, next, previous. */
    public Map<String, byte[]> publicKeys() {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (Ed25519SigningKey key : published(keys.get())) {
            out.put(key.kid(), key.publicKeyBytes());
        }
        return out;
    }

    /**
     * The public keys as a JWKS document (RFC 7517/8037) for the HTTP layer to serve:
     * {@code {"keys":[{"kty":"OKP","crv":"Ed25519","alg":"EdDSA","use":"sig","kid":...,"x":...,"status":"current"}, ...]}},
     * current first, then next, then previous. Each key says its validity: {@code status} is
     * {@code current}, {@code next} or {@code previous}; a previous key also has {@code signed_until}
     * (epoch seconds: tickets issued later are not its own) and {@code exp} (epoch seconds: refused from
     * then on). {@link Ed25519TicketVerifier.Builder#trustJwks(String)} reads it and enforces both.
     */
    public String jwksJson() {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode array = root.putArray("keys");
        Keys k = keys.get();
        for (Ed25519SigningKey key : published(k)) {
            ObjectNode jwk = array.addObject()
                    .put("kty", "OKP")
                    .put("crv", "Ed25519")
                    .put("alg", "EdDSA")
                    .put("use", "sig")
                    .put("kid", key.kid())
                    .put("x", key.publicKeyBase64Url());
            if (key == k.current) {
                jwk.put("status", "current");
            } else if (key == k.next) {
                jwk.put("status", "next");
            } else {
                jwk.put("status", "previous");
                if (k.retiredAt != null) {
                    Instant until = validUntil(k);
                    jwk.put("signed_until", k.retiredAt.getEpochSecond());
                    jwk.put("exp", until.getEpochSecond() + (until.getNano() > 0 ? 1 : 0));
                }
            }
        }
        return root.toString();
    }

    @Override
    public String toString() {
        Keys k = keys.get();
        return "Ed25519KeyRing[current=" + k.current.kid() + ", next=" + k.next.kid()
                + ", previous=" + (k.previous == null ? "none" : k.previous.kid()) + "]";
    }

    private void save() throws IOException {
        SecretFiles.writeAtomically(file, serialize(keys.get()));
    }

    private Ed25519SigningKey[] published(Keys k) {
        return !live(k)
                ? new Ed25519SigningKey[] {k.current, k.next}
                : new Ed25519SigningKey[] {k.current, k.next, k.previous};
    }

    private static String serialize(Keys k) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", "autoscaler-ed25519-key-ring-v1");
        putKey(root, "current", k.current);
        putKey(root, "next", k.next);
        if (k.previous != null) {
            ObjectNode previous = putKey(root, "previous", k.previous);
            if (k.retiredAt != null) {
                previous.put("retired_at", k.retiredAt.toString());
            }
        }
        return root.toPrettyString() + "\n";
    }

    private static ObjectNode putKey(ObjectNode root, String slot, Ed25519SigningKey key) {
        return root.putObject(slot).put("kid", key.kid()).put("d", B64URL.encodeToString(key.seed()));
    }

    private static Keys parse(String text) throws IOException {
        JsonNode root = JSON.readTree(text);
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        Ed25519SigningKey previous = readKey(root, "previous", false);
        Instant retiredAt = null;
        JsonNode retired = root.path("previous").get("retired_at");
        if (previous != null) {
            try {
                // a ring saved before retirement times were kept: its previous key gets a fresh overlap
                retiredAt = retired == null ? Instant.now() : Instant.parse(retired.asText());
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException("previous.retired_at: not an ISO-8601 instant");
            }
        }
        return new Keys(previous, retiredAt, readKey(root, "current", true), readKey(root, "next", true));
    }

    private static Ed25519SigningKey readKey(JsonNode root, String slot, boolean required) {
        JsonNode node = root.get(slot);
        if (node == null || node.isNull()) {
            if (required) {
                throw new IllegalArgumentException("missing key '" + slot + "'");
            }
            return null;
        }
        JsonNode d = node.get("d");
        if (d == null || !d.isTextual()) {
            throw new IllegalArgumentException(slot + ".d: missing private seed");
        }
        Ed25519SigningKey key;
        try {
            key = Ed25519SigningKey.fromSeed(Base64.getUrlDecoder().decode(d.asText()));
        } catch (InvalidConfigException e) {
            throw new IllegalArgumentException(slot + ".d: " + e.getMessage());
        }
        JsonNode kid = node.get("kid");
        if (kid != null && !kid.asText().equals(key.kid())) {
            throw new IllegalArgumentException(slot + ".kid: does not match the key (expected " + key.kid() + ")");
        }
        return key;
    }
}
