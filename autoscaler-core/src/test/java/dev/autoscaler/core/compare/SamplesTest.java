package dev.autoscaler.core.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Samples: a bounded record of samples")
class SamplesTest {
    private static Samples of(int from, int to) {
        Samples s = new Samples();
        for (int v = from; v <= to; v++) {
            s.add(v);
        }
        return s;
    }

    @Test
    @DisplayName("below the capacity every sample is kept, oldest first")
    void keepsAllBelowCapacity() {
        Samples s = of(1, 5);

        assertThat(s.retained()).containsExactly(1, 2, 3, 4, 5);
        assertThat(Samples.distribution(List.of(s))).isEqualTo(Distribution.of(List.of(1.0, 2.0, 3.0, 4.0, 5.0)));
    }

    @Test
    @DisplayName("past the capacity it keeps the last 1,000, and the count, min and max of all")
    void keepsTheLastThousand() {
        Samples s = of(1, 5_000);

        assertThat(s.retainedCount()).isEqualTo(Samples.CAPACITY);
        assertThat(s.retained()[0]).isEqualTo(4_001);
        assertThat(s.retained()[Samples.CAPACITY - 1]).isEqualTo(5_000);
        Distribution d = Samples.distribution(List.of(s));
        // 4,001..5,000: median between 4,500 and 4,501
        assertThat(d).extracting(Distribution::count, Distribution::min, Distribution::p50, Distribution::max)
                .containsExactly(5_000, 1.0, 4_500.5, 5_000.0);
    }

    @Test
    @DisplayName("adding a record merges its count, min and max, and appends its retained samples in order")
    void addAll() {
        Samples into = of(1, 999);
        into.addAll(of(2_000, 2_010));

        assertThat(into.count()).isEqualTo(1_010);
        assertThat(into.retainedCount()).isEqualTo(Samples.CAPACITY);
        assertThat(into.retained()[0]).isEqualTo(11); // 1,010 samples: the first 10 dropped
        assertThat(into.retained()[Samples.CAPACITY - 1]).isEqualTo(2_010);
        assertThat(Samples.distribution(List.of(into)).min()).isEqualTo(1.0);
    }

    @Test
    @DisplayName("no samples: the empty distribution")
    void empty() {
        assertThat(Samples.distribution(List.of(new Samples(), new Samples()))).isEqualTo(Distribution.EMPTY);
    }
}
