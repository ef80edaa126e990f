package dev.autoscaler.examples.worker;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches {@code GET {REPORT_ADDR}/pubkey/} as Vast's worker library does: 5 tries, waiting 1, 2,
 * 4 and 8 times the base backoff between them (about 15 s in all with the 1 s default).
 */
final class PubkeyFetcher {
    static final int TRIES = 5;
    private static final Logger log = LoggerFactory.getLogger(PubkeyFetcher.class);

    private final HttpClient http;
    private final String reportAddr;
    private final Duration backoff;

    PubkeyFetcher(HttpClient http, String reportAddr, Duration backoff) {
        this.http = http;
        this.reportAddr = reportAddr;
        this.backoff = backoff;
    }

    /** The PEM text, or empty after the last failed try. */
    Optional<String> fetch() throws InterruptedException {
        return fetchText("/pubkey/", TRIES);
    }

    /** One try at another key document (the Ed25519 JWKS); empty when the engine serves none. */
    Optional<String> fetchOnce(String path) throws InterruptedException {
        return fetchText(path, 1);
    }

    private Optional<String> fetchText(String path, int tries) throws InterruptedException {
        Duration wait = backoff;
        for (int attempt = 1; attempt <= tries; attempt++) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(reportAddr + path))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && !r.body().isBlank()) {
                    return Optional.of(r.body());
                }
                if (tries > 1) {
                    log.warn("GET {}{} answered {} (try {}/{})", reportAddr, path, r.statusCode(), attempt, tries);
                } else {
                    log.info("GET {}{} answered {}: not served by this engine", reportAddr, path, r.statusCode());
                }
            } catch (IOException | IllegalArgumentException e) {
                log.warn("GET {}{} failed: {} (try {}/{})", reportAddr, path, e.toString(), attempt, tries);
            }
            if (attempt < tries) {
                Thread.sleep(wait.toMillis());
                wait = wait.multipliedBy(2);
            }
        }
        return Optional.empty();
    }
}
