package dev.autoscaler.core.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Distribution")
class DistributionTest {

    @Test
    @DisplayName("percentiles interpolate linearly between ranks")
    void interpolates() {
        Distribution d = Distribution.of(List.of(300.0, 100.0, 200.0));
        assertThat(d.count()).isEqualTo(3);
        assertThat(d.min()).isEqualTo(100);
        assertThat(d.p10()).isCloseTo(120, within(1e-9));
        assertThat(d.p50()).isEqualTo(200);
        assertThat(d.p90()).isCloseTo(280, within(1e-9));
        assertThat(d.p95()).isCloseTo(290, within(1e-9));
        assertThat(d.max()).isEqualTo(300);
    }

    @Test
    @DisplayName("no samples: every figure is NaN")
    void empty() {
        Distribution d = Distribution.of(List.of());
        assertThat(d.isEmpty()).isTrue();
        assertThat(d.p50()).isNaN();
    }
}
