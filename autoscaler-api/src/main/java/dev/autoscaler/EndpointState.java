package dev.autoscaler;

import java.util.Locale;

/** What the engine does with an endpoint's workers ({@code endpoint_state}, docs/PROTOCOL.md#endpoint-parameters). */
public enum EndpointState {
    /** The engine manages the workers: scales, replaces, routes. */
    ACTIVE,
    /** The engine leaves the workers as they are: no scaling, no replacement; routing goes on. */
    SUSPENDED,
    /** Every worker goes inactive (stopped, keeping its disk); nothing is routed. */
    STOPPED;

    /** {@return the wire name: {@code active}, {@code suspended}, {@code stopped}} */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a wire name, case-insensitively. */
    public static EndpointState fromWireName(String name) {
        for (EndpointState state : values()) {
            if (state.wireName().equalsIgnoreCase(name)) {
                return state;
            }
        }
        throw new InvalidConfigException("endpoint_state",
                "must be one of active, suspended, stopped; got '" + name + "'");
    }
}
