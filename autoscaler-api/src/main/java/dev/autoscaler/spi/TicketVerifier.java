package dev.autoscaler.spi;

/**
 * Checks a route answer's {@code signature} on the worker side. Fails closed: any doubt, any
 * exception inside, is a rejection, never a throw.
 */
public interface TicketVerifier {

    /**
     * @param signature the {@code signature} field of {@code auth_data}
     * @param presented the other fields of {@code auth_data}, with {@code audience} set to the worker's
     *                  own id
     */
    TicketVerdict verify(String signature, TicketClaims presented);
}
