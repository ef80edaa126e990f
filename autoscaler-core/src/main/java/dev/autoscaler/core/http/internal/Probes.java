package dev.autoscaler.core.http.internal;

import dev.autoscaler.EndpointConfig;
import dev.autoscaler.core.Autoscaler;
import dev.autoscaler.core.ticket.TicketFormats;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The answers of {@code GET /healthz} and {@code GET /readyz}. Liveness is the process answering at
 * all. Readiness is four checks: the state store can serve
 * ({@link dev.autoscaler.spi.StateStore#checkAvailable()}), the control loop started a tick
 * within one and a half tick intervals (so a loop that stops shows within half an interval of its
 * first missed tick), every endpoint's ticket format has its signing key, and every provider in use
 * has answered a list since start ({@link #waitingReason} says why the engine waits). The answer names each
 * check and what failed, never a key, a worker or a figure of the traffic.
 */
public final class Probes {
    private final Autoscaler engine;
    private final TicketFormats tickets;

    private final java.util.function.BooleanSupplier controlLoopHere;

    public Probes(Autoscaler engine, TicketFormats tickets) {
        this(engine, tickets, () -> true);
    }

    /** With {@code controlLoopHere} false while another replica runs the control loop. */
    public Probes(Autoscaler engine, TicketFormats tickets, java.util.function.BooleanSupplier controlLoopHere) {
        this.engine = engine;
        this.tickets = tickets;
        this.controlLoopHere = controlLoopHere;
    }

    /** Check name to "ok" or what is wrong, in a stable order. */
    public Map<String, String> readiness() {
        Map<String, String> checks = new LinkedHashMap<>();
        checks.put("store", store());
        checks.put("control_loop", controlLoop());
        checks.put("keys", keys());
        checks.put("provider_list", providerList());
        return checks;
    }

    /**
     * Why the engine holds back now (no successful provider list since start, or the last one too
     * old for creates), empty when it does not. Shown beside the checks: a list that is only stale
     * holds back creates but not routing to the workers the engine knows, so it does not fail readiness.
     */
    public String waitingReason() {
        return engine.waitingReason().orElse("");
    }

    /** Not ready before the first successful list: the engine knows none of its workers yet. */
    private String providerList() {
        if (!engine.running() || engine.hasListedProviders()) {
            return "ok";
        }
        return engine.waitingReason().orElse("no successful provider list since start");
    }

    public static boolean allOk(Map<String, String> checks) {
        return checks.values().stream().allMatch("ok"::equals);
    }

    private String store() {
        try {
            engine.stateStore().checkAvailable();
            return "ok";
        } catch (RuntimeException e) {
            return "the state store failed a lookup (" + e.getClass().getSimpleName() + ")";
        }
    }

    private String controlLoop() {
        if (!controlLoopHere.getAsBoolean()) {
            return "ok"; // a follower: the leader replica runs it
        }
        if (!engine.running()) {
            return "the engine is not started";
        }
        Optional<Duration> since = engine.sinceLastTick();
        Duration interval = engine.tickInterval();
        Duration limit = interval.plus(interval.dividedBy(2));
        if (since.isEmpty()) {
            return "no control tick yet";
        }
        if (since.get().compareTo(limit) > 0) {
            return String.format(java.util.Locale.ROOT, "no control tick for %.1f s (interval %.1f s)",
                    since.get().toMillis() / 1000.0, interval.toMillis() / 1000.0);
        }
        return "ok";
    }

    private String keys() {
        if (tickets == null) {
            return "ok";
        }
        for (String name : engine.endpointNames()) {
            EndpointConfig e;
            try {
                e = engine.endpoint(name);
            } catch (dev.autoscaler.NotFoundException removed) {
                continue;
            }
            try {
                tickets.signer(e.ticketFormat());
            } catch (RuntimeException missing) {
                return "no signing key for ticket format " + e.ticketFormat();
            }
        }
        return "ok";
    }
}
