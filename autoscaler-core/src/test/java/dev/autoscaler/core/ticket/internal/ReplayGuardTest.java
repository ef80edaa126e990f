package dev.autoscaler.core.ticket.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoscaler.core.ticket.internal.ReplayGuard.Outcome;
import org.junit.jupiter.api.Test;

class ReplayGuardTest {

    @Test
    void secondUseIsAReplay() {
        ReplayGuard guard = new ReplayGuard(10);
        assertThat(guard.firstUse("e", "run.1", 1_000, 0)).isEqualTo(Outcome.FIRST_USE);
        assertThat(guard.firstUse("e", "run.1", 1_000, 500)).isEqualTo(Outcome.REPLAYED);
    }

    @Test
    void idsAreForgottenOnceExpired() {
        ReplayGuard guard = new ReplayGuard(10);
        guard.firstUse("e", "run.1", 1_000, 0);
        guard.firstUse("e", "run.2", 2_000, 0);
        guard.firstUse("e", "run.3", 3_000, 0);
        assertThat(guard.firstUse("e", "run.4", 9_000, 2_000)).isEqualTo(Outcome.FIRST_USE);
        assertThat(guard.size()).isEqualTo(2); // 3 and 4
    }

    @Test
    void aFullPartitionForgetsItsOldestAndRefusesEverythingUpToIt() {
        ReplayGuard guard = new ReplayGuard(2);
        guard.firstUse("e", "run.1", 9_000, 0);
        guard.firstUse("e", "run.2", 9_000, 0);
        assertThat(guard.firstUse("e", "run.3", 9_000, 10)).isEqualTo(Outcome.FIRST_USE);  // 1 forgotten
        assertThat(guard.firstUse("e", "run.1", 9_000, 20)).isEqualTo(Outcome.TOO_OLD);   // still refused
        assertThat(guard.firstUse("e", "run.2", 9_000, 20)).isEqualTo(Outcome.REPLAYED);
        assertThat(guard.firstUse("e", "run.0", 9_000, 20)).isEqualTo(Outcome.TOO_OLD);
        assertThat(guard.size()).isEqualTo(2);
    }

    @Test
    void partitionsAreBoundedApart() {
        ReplayGuard guard = new ReplayGuard(1);
        guard.firstUse("endpoint-a", "run.5", 9_000, 0);
        assertThat(guard.firstUse("endpoint-b", "run.1", 9_000, 0)).isEqualTo(Outcome.FIRST_USE);
        assertThat(guard.firstUse("endpoint-a", "run.5", 9_000, 0)).isEqualTo(Outcome.REPLAYED);
        assertThat(guard.firstUse("endpoint-a", "other-run.1", 9_000, 0)).isEqualTo(Outcome.FIRST_USE);
        assertThat(guard.partitions()).isEqualTo(3);
    }

    @Test
    void idsWithoutACounterFailClosedWhenFull() {
        ReplayGuard guard = new ReplayGuard(1);
        guard.firstUse("e", "a", 1_000, 0);
        assertThat(guard.firstUse("e", "b", 1_000, 10)).isEqualTo(Outcome.FULL);
        assertThat(guard.firstUse("e", "a", 1_000, 20)).isEqualTo(Outcome.REPLAYED);
        assertThat(guard.firstUse("e", "b", 5_000, 1_000)).isEqualTo(Outcome.FIRST_USE);
    }

    @Test
    void emptiedPartitionsAreDropped() {
        ReplayGuard guard = new ReplayGuard(10);
        guard.firstUse("a", "run.1", 1_000, 0);
        guard.firstUse("b", "run.1", 1_000, 0);
        guard.firstUse("c", "run.1", 9_000, 5_000);
        assertThat(guard.partitions()).isEqualTo(1);
    }
}
