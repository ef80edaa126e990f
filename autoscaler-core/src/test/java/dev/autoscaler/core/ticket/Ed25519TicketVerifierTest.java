package dev.autoscaler.core.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoscaler.ManualClock;
import dev.autoscaler.spi.TicketClaims;
import dev.autoscaler.spi.TicketVerdict;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("ed25519 ticket verifier")
class Ed25519TicketVerifierTest {
    private static final String WORKER = "worker-7";
    private static final String URL = "http://10.0.0.7:40123";
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private ManualClock clock;
    private Ed25519KeyRing ring;
    private Ed25519TicketSigner signer;
    private Ed25519TicketVerifier verifier;

    @BeforeEach
    void setUp() {
        clock = new ManualClock();
        ring = Ed25519KeyRing.generate().useTiming(clock, Ed25519KeyRing.DEFAULT_OVERLAP);
        signer = Ed25519TicketSigner.create(ring);
        verifier = verifierFor(ring);
    }

    private Ed25519TicketVerifier verifierFor(Ed25519KeyRing keys) {
        return Ed25519TicketVerifier.builder().trustJwks(keys.jwksJson()).clock(clock).audience(WORKER).build();
    }

    private TicketClaims claims(Instant issuedAt) {
        return new TicketClaims("llama3-prod", URL, 242.0, 17, 9001, WORKER, issuedAt);
    }

    private TicketClaims claims() {
        return claims(clock.now());
    }

    /** What a worker presents: the auth_data fields, with no audience (the verifier knows its own). */
    private static TicketClaims presented(TicketClaims signed) {
        return new TicketClaims(signed.endpoint(), signed.url(), signed.cost(), signed.reqnum(), signed.requestIdx(),
                null, signed.issuedAt());
    }

    private TicketVerdict verify(String ticket, TicketClaims signed) {
        return verifier.verify(ticket, presented(signed));
    }

    @Nested
    class Accepts {
        @Test
        void aFreshTicket() {
            TicketClaims claims = claims();
            assertThat(verify(signer.sign(claims), claims)).isEqualTo(TicketVerdict.accept());
        }

        @Test
        @DisplayName("an integer cost presented for a float cost signed (242 == 242.0)")
        void costComparedAsNumbers() {
            TicketClaims claims = claims();
            String ticket = signer.sign(claims);
            TicketClaims asInt = new TicketClaims(claims.endpoint(), URL, 242, 17, 9001, null, claims.issuedAt());
            assertThat(verifier.verify(ticket, asInt).accepted()).isTrue();
        }

        @Test
        @DisplayName("a ticket just before exp + leeway")
        void withinLeewayAfterExpiry() {
            TicketClaims claims = claims();
            String ticket = signer.sign(claims);
            clock.advance(Duration.ofSeconds(64).plusMillis(999));
            assertThat(verify(ticket, claims).accepted()).isTrue();
        }

        @Test
        @DisplayName("a ticket issued up to the leeway in the future (engine clock ahead)")
        void withinLeewayBeforeIssue() {
            TicketClaims claims = claims(clock.now().plusSeconds(5));
            assertThat(verify(signer.sign(claims), claims).accepted()).isTrue();
        }

        @Test
        @DisplayName("the audience from the presented claims when none is configured")
        void audienceFromPresentedClaims() {
            Ed25519TicketVerifier open = Ed25519TicketVerifier.builder().trustKeyRing(ring).clock(clock).build();
            TicketClaims claims = claims();
            assertThat(open.verify(signer.sign(claims), claims).accepted()).isTrue();
        }
    }

    @Nested
    class Rejects {
        @Test
        void anExpiredTicket() {
            TicketClaims claims = claims();
            String ticket = signer.sign(claims);
            clock.advance(Duration.ofSeconds(65));
            assertThat(verify(ticket, claims).reason()).isEqualTo("expired");
        }

