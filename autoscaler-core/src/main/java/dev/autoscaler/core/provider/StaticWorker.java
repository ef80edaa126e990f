package dev.autoscaler.core.provider;

import dev.autoscaler.InvalidConfigException;
import java.util.Objects;

/**
 * One worker of a static fleet: a process started outside the engine, with its own
 * {@code MASTER_TOKEN}.
 *
 * @param id           its instance id, the {@code id} it reports (an integer, as the worker library sends it)
 * @param mtoken       the {@code MASTER_TOKEN} it was started with
 * @param url          its public base URL, no trailing slash
 * @param gpuName      the GPU type, or empty
 * @param pricePerHour what it costs, $/h (0 when it is yours anyway)
 */
public record StaticWorker(String id, String mtoken, String url, String gpuName, double pricePerHour) {
    public StaticWorker {
        if (id == null || id.isBlank()) {
            throw new InvalidConfigException("id", "is required");
        }
        try {
            Long.parseLong(id.trim());
        } catch (NumberFormatException e) {
            throw new InvalidConfigException("id", "must be an integer (the id the worker reports), got '" + id + "'");
        }
        id = id.trim();
        if (mtoken == null || mtoken.isEmpty()) {
            throw new InvalidConfigException("mtoken", "is required");
        }
        Objects.requireNonNull(url, "url");
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw new InvalidConfigException("url", "must start with http:// or https://, got '" + url + "'");
        }
        gpuName = Objects.requireNonNullElse(gpuName, "");
        if (!Double.isFinite(pricePerHour) || pricePerHour < 0) {
            throw new InvalidConfigException("price_per_hour", "must be a number >= 0, got " + pricePerHour);
        }
    }

    /**
     * A worker without GPU details.
     *
     * @param id its instance id
     * @param mtoken the {@code MASTER_TOKEN} it was started with
     * @param url its base URL
     */
    public StaticWorker(String id, String mtoken, String url) {
        this(id, mtoken, url, "", 0);
    }

    @Override
    public String toString() {
        return "StaticWorker[id=" + id + ", url=" + url + "]"; // never the token
    }
}
