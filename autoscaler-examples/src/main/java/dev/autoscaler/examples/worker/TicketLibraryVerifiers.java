package dev.autoscaler.examples.worker;

import dev.autoscaler.Clock;
import dev.autoscaler.core.ticket.Ed25519TicketVerifier;
import dev.autoscaler.core.ticket.VastMessageFormat;
import dev.autoscaler.core.ticket.VastRsaVerifier;
import dev.autoscaler.spi.TicketVerdict;
import dev.autoscaler.spi.TicketVerifier;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The worker's verifiers from this project's ticket library: {@code vast-rsa} with the PEM of
 * {@code /pubkey/} (the current url-only message, or the older all-fields one, as Vast's worker
 * libraries accepted over time), and {@code ed25519} strong tickets with the engine's JWKS, bound to
 * this worker's id, checked for expiry and replay on the system clock.
 */
enum TicketLibraryVerifiers implements WorkerVerifiers {
    INSTANCE;

    @Override
    public TicketVerifier create(String rsaPublicKeyPem, Optional<String> jwks, String audience, boolean strongOnly,
                                 Supplier<Optional<String>> refetchJwks) {
        VastRsaVerifier urlOnly = VastRsaVerifier.fromPublicKeyPem(rsaPublicKeyPem, VastMessageFormat.URL_ONLY);
        VastRsaVerifier allFields = VastRsaVerifier.fromPublicKeyPem(rsaPublicKeyPem,
                VastMessageFormat.ALL_FIELDS_SORTED);
        TicketVerifier rsa = (signature, claims) -> {
            TicketVerdict current = urlOnly.verify(signature, claims);
            return current.accepted() ? current : allFields.verify(signature, claims);
        };
        Optional<TicketVerifier> strong = jwks.filter(j -> !j.isBlank()).map(j -> refreshing(Ed25519TicketVerifier.builder()
                .trustJwks(j).audience(audience).clock(Clock.system()).build(), refetchJwks));
        return new ShapeDispatchingVerifier(rsa, strong, strongOnly);
    }

    /** Seconds between two JWKS fetches for unknown kids, so that forged kids cannot make the worker hammer the engine. */
    static final long REFETCH_EVERY_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);

    /**
     * The verifier, fetching the engine's JWKS again when a ticket names a key it does not know (the
     * engine rotated since), at most every 10 s; the replay memory is kept across fetches.
     */
    private static TicketVerifier refreshing(Ed25519TicketVerifier verifier, Supplier<Optional<String>> refetchJwks) {
        java.util.concurrent.atomic.AtomicLong lastFetch = new java.util.concurrent.atomic.AtomicLong(System.nanoTime());
        return (signature, claims) -> {
            TicketVerdict verdict = verifier.verify(signature, claims);
            long last = lastFetch.get();
            if (verdict.accepted() || !"unknown kid".equals(verdict.reason())
                    || System.nanoTime() - last < REFETCH_EVERY_NANOS || !lastFetch.compareAndSet(last, System.nanoTime())) {
                return verdict;
            }
            Optional<String> fresh = refetchJwks.get();
            if (fresh.isEmpty()) {
                return verdict;
            }
            verifier.replaceTrustedKeys(fresh.get());
            return verifier.verify(signature, claims);
        };
    }
}
