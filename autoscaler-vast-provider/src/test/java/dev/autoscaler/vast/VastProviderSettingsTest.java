package dev.autoscaler.vast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autoscaler.InvalidConfigException;
import dev.autoscaler.Settings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VastProviderSettingsTest {
    private static VastProviderSettings read(Map<String, String> values) {
        return VastProviderSettings.from(Settings.of(values), name -> null);
    }

    @Test
    @DisplayName("defaults: console.vast.ai, create 4.5 s, list and manage 1 s, 4 retries")
    void defaults() {
        VastProviderSettings s = read(Map.of("api_key", "k"));
        assertThat(s.baseUrl()).isEqualTo("https://console.vast.ai");
        assertThat(s.createInterval()).isEqualTo(Duration.ofMillis(4500));
        assertThat(s.listInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.manageInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.maxRetries()).isEqualTo(4);
        assertThat(s.workerPort()).isEqualTo(3000);
    }

    @Test
    @DisplayName("the key falls back to VAST_API_KEY")
    void keyFromEnv() {
        VastProviderSettings s = VastProviderSettings.from(Settings.empty(),
                name -> name.equals("VAST_API_KEY") ? "from-env" : null);
        assertThat(s.clientBuilder().build().toString()).doesNotContain("from-env");
    }

    @Test
    @DisplayName("no key at all names api_key and VAST_API_KEY")
    void missingKey() {
        assertThatThrownBy(() -> read(Map.of()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("api_key").hasMessageContaining("VAST_API_KEY");
    }

    @Test
    @DisplayName("overrides are read")
    void overrides() {
        VastProviderSettings s = read(Map.of("api_key", "k", "create_interval_s", "6", "list_interval_s", "0.5",
                "manage_interval_s", "2", "max_retries", "1", "base_url", "http://127.0.0.1:9/"));
        assertThat(s.createInterval()).isEqualTo(Duration.ofSeconds(6));
        assertThat(s.listInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(s.manageInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.maxRetries()).isEqualTo(1);
        assertThat(s.baseUrl()).isEqualTo("http://127.0.0.1:9/");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
            "base_url, ftp://x", "create_interval_s, -1", "list_interval_s, soon", "max_retries, -2",
            "max_retries, 1.5", "timeout_s, 0", "search_limit, 0", "worker_port, 70000", "backoff_max_s, 0.1"})
    @DisplayName("a bad value names its setting and never shows the key")
    void badValues(String key, String value) {
        assertThatThrownBy(() -> read(Map.of("api_key", "secret-key", key, value)))
                .isInstanceOf(InvalidConfigException.class)
                .satisfies(e -> assertThat(((InvalidConfigException) e).field()).isEqualTo(key))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret-key"));
    }

    @Test
    @DisplayName("errors name the setting with the settings' prefix, like the typed getters")
    void prefixed() {
        assertThatThrownBy(() -> VastProviderSettings.from(Settings.of("provider_settings",
                Map.of("api_key", "k", "max_retries", "99")), name -> null))
                .isInstanceOf(InvalidConfigException.class)
                .satisfies(e -> assertThat(((InvalidConfigException) e).field()).isEqualTo("provider_settings.max_retries"));
    }

    @Test
    @DisplayName("toString hides the key")
    void toStringHidesKey() {
        assertThat(read(Map.of("api_key", "secret-key")).toString()).doesNotContain("secret-key");
    }
}
