package dev.autoscaler.examples.worker;

import dev.autoscaler.spi.TicketVerifier;
import java.util.Optional;

/** TEMPORARY until dev.autoscaler.core.ticket lands on main. */
enum TicketLibraryVerifiers implements WorkerVerifiers {
    INSTANCE;

    @Override
    public TicketVerifier create(String rsaPublicKeyPem, Optional<String> jwks, String audience) {
        throw new UnsupportedOperationException("ticket library not merged yet");
    }
}