        @Test
        void aTicketNotYetValid() {
            TicketClaims claims = claims(clock.now().plusSeconds(6));
            assertThat(verify(signer.sign(claims), claims).reason()).isEqualTo("not yet valid");
        }

        @Test
        void aTicketForAnotherWorker() {
            TicketClaims forOther = new TicketClaims("llama3-prod", URL, 242.0, 17, 9001, "worker-8", clock.now());
            assertThat(verify(signer.sign(forOther), forOther).reason()).isEqualTo("wrong audience");
        }

        @Test
        void aPresentedAudienceThatIsNotThisWorker() {
            TicketClaims claims = claims();
            TicketClaims other = new TicketClaims(claims.endpoint(), URL, 242.0, 17, 9001, "worker-8", claims.issuedAt());
            assertThat(verifier.verify(signer.sign(claims), other).reason()).startsWith("wrong audience");
        }

        @Test
        void aReplayedTicket() {
            TicketClaims claims = claims();
            String ticket = signer.sign(claims);
            assertThat(verify(ticket, claims).accepted()).isTrue();
            clock.advance(Duration.ofSeconds(30));
            assertThat(verify(ticket, claims).reason()).isEqualTo("replayed");
        }

        @Test
        void aTicketOfAnUnknownKey() {
            Ed25519TicketSigner stranger = Ed25519TicketSigner.create(Ed25519KeyRing.generate());
            TicketClaims claims = claims();
            assertThat(verify(stranger.sign(claims), claims).reason()).isEqualTo("unknown kid");
        }

        @Test
        @DisplayName("a payload claiming a trusted kid but signed by another key")
        void aForgedKid() {
            TicketClaims claims = claims();
            String genuine = signer.sign(claims);
            byte[] payload = Base64.getUrlDecoder().decode(genuine.substring(0, genuine.indexOf('.')));
            byte[] forgedSig = Ed25519SigningKey.generate().sign(payload, payload.length);
            String forged = genuine.substring(0, genuine.indexOf('.') + 1) + B64URL.encodeToString(forgedSig);
            assertThat(verify(forged, claims).reason()).isEqualTo("bad signature");
        }

        static Stream<Arguments> mismatches() {
            Instant t = Instant.parse("2026-01-01T00:00:00Z");
            return Stream.of(
                    Arguments.of("endpoint", new TicketClaims("other", URL, 242.0, 17, 9001, null, t)),
                    Arguments.of("url", new TicketClaims("llama3-prod", "http://10.0.0.8:40123", 242.0, 17, 9001, null, t)),
                    Arguments.of("cost", new TicketClaims("llama3-prod", URL, 242.5, 17, 9001, null, t)),
                    Arguments.of("reqnum", new TicketClaims("llama3-prod", URL, 242.0, 18, 9001, null, t)),
                    Arguments.of("request_idx", new TicketClaims("llama3-prod", URL, 242.0, 17, 9002, null, t)));
        }

        @ParameterizedTest(name = "presented {0} differs")
        @MethodSource("mismatches")
        void presentedFieldsThatDifferFromTheSignedOnes(String field, TicketClaims presented) {
            String ticket = signer.sign(claims());
            assertThat(verifier.verify(ticket, presented).reason()).isEqualTo(field + " mismatch");
        }

        @ParameterizedTest
        @NullAndEmptySource
        @ValueSource(strings = {".", "a.", ".b", "a.b", "a.b.c", "!!!.!!!", "e30.AAAA", "W10." + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                "e30." + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                "bm90IGpzb24." + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                "Ke4hMbErMmyFFCPjmTLmhD2PWg4/1CPUG+Mn7KI1ofB0egwfdAcJ3Rjn2gszSODJ6jLAtZPZGNRGcCVIamHGg1HLgUyprb6ks=="})
        void garbage(String garbage) {
            TicketVerdict verdict = verify(garbage, claims());
            assertThat(verdict.accepted()).isFalse();
        }

