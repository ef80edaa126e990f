package dev.autoscaler.core.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autoscaler.GroupTarget;
import dev.autoscaler.InvalidConfigException;
import dev.autoscaler.ScalingDecision;
import dev.autoscaler.spi.ScalingPolicy;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("GroupCap: a scarce GPU type in the simulated market")
class GroupCapTest {

    private static ScalingPolicy asking(GroupTarget fast, GroupTarget cheap) {
        Map<String, GroupTarget> targets = new LinkedHashMap<>();
        targets.put("fast", fast);
        targets.put("cheap", cheap);
        return snapshot -> ScalingDecision.of(targets, "asked");
    }

    @Test
    @DisplayName("holds the group to the cap, active first, and leaves the others alone")
    void caps() {
        ScalingDecision d = GroupCap.cap(asking(new GroupTarget(3, 2), new GroupTarget(5, 1)), "fast", 2).decide(null);

        assertThat(d.targets()).containsEntry("fast", new GroupTarget(2, 0)).containsEntry("cheap", new GroupTarget(5, 1));
        assertThat(d.reason()).endsWith("market has 2 of group fast's GPU");
    }

    @Test
    @DisplayName("fills the rest of the cap with cold workers")
    void coldFillsTheRest() {
        ScalingDecision d = GroupCap.cap(asking(new GroupTarget(1, 4), new GroupTarget(0, 0)), "fast", 3).decide(null);

        assertThat(d.targets().get("fast")).isEqualTo(new GroupTarget(1, 2));
    }

    @Test
    @DisplayName("a decision within the cap passes unchanged")
    void withinCap() {
        ScalingDecision asked = asking(new GroupTarget(1, 0), new GroupTarget(2, 0)).decide(null);

        assertThat(GroupCap.cap(asking(new GroupTarget(1, 0), new GroupTarget(2, 0)), "fast", 1).decide(null))
                .isEqualTo(asked);
    }

    @Test
    @DisplayName("a negative cap is refused, naming it")
    void negativeCap() {
        assertThatThrownBy(() -> GroupCap.capping("fast", -1)).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("max");
    }
}
