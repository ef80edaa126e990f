package dev.autoscaler.core.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("ComparisonReport ranking")
class ComparisonReportTest {

    private static HardwareFigures figures(String name, double served, double cost) {
        return new HardwareFigures(name, 1, served, cost, cost > 0 ? served / cost : Double.NaN, Distribution.EMPTY,
                Distribution.EMPTY, Distribution.EMPTY, 0, Double.NaN, 0, 0, Double.NaN);
    }

    private static ComparisonReport ranked(HardwareFigures... groups) {
        return ComparisonReport.ranked("llm", Instant.EPOCH, List.of(groups), List.of());
    }

    @Test
    @DisplayName("highest served work per dollar first, not most served work")
    void byWorkPerDollar() {
        ComparisonReport r = ranked(figures("big", 1000, 10), figures("cheap", 300, 1), figures("mid", 500, 2));
        assertThat(r.groups()).extracting(HardwareFigures::name).containsExactly("cheap", "mid", "big");
        assertThat(r.bestGroup()).contains("cheap");
    }

    @Test
    @DisplayName("groups with no cost or no served work come last, by name, and are never best")
    void unrankableLast() {
        ComparisonReport r = ranked(figures("z-idle", 0, 0), figures("paid", 10, 1), figures("a-free", 5, 0));
        assertThat(r.groups()).extracting(HardwareFigures::name).containsExactly("paid", "a-free", "z-idle");
        assertThat(ranked(figures("idle", 0, 3)).bestGroup()).isEmpty();
    }

    @Test
    @DisplayName("ties go by name")
    void ties() {
        ComparisonReport r = ranked(figures("b", 10, 1), figures("a", 20, 2));
        assertThat(r.groups()).extracting(HardwareFigures::name).containsExactly("a", "b");
    }

    @Test
    @DisplayName("the table names the best group")
    void table() {
        String table = ranked(figures("cheap", 300, 1), figures("big", 1000, 10)).toTable();
        assertThat(table).contains("best group: cheap").contains("ranked by served work per dollar");
    }
}
