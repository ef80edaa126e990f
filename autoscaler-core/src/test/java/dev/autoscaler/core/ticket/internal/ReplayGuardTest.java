package dev.autoscaler.core.ticket.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoscaler.core.ticket.internal.ReplayGuard.Outcome;
import org.junit.jupiter.api.Test;

class ReplayGuardTest {

    @Test
    void secondUseIsAReplay() {
        ReplayGuard guard = new ReplayGuard(10);
        assertThat(guard.firstUse("a", 1_000, 0)).isEqualTo(Outcome.FIRST_USE);
        assertThat(guard.firstUse("a", 1_000, 500)).isEqualTo(Outcome.REPLAYED);
    }

    @Test
    void idsAreForgottenOnceExpired() {
        ReplayGuard guard = new ReplayGuard(10);
        guard.firstUse("a", 1_000, 0);
        guard.firstUse("b", 3_000, 0);
        guard.firstUse("c", 2_000, 0);
        assertThat(guard.firstUse("d", 9_000, 2_000)).isEqualTo(Outcome.FIRST_USE);
        assertThat(guard.size()).isEqualTo(2); // b and d
    }

    @Test
    void fullGuardRefusesRatherThanForgets() {
        ReplayGuard guard = new ReplayGuard(1);
        guard.firstUse("a", 1_000, 0);
        assertThat(guard.firstUse("b", 1_000, 10)).isEqualTo(Outcome.FULL);
        assertThat(guard.firstUse("a", 1_000, 20)).isEqualTo(Outcome.REPLAYED);
        assertThat(guard.firstUse("b", 5_000, 1_000)).isEqualTo(Outcome.FIRST_USE);
    }
}
