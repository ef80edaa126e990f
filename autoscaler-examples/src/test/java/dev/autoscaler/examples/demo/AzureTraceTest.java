package dev.autoscaler.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autoscaler.InvalidConfigException;
import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("AzureTrace")
class AzureTraceTest {

    @Test
    @DisplayName("reads Azure timestamps into offsets from the first request")
    void offsets() throws Exception {
        List<TraceRequest> t = AzureTrace.read(new StringReader("""
                TIMESTAMP,ContextTokens,GeneratedTokens
                2023-11-16 18:15:46.5000000,374,44
                2023-11-16 18:15:48.0000000,396,109
                """), "test");

        assertThat(t).containsExactly(new TraceRequest(0, 374, 44),
                new TraceRequest(Duration.ofMillis(1500).toNanos(), 396, 109));
    }

    @Test
    @DisplayName("a bad row is an InvalidConfigException naming the line")
    void badRow() {
        assertThatThrownBy(() -> AzureTrace.read(new StringReader("t,c,g\n1.0,12\n"), "x.csv"))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("x.csv line 2");
    }

    @Test
    @DisplayName("the bundled conversation trace is on the class path")
    void bundled() {
        List<TraceRequest> t = AzureTrace.bundled();

        assertThat(t).hasSizeGreaterThan(19_000);
        assertThat(t.get(t.size() - 1).offsetNanos()).isGreaterThan(Duration.ofMinutes(55).toNanos());
    }
}