        @Test
        void aHugeTicket() {
            assertThat(verify("A".repeat(1_000_000) + ".AA", claims()).reason()).isEqualTo("ticket too long");
        }

        @Test
        void missingAuthData() {
            assertThat(verifier.verify(signer.sign(claims()), null).accepted()).isFalse();
        }

        @Test
        @DisplayName("every single-bit flip of the signature, and the genuine ticket still passes after all of them")
        void everySignatureBitFlip() {
            TicketClaims claims = claims();
            String ticket = signer.sign(claims);
            int dot = ticket.indexOf('.');
            byte[] signature = Base64.getUrlDecoder().decode(ticket.substring(dot + 1));
            List<String> accepted = new ArrayList<>();
            for (int bit = 0; bit < signature.length * 8; bit++) {
                byte[] flipped = signature.clone();
                flipped[bit / 8] ^= (byte) (1 << (bit % 8));
                String tampered = ticket.substring(0, dot + 1) + B64URL.encodeToString(flipped);
                if (verify(tampered, claims).accepted()) {
                    accepted.add("bit " + bit);
                }
            }
            assertThat(accepted).isEmpty();
            assertThat(verify(ticket, claims).accepted()).isTrue();
        }

        @Test
        @DisplayName("every single-bit flip of the payload, and the genuine ticket still passes after all of them")
        void everyPayloadBitFlip() {
            TicketClaims claims = claims();
            String ticket = signer.sign(claims);
            int dot = ticket.indexOf('.');
            byte[] payload = Base64.getUrlDecoder().decode(ticket.substring(0, dot));
            List<String> accepted = new ArrayList<>();
            for (int bit = 0; bit < payload.length * 8; bit++) {
                byte[] flipped = payload.clone();
                flipped[bit / 8] ^= (byte) (1 << (bit % 8));
                String tampered = B64URL.encodeToString(flipped) + ticket.substring(dot);
                if (verify(tampered, claims).accepted()) {
                    accepted.add("bit " + bit);
                }
            }
            assertThat(accepted).isEmpty();
            assertThat(verify(ticket, claims).accepted()).isTrue();
        }

        @Test
        @DisplayName("the same payload re-encoded with other spacing (the signature covers the bytes)")
        void reencodedPayload() {
            TicketClaims claims = claims();
            String ticket = signer.sign(claims);
            int dot = ticket.indexOf('.');
            String json = new String(Base64.getUrlDecoder().decode(ticket.substring(0, dot)), StandardCharsets.US_ASCII);
            String spaced = json.replace(",", ", ");
            String tampered = B64URL.encodeToString(spaced.getBytes(StandardCharsets.US_ASCII)) + ticket.substring(dot);
            assertThat(verify(tampered, claims).reason()).isEqualTo("bad signature");
        }

        @Test
        @DisplayName("a full replay memory forgets its oldest ticket and refuses it, never a newer one")
        void whenReplayMemoryIsFull() {
            Ed25519TicketVerifier small = Ed25519TicketVerifier.builder().trustKeyRing(ring).clock(clock)
                    .audience(WORKER).replayCapacity(1).build();
            TicketClaims first = claims();
            String firstTicket = signer.sign(first);
            assertThat(small.verify(firstTicket, presented(first)).accepted()).isTrue();
            TicketClaims second = claims();
            String secondTicket = signer.sign(second);
            assertThat(small.verify(secondTicket, presented(second)).accepted()).isTrue();
            assertThat(small.verify(firstTicket, presented(first)).reason()).startsWith("older than the replay memory");
            assertThat(small.verify(secondTicket, presented(second)).reason()).isEqualTo("replayed");
        }
    }

