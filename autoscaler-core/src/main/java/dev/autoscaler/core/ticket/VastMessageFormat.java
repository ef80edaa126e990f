package dev.autoscaler.core.ticket;

import dev.autoscaler.InvalidConfigException;
import dev.autoscaler.core.ticket.internal.PythonJson;
import dev.autoscaler.spi.TicketClaims;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which fields the {@code vast-rsa} signature covers. Either way the signed bytes are Python's
 * {@code json.dumps(message, indent=4, sort_keys=True)} as UTF-8 (see docs/PROTOCOL.md#vast-rsa).
 */
public enum VastMessageFormat {
    /**
     * The current Vast worker library: {@code {"url": url}} only. Deterministic per URL, so signatures
     * are cached by URL.
     */
    URL_ONLY("url-only"),
    /**
     * The older library: {@code cost, endpoint, reqnum, request_idx, url}. Every route answer gets a
     * fresh RSA signature (about 800 per second per core): use it only for workers that need it.
     */
    ALL_FIELDS_SORTED("all-fields-sorted");

    private final String wireName;

    VastMessageFormat(String wireName) {
        this.wireName = wireName;
    }

    /** {@return the name used in configuration and test vectors: {@code url-only} or {@code all-fields-sorted}} */
    public String wireName() {
        return wireName;
    }

    /**
     * The format with that wire name.
     *
     * @throws InvalidConfigException (field {@code signature_message_format}) for an unknown name
     */
    public static VastMessageFormat fromWireName(String name) {
        for (VastMessageFormat format : values()) {
            if (format.wireName.equals(name)) {
                return format;
            }
        }
        throw new InvalidConfigException("signature_message_format",
                "must be url-only or all-fields-sorted, got '" + name + "'");
    }

    /**
     * The message text that gets signed (encode it as UTF-8; it is ASCII anyway). {@code cost} prints as
     * Python prints the value the client sent: {@code Integer}/{@code Long} as an int ({@code 100}),
     * {@code Double} as a float ({@code 242.0}, {@code 1e+16}).
     */
    public String message(TicketClaims claims) {
        if (this == URL_ONLY) {
            return PythonJson.dumpsIndented(Map.of("url", claims.url()));
        }
        Map<String, Object> fields = new TreeMap<>();
        fields.put("cost", claims.cost());
        fields.put("endpoint", claims.endpoint());
        fields.put("reqnum", claims.reqnum());
        fields.put("request_idx", claims.requestIdx());
        fields.put("url", claims.url());
        return PythonJson.dumpsIndented(fields);
    }
}
