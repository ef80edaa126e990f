package dev.autoscaler.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class TraceReaderTest {

    private static Workload read(String csv) throws IOException {
        return TraceReader.standard().read(new StringReader(csv), "test.csv");
    }

    @Nested
    @DisplayName("good input")
    class Good {
        @Test
        @DisplayName("the bundled excerpt: 300 requests from 18:15:46.68059 to 18:17:10.709692, costs summed")
        void readsTheExcerpt() {
            InputStream in = TraceReaderTest.class.getResourceAsStream("/traces/azure-llm-2023-conv-excerpt.csv");
            Workload w = TraceReader.standard().read(in, "azure-llm-2023-conv-excerpt.csv");

            assertThat(w.size()).isEqualTo(300);
            assertThat(w.arrivalNanos(0)).isZero();
            assertThat(w.cost(0)).isEqualTo(374 + 44);
            assertThat(w.arrivalNanos(1)).isEqualTo(4_314_579_000L); // 18:15:50.9951690 - 18:15:46.6805900
            assertThat(w.durationNanos()).isEqualTo(84_029_102_000L);
            assertThat(w.totalCost()).isEqualTo(346_870);
            assertThat(w.name()).isEqualTo("trace azure-llm-2023-conv-excerpt.csv");
        }

        @Test
        @DisplayName("the header is optional, blank lines are skipped, fractions may have 0 to 9 digits")
        void toleratesHeaderlessBlankAndShortFractions() throws IOException {
            Workload w = read("2023-11-16 18:00:00,10,5\n\n2023-11-16 18:00:01.5,1,2\r\n2023-11-16 18:00:02.123456789,0,0\n");

            assertThat(w.size()).isEqualTo(3);
            assertThat(w.arrivalNanos(1)).isEqualTo(1_500_000_000L);
            assertThat(w.arrivalNanos(2)).isEqualTo(2_123_456_789L);
            assertThat(w.cost(0)).isEqualTo(15);
        }

        @Test
        @DisplayName("a timestamp on the 31st crossing midnight into the next month is parsed right")
        void monthEnd() throws IOException {
            Workload w = read("TIMESTAMP,ContextTokens,GeneratedTokens\n2023-12-31 23:59:59.5,1,1\n2024-01-01 00:00:00.25,1,1\n");

            assertThat(w.arrivalNanos(1)).isEqualTo(750_000_000L);
        }

        @Test
        @DisplayName("the cost model picks context, generated or both")
        void costModels() throws IOException {
            String csv = "TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46.6805900,374,44\n";

            assertThat(new TraceReader(TraceCost.CONTEXT).read(new StringReader(csv), "t").cost(0)).isEqualTo(374);
            assertThat(new TraceReader(TraceCost.GENERATED).read(new StringReader(csv), "t").cost(0)).isEqualTo(44);
            assertThat(new TraceReader(TraceCost.TOTAL).read(new StringReader(csv), "t").cost(0)).isEqualTo(418);
        }
    }

    @Nested
    @DisplayName("a bad line is an error naming the source and the line")
    class Bad {
        private static final String HEADER = "TIMESTAMP,ContextTokens,GeneratedTokens\n";

        @Test
        void wrongColumnCount() {
            assertThatThrownBy(() -> read(HEADER + "2023-11-16 18:15:46.68,1,2\n2023-11-16 18:15:47.1,3\n"))
                    .isInstanceOfSatisfying(TraceFormatException.class, e -> {
                        assertThat(e.line()).isEqualTo(3);
                        assertThat(e.source()).isEqualTo("test.csv");
                        assertThat(e.field()).isEqualTo("trace");
                    })
                    .hasMessageContaining("test.csv line 3").hasMessageContaining("expected 3 columns");
        }

        @Test
        void tokensNotANumber() {
            assertThatThrownBy(() -> read(HEADER + "2023-11-16 18:15:46.68,abc,2\n"))
                    .isInstanceOf(TraceFormatException.class)
                    .hasMessageContaining("line 2").hasMessageContaining("ContextTokens must be a whole number, got 'abc'");
        }

        @Test
        void negativeTokens() {
            assertThatThrownBy(() -> read(HEADER + "2023-11-16 18:15:46.68,1,-2\n"))
                    .isInstanceOf(TraceFormatException.class)
                    .hasMessageContaining("line 2").hasMessageContaining("GeneratedTokens must be >= 0");
        }

        @Test
        void badTimestamp() {
            assertThatThrownBy(() -> read(HEADER + "2023-11-16 18:15:46.68,1,2\n2023-13-16 18:15:47,1,2\n"))
                    .isInstanceOf(TraceFormatException.class)
                    .hasMessageContaining("line 3").hasMessageContaining("TIMESTAMP must look like");
        }

        @Test
        void timeGoesBackwards() {
            assertThatThrownBy(() -> read(HEADER + "2023-11-16 18:15:46.68,1,2\n2023-11-16 18:15:46.60,1,2\n"))
                    .isInstanceOf(TraceFormatException.class)
                    .hasMessageContaining("line 3").hasMessageContaining("earlier than the line before");
        }

        @Test
        void notAHeader() {
            assertThatThrownBy(() -> read("time,tokens\n2023-11-16 18:15:46.68,1,2\n"))
                    .isInstanceOf(TraceFormatException.class)
                    .hasMessageContaining("line 1").hasMessageContaining("expected the header");
        }
    }
}
