package dev.autoscaler.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("TraceCsv, the one trace parser")
class TraceCsvTest {
    private static List<long[]> rows(String csv) throws IOException {
        List<long[]> rows = new ArrayList<>();
        TraceCsv.parse(new StringReader(csv), "t.csv", (at, context, generated) -> rows.add(new long[] {at, context, generated}));
        return rows;
    }

    @Test
    @DisplayName("hands over arrival offset, context tokens and generated tokens apart, in file order")
    void columnsApart() throws IOException {
        List<long[]> rows = rows("TIMESTAMP,ContextTokens,GeneratedTokens\n"
                + "2023-11-16 18:15:46.5000000,374,44\n2023-11-16 18:15:48.0000000,396,109\n");

        assertThat(rows).containsExactly(new long[] {0, 374, 44}, new long[] {1_500_000_000L, 396, 109});
    }

    @Test
    @DisplayName("takes plain seconds for the timestamp, a three-column header of any name, and skips # comments")
    void secondsHeaderComments() throws IOException {
        List<long[]> rows = rows("t,c,g\n# a comment\n10.25,1,2\n12,3,4\n");

        assertThat(rows).containsExactly(new long[] {0, 1, 2}, new long[] {1_750_000_000L, 3, 4});
    }

    @Test
    @DisplayName("a bad row is a TraceFormatException naming the source and line")
    void badRow() {
        assertThatThrownBy(() -> rows("t,c,g\n1.0,12\n"))
                .isInstanceOf(TraceFormatException.class).hasMessageContaining("t.csv line 2: expected 3 columns");
    }

    @Test
    @DisplayName("a timestamp that is neither a date nor seconds names the forms it takes")
    void badTime() {
        assertThatThrownBy(() -> rows("1.2.3,1,2\n"))
                .isInstanceOf(TraceFormatException.class).hasMessageContaining("line 1")
                .hasMessageContaining("or be seconds");
    }
}
