package dev.autoscaler.vast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autoscaler.InvalidConfigException;
import dev.autoscaler.ManualClock;
import dev.autoscaler.Settings;
import dev.autoscaler.Sleeper;
import dev.autoscaler.core.provider.InstanceProviderFactories;
import dev.autoscaler.spi.InstanceProvider;
import dev.autoscaler.spi.ProviderContext;
import dev.autoscaler.vast.fake.FakeVastServer;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class VastInstanceProviderFactoryTest {
    private final ManualClock clock = new ManualClock();

    @Test
    @DisplayName("the library's plugin discovery finds the factory under the name vast")
    void discovered() {
        assertThat(InstanceProviderFactories.load().require("vast")).satisfies(f -> {
            assertThat(f).isInstanceOf(VastInstanceProviderFactory.class);
            assertThat(f.description()).contains("Vast");
        });
    }

    @Test
    @DisplayName("a provider made from settings talks to base_url with api_key")
    void fromSettings() {
        try (FakeVastServer fake = FakeVastServer.builder(clock).start()) {
            fake.addForeignInstance("hello", "RTX 3090");
            VastInstanceProviderFactory factory = new VastInstanceProviderFactory(name -> null, Sleeper.advancing(clock));

            try (InstanceProvider provider = factory.create(
                    Settings.of("provider_settings", Map.of("api_key", fake.apiKey(), "base_url", fake.baseUrl())),
                    new ProviderContext(clock, "http://engine:8080"))) {
                assertThat(provider.list()).extracting(i -> i.label()).containsExactly("hello");
            }
        }
    }

    @Test
    @DisplayName("the key may come from VAST_API_KEY")
    void keyFromEnvironment() {
        try (FakeVastServer fake = FakeVastServer.builder(clock).start()) {
            VastInstanceProviderFactory factory = new VastInstanceProviderFactory(
                    name -> name.equals("VAST_API_KEY") ? fake.apiKey() : null, Sleeper.advancing(clock));

            try (InstanceProvider provider = factory.create(Settings.of(Map.of("base_url", fake.baseUrl())),
                    new ProviderContext(clock, ""))) {
                assertThat(provider.list()).isEmpty();
            }
        }
    }

    @Test
    @DisplayName("without a key: InvalidConfigException naming api_key")
    void missingKey() {
        VastInstanceProviderFactory factory = new VastInstanceProviderFactory(name -> null, Sleeper.advancing(clock));

        assertThatThrownBy(() -> factory.create(Settings.empty(), new ProviderContext(clock, "")))
                .isInstanceOf(InvalidConfigException.class)
                .extracting(e -> ((InvalidConfigException) e).field()).isEqualTo("api_key");
    }
}
