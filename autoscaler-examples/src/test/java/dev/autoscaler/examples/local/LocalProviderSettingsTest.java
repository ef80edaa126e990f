package dev.autoscaler.examples.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autoscaler.InvalidConfigException;
import dev.autoscaler.Settings;
import java.io.File;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("LocalProviderSettings")
class LocalProviderSettingsTest {

    @Test
    @DisplayName("relative class path entries become absolute (workers run in their own directory)")
    void absoluteClasspath() {
        String cp = LocalProviderSettings.absolute("target/autoscaler.jar" + File.pathSeparator + "/opt/x.jar");

        assertThat(cp.split(File.pathSeparator)).containsExactly(
                Path.of("target/autoscaler.jar").toAbsolutePath().normalize().toString(), "/opt/x.jar");
    }

    @Test
    @DisplayName("emulation settings become the workers' EMU_ variables")
    void workerEnv() {
        LocalProviderSettings s = LocalProviderSettings.from(Settings.of(Map.of("throughput", "60000",
                "cold_load_ms", "4000", "jwks_path", "/keys/")));

        assertThat(s.workerEnv()).containsEntry("EMU_THROUGHPUT", "60000.0").containsEntry("EMU_COLD_LOAD_MS", "4000")
                .containsEntry("EMU_JWKS_PATH", "/keys/");
    }

    @Test
    @DisplayName("a bad value names its setting")
    void badValue() {
        assertThatThrownBy(() -> LocalProviderSettings.from(Settings.of(Map.of("throughput", "-5"))))
                .isInstanceOf(InvalidConfigException.class).hasMessageStartingWith("throughput");
        assertThatThrownBy(() -> LocalProviderSettings.from(Settings.of(Map.of("cold_load_ms", "soon"))))
                .isInstanceOf(InvalidConfigException.class).hasMessageStartingWith("cold_load_ms");
    }
}
