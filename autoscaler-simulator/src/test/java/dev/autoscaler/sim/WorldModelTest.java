package dev.autoscaler.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.autoscaler.InvalidConfigException;
import dev.autoscaler.Settings;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class WorldModelTest {

    private static double[] draws(Lognormal d, int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = d.sampleSeconds(random);
        }
        Arrays.sort(x);
        return x;
    }

    @Test
    @DisplayName("boot time: median 120 s and p95 300 s over 20,000 draws, within 3 % and 5 %")
    void bootDistribution() {
        double[] x = draws(WorldModel.defaults().boot(), 20_000, 42);

        assertThat(x[10_000]).isCloseTo(120, within(120 * 0.03));
        assertThat(x[19_000]).isCloseTo(300, within(300 * 0.05));
    }

    @Test
    @DisplayName("resume time: median 15 s and p95 40 s over 20,000 draws")
    void resumeDistribution() {
        double[] x = draws(WorldModel.defaults().resume(), 20_000, 43);

        assertThat(x[10_000]).isCloseTo(15, within(15 * 0.03));
        assertThat(x[19_000]).isCloseTo(40, within(40 * 0.05));
    }

    @Test
    @DisplayName("a lognormal with p95 equal to its median is a fixed duration")
    void degenerate() {
        assertThat(new Lognormal(100, 100).sampleNanos(new SplittableRandom(1))).isEqualTo(100_000_000_000L);
    }

    @Test
    void defaultsAreDesignMd() {
        WorldModel w = WorldModel.defaults();

        assertThat(w.stuckLoadingFraction()).isEqualTo(0.02);
        assertThat(w.errorAfterReadyFraction()).isEqualTo(0.005);
        assertThat(w.resumeStallFraction()).isEqualTo(0.05);
        assertThat(w.maxInFlight()).isEqualTo(16);
        assertThat(w.busyReportSeconds()).isEqualTo(1);
        assertThat(w.idleReportSeconds()).isEqualTo(10);
        assertThat(w.storagePriceFraction()).isEqualTo(0.05);
        assertThat(w.offers()).extracting(GpuOffer::perf, GpuOffer::pricePerHour)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(2000.0, 0.40),
                        org.assertj.core.groups.Tuple.tuple(3500.0, 0.90));
    }

    @Test
    @DisplayName("settings override the defaults, offers included")
    void fromSettings() {
        WorldModel w = WorldModel.fromSettings(Settings.of(Map.of("boot_median_s", "60", "boot_p95_s", "90",
                "max_in_flight", "4", "offers", "A_100:1000:0.5, B:4000:1.2:0.9")));

        assertThat(w.boot()).isEqualTo(new Lognormal(60, 90));
        assertThat(w.maxInFlight()).isEqualTo(4);
        assertThat(w.offers()).containsExactly(new GpuOffer("A 100", 1000, 0.5, 1.0), new GpuOffer("B", 4000, 1.2, 0.9));
    }

    @Test
    @DisplayName("a bad value is an error naming its field")
    void rejectsBadValues() {
        assertThatThrownBy(() -> WorldModel.builder().stuckLoadingFraction(1.5).build())
                .isInstanceOfSatisfying(InvalidConfigException.class,
                        e -> assertThat(e.field()).isEqualTo("stuck_loading_fraction"));
        assertThatThrownBy(() -> WorldModel.fromSettings(Settings.of(Map.of("offers", "A:fast:1"))))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.field()).isEqualTo("offers"));
        assertThatThrownBy(() -> new Lognormal(100, 50))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.field()).isEqualTo("p95"));
    }
}
