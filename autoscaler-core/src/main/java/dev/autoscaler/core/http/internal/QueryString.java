package dev.autoscaler.core.http.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads parameters of a raw query string; a malformed escape makes that parameter absent, never an error. */
public final class QueryString {
    private QueryString() {
    }

    /** Every value of {@code name}, decoded. */
    public static List<String> values(String rawQuery, String name) {
        List<String> out = new ArrayList<>(1);
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                if (URLDecoder.decode(key, StandardCharsets.UTF_8).equals(name)) {
                    out.add(URLDecoder.decode(value, StandardCharsets.UTF_8));
                }
            } catch (IllegalArgumentException malformed) {
                // a bad %-escape: ignore this parameter
            }
        }
        return out;
    }
}