    @Test
    @DisplayName("the issue's flood: 100,000 cost-0 tickets in 15 s fill the replay memory, a fresh ticket still passes")
    void aFloodNeverLocksOutAFreshTicket() {
        List<String> flood = new ArrayList<>(100_000);
        List<TicketClaims> floodClaims = new ArrayList<>(100_000);
        for (int i = 0; i < 100_000; i++) {
            TicketClaims c = new TicketClaims("llama3-prod", URL, 0L, i, i, WORKER, clock.now());
            flood.add(signer.sign(c));
            floodClaims.add(c);
            if (i % 1000 == 999) {
                clock.advance(Duration.ofMillis(150)); // 100,000 over 15 s
            }
        }
        int accepted = 0;
        for (int i = 0; i < flood.size(); i++) {
            accepted += verifier.verify(flood.get(i), presented(floodClaims.get(i))).accepted() ? 1 : 0;
        }
        assertThat(accepted).isEqualTo(100_000); // the memory is full now

        TicketClaims legitimate = claims();
        assertThat(verify(signer.sign(legitimate), legitimate)).isEqualTo(TicketVerdict.accept());
        TicketClaims another = new TicketClaims("other-endpoint", URL, 1L, 1, 1, WORKER, clock.now());
        assertThat(verify(signer.sign(another), another)).isEqualTo(TicketVerdict.accept());
        // nothing replays meanwhile: the oldest forgotten ticket is refused, a remembered one too
        assertThat(verifier.verify(flood.get(0), presented(floodClaims.get(0))).accepted()).isFalse();
        assertThat(verifier.verify(flood.get(99_999), presented(floodClaims.get(99_999))).reason()).isEqualTo("replayed");
        clock.advance(Duration.ofSeconds(66));
        TicketClaims later = claims();
        assertThat(verify(signer.sign(later), later)).isEqualTo(TicketVerdict.accept());
    }

