package dev.autoscaler.benchmarks;

import dev.autoscaler.core.ticket.Ed25519KeyRing;
import dev.autoscaler.core.ticket.Ed25519SigningKey;
import dev.autoscaler.core.ticket.Ed25519TicketSigner;
import dev.autoscaler.core.ticket.RsaSigningKey;
import dev.autoscaler.core.ticket.VastMessageFormat;
import dev.autoscaler.core.ticket.VastRsaSigner;
import dev.autoscaler.spi.TicketClaims;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What signing a route answer costs, per format, against baselines measured in the same run:
 *
 * <ul>
 *   <li>{@code vastRsaCachedPerRoute}: the {@code vast-rsa} signer on warm URLs (64 workers), i.e.
 *       the per-route cost once each worker's signature is cached. Goal: far above 100,000/s.</li>
 *   <li>{@code rawRsaSignReference}: one uncached RSA-2048 PKCS#1 v1.5 signature of the same message
 *       (what every route would cost without the cache; about 800/s per core).</li>
 *   <li>{@code ed25519Ticket}: a full strong ticket (canonical JSON payload, jti, Ed25519, base64url).</li>
 *   <li>{@code ed25519BareBaseline}: BouncyCastle's Ed25519 sign of a message of the same length,
 *       nothing else. Goal: {@code ed25519Ticket / ed25519BareBaseline >= 0.7}.</li>
 *   <li>{@code ed25519Pair}: the same two, run at the same time on two threads, so that both see the
 *       same machine noise; on a shared machine its ratio {@code pairTicket / pairBare} is the one to
 *       trust.</li>
 * </ul>
 *
 * Run: {@code mvn -B -q -pl autoscaler-benchmarks -am package -DskipTests && java -jar
 * autoscaler-benchmarks/target/benchmarks.jar TicketSigning -f 1 -wi 2 -i 3 -w 2s -r 2s}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TicketSigningBenchmark {
    private static final int ROUTES = 64;

    /**
     * The request cost: an integral float (the common case, printed on a fast path) or a fractional
     * one (printed via the shortest-round-trip search of Python's float repr).
     */
    @Param({"242.0", "242.37"})
    public double cost;
    private static final Instant ISSUED = Instant.parse("2026-01-01T00:00:00Z");

    private final TicketClaims[] claims = new TicketClaims[ROUTES];
    private VastRsaSigner vastRsa;
    private PrivateKey rsaPrivateKey;
    private byte[] rsaMessage;
    private Ed25519TicketSigner ed25519;
    private byte[] bareSeed;
    private byte[] barePublicKey;
    private byte[] bareMessage;

    /** Which route comes next; per thread, so threads do not contend on it. */
    @State(Scope.Thread)
    public static class Cursor {
        int next;

        int advance() {
            return next = (next + 1) & (ROUTES - 1);
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws GeneralSecurityException {
        for (int i = 0; i < ROUTES; i++) {
            claims[i] = new TicketClaims("llama3-prod", "http://10.0." + (i / 16) + "." + (i % 16 + 10) + ":" + (40_000 + i),
                    cost, 1_000 + i, 9_000 + i, Integer.toString(70_000 + i), ISSUED);
        }
        RsaSigningKey rsaKey = RsaSigningKey.generate();
        vastRsa = VastRsaSigner.create(rsaKey);
        for (TicketClaims c : claims) {
            vastRsa.sign(c); // warm the cache: the benchmark measures the steady state per route
        }
        String pem = rsaKey.privateKeyPem().replaceAll("-----[A-Z ]+-----|\\s", "");
        rsaPrivateKey = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        rsaMessage = VastMessageFormat.URL_ONLY.message(claims[0]).getBytes(StandardCharsets.UTF_8);

        Ed25519KeyRing ring = Ed25519KeyRing.generate();
        ed25519 = Ed25519TicketSigner.create(ring);
        String sample = ed25519.sign(claims[0]);
        int payloadLength = Base64.getUrlDecoder().decode(sample.substring(0, sample.indexOf('.'))).length;
        Ed25519SigningKey bare = Ed25519SigningKey.generate();
        bareSeed = bare.seed();
        barePublicKey = bare.publicKeyBytes();
        bareMessage = new byte[payloadLength];
        new Random(1).nextBytes(bareMessage);
    }

    @Benchmark
    public String vastRsaCachedPerRoute(Cursor cursor) {
        return vastRsa.sign(claims[cursor.advance()]);
    }

    @Benchmark
    public byte[] rawRsaSignReference() throws GeneralSecurityException {
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(rsaPrivateKey);
        signature.update(rsaMessage);
        return signature.sign();
    }

    @Benchmark
    public String ed25519Ticket(Cursor cursor) {
        return ed25519.sign(claims[cursor.advance()]);
    }

    @Benchmark
    public byte[] ed25519BareBaseline() {
        return bareSign();
    }

    @Benchmark
    @Group("ed25519Pair")
    @GroupThreads(1)
    public String pairTicket(Cursor cursor) {
        return ed25519.sign(claims[cursor.advance()]);
    }

    @Benchmark
    @Group("ed25519Pair")
    @GroupThreads(1)
    public byte[] pairBare() {
        return bareSign();
    }

    private byte[] bareSign() {
        byte[] signature = new byte[Ed25519.SIGNATURE_SIZE];
        Ed25519.sign(bareSeed, 0, barePublicKey, 0, bareMessage, 0, bareMessage.length, signature, 0);
        return signature;
    }
}
