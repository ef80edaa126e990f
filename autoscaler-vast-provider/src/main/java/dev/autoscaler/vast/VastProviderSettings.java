package dev.autoscaler.vast;

import dev.autoscaler.InvalidConfigException;
import dev.autoscaler.Settings;
import java.time.Duration;
import java.util.Objects;
import java.util.function.UnaryOperator;
import okhttp3.HttpUrl;

/**
 * The {@code vast} provider's settings, read from the provider's {@link Settings}. Every rejected
 * value throws {@link InvalidConfigException} naming the setting (never showing the key).
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>meaning</th><th>default</th></tr>
 *   <tr><td>{@code api_key}</td><td>Vast API key</td><td>env {@code VAST_API_KEY}; required</td></tr>
 *   <tr><td>{@code base_url}</td><td>API base URL</td><td>{@code https://console.vast.ai}</td></tr>
 *   <tr><td>{@code create_interval_s}</td><td>minimum seconds between creates</td><td>4.5</td></tr>
 *   <tr><td>{@code list_interval_s}</td><td>minimum seconds between list calls (pages)</td><td>1</td></tr>
 *   <tr><td>{@code manage_interval_s}</td><td>minimum seconds between calls on one manage path</td><td>1</td></tr>
 *   <tr><td>{@code search_interval_s}</td><td>minimum seconds between offer searches</td><td>1</td></tr>
 *   <tr><td>{@code max_retries}</td><td>retries of a 429/502/503/504/timeout</td><td>4</td></tr>
 *   <tr><td>{@code backoff_base_s}</td><td>backoff ceiling before the first retry, doubling</td><td>1</td></tr>
 *   <tr><td>{@code backoff_max_s}</td><td>largest backoff ceiling</td><td>30</td></tr>
 *   <tr><td>{@code timeout_s}</td><td>limit on one HTTP call</td><td>30</td></tr>
 *   <tr><td>{@code search_limit}</td><td>offers fetched per search</td><td>64</td></tr>
 *   <tr><td>{@code max_offer_attempts}</td><td>offers tried per create when they turn out gone</td><td>5</td></tr>
 *   <tr><td>{@code worker_port}</td><td>worker port assumed for an instance whose env does not say</td><td>3000</td></tr>
 * </table>
 */
public final class VastProviderSettings {
    public static final String DEFAULT_BASE_URL = "https://console.vast.ai";
    public static final String API_KEY_ENV = "VAST_API_KEY";

    private final String apiKey;
    private final String baseUrl;
    private final Duration createInterval;
    private final Duration listInterval;
    private final Duration manageInterval;
    private final Duration searchInterval;
    private final int maxRetries;
    private final Duration backoffBase;
    private final Duration backoffMax;
    private final Duration timeout;
    private final int searchLimit;
    private final int maxOfferAttempts;
    private final int workerPort;

    private VastProviderSettings(Settings s, UnaryOperator<String> env) {
        String key = s.get("api_key").filter(v -> !v.isBlank()).orElseGet(() -> env.apply(API_KEY_ENV));
        if (key == null || key.isBlank()) {
            throw new InvalidConfigException(s.fieldName("api_key"), "is required: set it, or the " + API_KEY_ENV
                    + " environment variable");
        }
        this.apiKey = key.trim();
        this.baseUrl = s.getString("base_url", DEFAULT_BASE_URL).trim();
        HttpUrl parsed = HttpUrl.parse(baseUrl);
        if (parsed == null) {
            throw new InvalidConfigException(s.fieldName("base_url"), "must be an http or https URL, got '" + baseUrl + "'");
        }
        this.createInterval = seconds(s, "create_interval_s", 4.5, false);
        this.listInterval = seconds(s, "list_interval_s", 1, false);
        this.manageInterval = seconds(s, "manage_interval_s", 1, false);
        this.searchInterval = seconds(s, "search_interval_s", 1, false);
        this.maxRetries = intIn(s, "max_retries", 4, 0, 20);
        this.backoffBase = seconds(s, "backoff_base_s", 1, true);
        this.backoffMax = seconds(s, "backoff_max_s", 30, true);
        if (backoffMax.compareTo(backoffBase) < 0) {
            throw new InvalidConfigException(s.fieldName("backoff_max_s"), "must be >= backoff_base_s");
        }
        this.timeout = seconds(s, "timeout_s", 30, true);
        this.searchLimit = intIn(s, "search_limit", 64, 1, 1000);
        this.maxOfferAttempts = intIn(s, "max_offer_attempts", 5, 1, 100);
        this.workerPort = intIn(s, "worker_port", 3000, 1, 65535);
    }

    /** Reads the settings; the API key falls back to the {@code VAST_API_KEY} environment variable. */
    public static VastProviderSettings from(Settings settings) {
        return from(settings, System::getenv);
    }

    /** Reads the settings, looking environment variables up with {@code env} (for tests). */
    public static VastProviderSettings from(Settings settings, UnaryOperator<String> env) {
        return new VastProviderSettings(Objects.requireNonNull(settings, "settings"), Objects.requireNonNull(env, "env"));
    }

    private static Duration seconds(Settings s, String key, double fallback, boolean positive) {
        double value = s.getDouble(key, fallback);
        if (positive ? value <= 0 : value < 0) {
            throw new InvalidConfigException(s.fieldName(key), "must be " + (positive ? "> 0" : ">= 0") + ", got " + value);
        }
        if (value > 86_400) {
            throw new InvalidConfigException(s.fieldName(key), "must be at most 86400 seconds, got " + value);
        }
        return Duration.ofNanos(Math.round(value * 1e9));
    }

    private static int intIn(Settings s, String key, int fallback, int min, int max) {
        int value = s.getInt(key, fallback);
        if (value < min || value > max) {
            throw new InvalidConfigException(s.fieldName(key), "must be in " + min + ".." + max + ", got " + value);
        }
        return value;
    }

    /**
     * A client builder set up from these settings; the caller adds clock and sleeper.
     *
     * @return this builder
     */
    public VastApiClient.Builder clientBuilder() {
        return VastApiClient.builder()
                .apiKey(apiKey)
                .baseUrl(baseUrl)
                .createInterval(createInterval)
                .listInterval(listInterval)
                .manageInterval(manageInterval)
                .searchInterval(searchInterval)
                .maxRetries(maxRetries)
                .backoff(backoffBase, backoffMax)
                .timeout(timeout);
    }

    public String baseUrl() {
        return baseUrl;
    }

    public Duration createInterval() {
        return createInterval;
    }

    public Duration listInterval() {
        return listInterval;
    }

    public Duration manageInterval() {
        return manageInterval;
    }

    public Duration searchInterval() {
        return searchInterval;
    }

    public int maxRetries() {
        return maxRetries;
    }

    public Duration timeout() {
        return timeout;
    }

    public int searchLimit() {
        return searchLimit;
    }

    public int maxOfferAttempts() {
        return maxOfferAttempts;
    }

    public int workerPort() {
        return workerPort;
    }

    /** Shows every setting but the key. */
    @Override
    public String toString() {
        return "VastProviderSettings{base_url=" + baseUrl + ", api_key=***, create_interval=" + createInterval
                + ", list_interval=" + listInterval + ", manage_interval=" + manageInterval + ", max_retries="
                + maxRetries + ", timeout=" + timeout + ", search_limit=" + searchLimit + "}";
    }
}