    @Test
    @DisplayName("threads verifying tampered and genuine tickets at once: every genuine one passes")
    void concurrentTamperingDoesNotPoison() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> {
                    int accepted = 0;
                    for (int i = 0; i < 100; i++) {
                        TicketClaims claims = claims();
                        String ticket = signer.sign(claims);
                        String tampered = ticket.substring(0, ticket.length() - 2)
                                + (ticket.endsWith("AA") ? "BA" : "AA");
                        verify(tampered, claims);
                        verify("garbage." + ticket, claims);
                        if (verify(ticket, claims).accepted()) {
                            accepted++;
                        }
                    }
                    return accepted;
                }));
            }
            for (Future<Integer> result : results) {
                assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo(100);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Nested
    class Rotation {
        @Test
        @DisplayName("a ticket signed before a rotation still verifies after it, with the new JWKS")
        void previousKeyStillVerifies() {
            TicketClaims claims = claims();
            String before = signer.sign(claims);
            ring.rotate();
            assertThat(verifierFor(ring).verify(before, presented(claims)).accepted()).isTrue();
        }

        @Test
        @DisplayName("a worker that fetched the JWKS before a rotation verifies tickets of the new current key")
        void nextKeyVerifiesBeforeRotation() {
            Ed25519TicketVerifier fetchedEarlier = verifierFor(ring);
            ring.rotate();
            TicketClaims claims = claims();
            assertThat(fetchedEarlier.verify(signer.sign(claims), presented(claims)).accepted()).isTrue();
        }

        @Test
        void rotateShiftsTheKeys() {
            Ed25519SigningKey current = ring.current();
            Ed25519SigningKey next = ring.next();
            assertThat(ring.previous()).isEmpty();
            assertThat(ring.rotate()).isEqualTo(next);
            assertThat(ring.current()).isEqualTo(next);
            assertThat(ring.previous()).contains(current);
            assertThat(ring.next()).isNotIn(current, next);
            assertThat(ring.publicKeys()).containsOnlyKeys(next.kid(), ring.next().kid(), current.kid());
        }

        @Test
        @DisplayName("two rotations retire a key: its tickets are then rejected as unknown")
        void twoRotationsRetireAKey() {
            TicketClaims claims = claims();
            String old = signer.sign(claims);
            ring.rotate();
            ring.rotate();
            assertThat(verifierFor(ring).verify(old, presented(claims)).reason()).isEqualTo("unknown kid");
        }

        @Test
        @DisplayName("the previous key lives for the overlap (ticket lifetime + leeway) only, then leaves the ring and the JWKS")
        void previousKeyOverlapIsBounded() {
            Ed25519SigningKey retired = ring.current();
            ring.rotate();
            assertThat(ring.previous()).contains(retired);
            assertThat(ring.previousValidUntil()).contains(clock.now().plus(Ed25519KeyRing.DEFAULT_OVERLAP));
            assertThat(ring.jwksJson()).contains("\"status\":\"previous\"", "\"exp\":", "\"signed_until\":");
            clock.advance(Ed25519KeyRing.DEFAULT_OVERLAP);
            assertThat(ring.previous()).isEmpty();
            assertThat(ring.publicKeys()).doesNotContainKey(retired.kid()).hasSize(2);
        }

        @Test
        @DisplayName("the issue's row: a ticket of the key before a rotation, 30 days later, is refused (fresh JWKS or one fetched in the overlap)")
        void aRotatedOutKeyIsRefusedThirtyDaysLater() {
            Ed25519SigningKey leaked = ring.current();
            ring.rotate();
            Ed25519TicketVerifier fetchedDuringOverlap = verifierFor(ring);
            clock.advance(Duration.ofDays(30));
            // whoever holds the leaked key signs a ticket that is fresh by its own iat and exp
            Ed25519TicketSigner forger = Ed25519TicketSigner.create(Ed25519KeyRing.of(leaked, ring.next(), null));
            TicketClaims claims = claims();
            String forged = forger.sign(claims);

            assertThat(verifierFor(ring).verify(forged, presented(claims)).reason()).isEqualTo("unknown kid");
            assertThat(fetchedDuringOverlap.verify(forged, presented(claims)).reason()).isEqualTo("key rotated out (past its overlap)");
        }

        @Test
        @DisplayName("during the overlap the previous key verifies only tickets issued before the rotation")
        void aPreviousKeyTicketIssuedAfterTheRotationIsForged() {
            Ed25519SigningKey leaked = ring.current();
            ring.rotate();
            clock.advance(Duration.ofSeconds(2));
            Ed25519TicketSigner forger = Ed25519TicketSigner.create(Ed25519KeyRing.of(leaked, ring.next(), null));
            TicketClaims claims = claims();

            assertThat(verifierFor(ring).verify(forger.sign(claims), presented(claims)).reason())
                    .isEqualTo("issued after its key was rotated out");
        }

        @Test
        @DisplayName("a ticket with a long lifetime of the previous key is refused once the overlap is over")
        void aLongLivedPreviousTicketEndsWithTheOverlap() {
            Ed25519TicketSigner longLived = Ed25519TicketSigner.builder(ring).lifetime(Duration.ofDays(1)).build();
            TicketClaims claims = claims();
            String ticket = longLived.sign(claims);
            ring.rotate();
            Ed25519TicketVerifier fetched = verifierFor(ring);
            clock.advance(Ed25519KeyRing.DEFAULT_OVERLAP);

            assertThat(fetched.verify(ticket, presented(claims)).reason()).isEqualTo("key rotated out (past its overlap)");
        }

        @Test
        @DisplayName("a worker refreshing its keys keeps its replay memory")
        void replaceTrustedKeys() {
            TicketClaims claims = claims();
            String ticket = signer.sign(claims);
            assertThat(verify(ticket, claims).accepted()).isTrue();
            ring.rotate();
            verifier.replaceTrustedKeys(ring.jwksJson());
            assertThat(verifier.trustedKids()).containsExactlyInAnyOrderElementsOf(ring.publicKeys().keySet());
            assertThat(verify(ticket, claims).reason()).isEqualTo("replayed");
        }
    }
}
