package dev.autoscaler.core.ticket;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.autoscaler.InvalidConfigException;
import dev.autoscaler.spi.TicketClaims;
import dev.autoscaler.spi.TicketSigner;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * The {@code vast-rsa} signer: RSA PKCS#1 v1.5 with SHA-256 over Python's
 * {@code json.dumps(message, indent=4, sort_keys=True)}, base64 with padding; what Vast's worker
 * library verifies with the key from {@code GET /pubkey/}.
 *
 * <p>An RSA-2048 signature costs about 1.2 ms of CPU (800 a second per core), far too slow to sign
 * every route answer. In the default {@link VastMessageFormat#URL_ONLY} format the signature depends
 * on the URL alone and PKCS#1 v1.5 is deterministic, so signatures are cached by URL in a bounded
 * Caffeine cache: each worker URL is signed once and every later route answer costs a cache hit.
 * {@link VastMessageFormat#ALL_FIELDS_SORTED} signs per request and is not cached.
 *
 * <p>Thread safe. A fresh {@link Signature} object is made for every signature, so a failure can
 * never leave shared state behind.
 */
public final class VastRsaSigner implements TicketSigner {
    /** The format name, as {@link TicketFormats} knows it. */
    public static final String FORMAT = "vast-rsa";
    /** Default bound on cached URL signatures: far more workers than an engine runs. */
    public static final long DEFAULT_CACHE_SIZE = 10_000;
    static final String ALGORITHM = "SHA256withRSA";

    private final RsaSigningKey key;
    private final VastMessageFormat messageFormat;
    private final Cache<String, String> byUrl;
    private final LongAdder computations = new LongAdder();

    private VastRsaSigner(Builder builder) {
        this.key = builder.key;
        this.messageFormat = builder.messageFormat;
        this.byUrl = Caffeine.newBuilder().maximumSize(builder.cacheSize).build();
    }

    /** {@return a signer in the current ({@code url-only}) format with the default cache} */
    public static VastRsaSigner create(RsaSigningKey key) {
        return builder(key).build();
    }

    /**
     * A builder of a signer with this key.
     *
     * @param key the RSA key
     * @return a new builder
     */
    public static Builder builder(RsaSigningKey key) {
        return new Builder(key);
    }

    @Override
    public String format() {
        return FORMAT;
    }

    /** The base64 signature for these claims; only the URL matters in the {@code url-only} format. */
    @Override
    public String sign(TicketClaims claims) {
        Objects.requireNonNull(claims, "claims");
        if (messageFormat == VastMessageFormat.URL_ONLY) {
            return byUrl.get(claims.url(), url -> signMessage(messageFormat.message(claims)));
        }
        return signMessage(messageFormat.message(claims));
    }

    /**
     * Which fields are signed.
     *
     * @return the message format
     */
    public VastMessageFormat messageFormat() {
        return messageFormat;
    }

    /** {@return the public key PEM to serve at {@code GET /pubkey/}} */
    public String publicKeyPem() {
        return key.publicKeyPem();
    }

    /**
     * The key this signer signs with.
     *
     * @return the key
     */
    public RsaSigningKey key() {
        return key;
    }

    /** {@return how many RSA signatures this signer has computed (cache misses included, cache hits not)} */
    public long signatureComputations() {
        return computations.sum();
    }

    /** Forgets the cached signature of a URL, e.g. when its worker is destroyed. Optional: the cache is bounded. */
    public void forget(String url) {
        byUrl.invalidate(url);
    }

    private String signMessage(String message) {
        try {
            Signature signature = Signature.getInstance(ALGORITHM);
            signature.initSign(key.privateKey());
            signature.update(message.getBytes(StandardCharsets.UTF_8));
            byte[] sig = signature.sign();
            computations.increment();
            return Base64.getEncoder().encodeToString(sig);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA signing failed", e);
        }
    }

    /** Options of a {@link VastRsaSigner}. */
    public static final class Builder {
        private final RsaSigningKey key;
        private VastMessageFormat messageFormat = VastMessageFormat.URL_ONLY;
        private long cacheSize = DEFAULT_CACHE_SIZE;

        private Builder(RsaSigningKey key) {
            this.key = Objects.requireNonNull(key, "key");
        }

        /**
         * Which fields are signed; {@link VastMessageFormat#URL_ONLY} (the current Vast worker) by default.
         *
         * @param format the new value
         * @return this builder
         */
        public Builder messageFormat(VastMessageFormat format) {
            this.messageFormat = Objects.requireNonNull(format, "format");
            return this;
        }

        /**
         * The most URL signatures kept (at least 1); {@value #DEFAULT_CACHE_SIZE} by default.
         *
         * @param size the new value
         * @return this builder
         */
        public Builder cacheSize(long size) {
            if (size < 1) {
                throw new InvalidConfigException("signature_cache_size", "must be >= 1, got " + size);
            }
            this.cacheSize = size;
            return this;
        }

        /**
         * The signer.
         *
         * @return a new signer
         */
        public VastRsaSigner build() {
            return new VastRsaSigner(this);
        }
    }
}
