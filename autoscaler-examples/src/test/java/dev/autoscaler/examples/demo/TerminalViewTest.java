package dev.autoscaler.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoscaler.WorkerState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("TerminalView")
class TerminalViewTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private static DemoRecorder.Sample sample(double at) {
        return new DemoRecorder.Sample(at, 1200, 60000, Map.of(WorkerState.READY, 2, WorkerState.LOADING, 1), 0.25);
    }

    @Test
    @DisplayName("on a terminal it redraws its four lines in place")
    void ansiRedraws() {
        TerminalView view = new TerminalView(out, true);

        view.show(sample(12), new DemoRecorder.Decision(11, "local: 3 active + 1 cold", "load rose"), 40, 10, 120);
        view.show(sample(13), null, 41, 10, 120);

        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("t     2/120 s", "ready 2  loading 1", "t 1 s: local: 3 active + 1 cold",
                "why: load rose", "\033[4A");
    }

    @Test
    @DisplayName("into a file it prints one plain line every few seconds")
    void plainLines() {
        TerminalView view = new TerminalView(out, false);

        for (int i = 0; i < 6; i++) {
            view.show(sample(i), null, i, 0, 120);
        }

        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text.lines()).hasSize(2);
        assertThat(text).doesNotContain("\033[");
    }
}
