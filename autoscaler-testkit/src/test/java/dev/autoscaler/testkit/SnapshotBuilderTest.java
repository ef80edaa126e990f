package dev.autoscaler.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoscaler.EndpointSnapshot;
import dev.autoscaler.GroupSnapshot;
import dev.autoscaler.GroupTarget;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("SnapshotBuilder")
class SnapshotBuilderTest {

    @Test
    @DisplayName("builds what its named fields say, with the engine's counts")
    void namedFields() {
        EndpointSnapshot s = SnapshotBuilder.endpoint("llm").config(c -> c.maxWorkers(6)).config(c -> c.targetUtil(0.5))
                .group("main", g -> g.perf(2000).serving(2).loadingForService(1).loadingForPool(1).drainingToStop(1)
                        .stopped(3))
                .arrivalRates(2500, 1200).waiting(400, 2).queueTime(1.5).build();

        assertThat(s.config().maxWorkers()).isEqualTo(6);
        assertThat(s.config().targetUtil()).isEqualTo(0.5);
        assertThat(s.config().coldWorkers()).isZero();
        GroupSnapshot main = s.groups().get(0);
        assertThat(main.perfEstimate()).isEqualTo(2000);
        assertThat(main.servingCount()).isEqualTo(2);
        assertThat(main.loadingForServiceCount()).isEqualTo(1);
        assertThat(main.loadingForPoolCount()).isEqualTo(1);
        assertThat(main.drainingToStopCount()).isEqualTo(1);
        assertThat(main.stoppedCount()).isEqualTo(3);
        assertThat(main.currentTarget()).isEqualTo(new GroupTarget(5, 3));
        assertThat(main.readyCapacity()).isEqualTo(4000);
        assertThat(s.load().arrivalRateShort()).isEqualTo(2500);
        assertThat(s.load().arrivalRateLong()).isEqualTo(1200);
        assertThat(s.load().waitingDemand()).isEqualTo(400);
        assertThat(s.load().waitingRequests()).isEqualTo(2);
        assertThat(s.load().secondsSinceLastRequest()).isZero();
        assertThat(s.load().fresh()).isTrue();
    }

    @Test
    @DisplayName("without a group has one named main, idle and fresh")
    void defaults() {
        EndpointSnapshot s = SnapshotBuilder.endpoint("llm").build();

        assertThat(s.groups()).extracting(GroupSnapshot::name).containsExactly("main");
        assertThat(s.load().secondsSinceLastRequest()).isInfinite();
        assertThat(SnapshotBuilder.endpoint("llm").stale().build().load().fresh()).isFalse();
    }
}
