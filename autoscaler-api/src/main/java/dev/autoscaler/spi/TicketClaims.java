package dev.autoscaler.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * What a route answer vouches for: the fields of {@code auth_data} a worker checks.
 *
 * @param endpoint   the endpoint's name
 * @param url        the chosen worker's URL
 * @param cost       the request's cost as it came on the wire (an Integer/Long or a Double: the
 *                   legacy signature format prints {@code 100} and {@code 100.0} differently)
 * @param reqnum     the endpoint's request counter
 * @param requestIdx the request's index
 * @param audience   who the ticket is for: the worker's id (strong tickets bind it)
 * @param issuedAt   when it was issued
 */
public record TicketClaims(String endpoint, String url, Number cost, long reqnum, long requestIdx, String audience,
                           Instant issuedAt) {
    public TicketClaims {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(cost, "cost");
        audience = Objects.requireNonNullElse(audience, "");
        Objects.requireNonNull(issuedAt, "issuedAt");
    }
}
