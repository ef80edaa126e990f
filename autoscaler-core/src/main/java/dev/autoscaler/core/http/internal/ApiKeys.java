package dev.autoscaler.core.http.internal;

import dev.autoscaler.EndpointConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collection;
import java.util.List;

/**
 * Checks the API key a client presents for an endpoint: the endpoint's own {@code api_key} when it
 * has one, else any of the engine's keys. With neither configured nothing is accepted (fail closed).
 * Comparisons take constant time.
 */
public final class ApiKeys {
    private final List<byte[]> engineKeys;

    public ApiKeys(Collection<String> engineKeys) {
        this.engineKeys = engineKeys.stream().filter(k -> k != null && !k.isEmpty())
                .map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
    }

    /** True when any one of the presented keys is valid for the endpoint. */
    public boolean accepts(EndpointConfig endpoint, Collection<String> presented) {
        for (String key : presented) {
            if (key != null && !key.isEmpty() && accepts(endpoint, key)) {
                return true;
            }
        }
        return false;
    }

    private boolean accepts(EndpointConfig endpoint, String key) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        if (endpoint.apiKey().isPresent()) {
            return MessageDigest.isEqual(endpoint.apiKey().get().getBytes(StandardCharsets.UTF_8), k);
        }
        boolean ok = false;
        for (byte[] engineKey : engineKeys) {
            ok |= MessageDigest.isEqual(engineKey, k);
        }
        return ok;
    }
}
