package dev.autoscaler.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autoscaler.InvalidConfigException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("DemoCommand options")
class DemoCommandTest {

    @Test
    @DisplayName("defaults: the bundled trace at time scale 1/30 for two minutes, vast policy, report in demo-report")
    void defaults() {
        DemoCommand.Options o = DemoCommand.parse(new String[0]);

        assertThat(o.trace()).isEqualTo(DemoCommand.BUNDLED_TRACE);
        assertThat(o.timeScale()).isEqualTo(1.0 / 30);
        assertThat(o.duration()).isEqualTo(Duration.ofSeconds(120));
        assertThat(o.policy()).isEqualTo("vast");
        assertThat(o.reportDir()).isEqualTo(Path.of("demo-report"));
    }

    @Test
    @DisplayName("every option is read")
    void options() {
        DemoCommand.Options o = DemoCommand.parse(new String[] {"--duration", "30", "--trace", "t.csv", "--policy",
                "fixed", "--time-scale", "0.1", "--port", "8123", "--max-workers", "4", "--report-dir", "out"});

        assertThat(o).isEqualTo(new DemoCommand.Options(Duration.ofSeconds(30), "t.csv", "fixed", 0.1, 8123, 4,
                Path.of("out")));
    }

    @Test
    @DisplayName("a bad value names its option")
    void badValue() {
        assertThatThrownBy(() -> DemoCommand.parse(new String[] {"--time-scale", "-1"}))
                .isInstanceOf(InvalidConfigException.class).hasMessageStartingWith("--time-scale");
        assertThatThrownBy(() -> DemoCommand.parse(new String[] {"--port", "70000"}))
                .isInstanceOf(InvalidConfigException.class).hasMessageStartingWith("--port");
    }

    @Test
    @DisplayName("the workers' world is compressed like the trace: 1/30 gives 60,000 tokens/s and a 4 s cold load")
    void compressedWorld() {
        assertThat(DemoCommand.workerSettings(1.0 / 30)).containsEntry("throughput", "60000.0")
                .containsEntry("cold_load_ms", "4000").containsEntry("warm_load_ms", "500");
    }

    @Test
    @DisplayName("an unknown option is named")
    void unknown() {
        assertThatThrownBy(() -> DemoCommand.parse(new String[] {"--colour", "red"}))
                .isInstanceOf(InvalidConfigException.class).hasMessageStartingWith("--colour");
    }
}
