package dev.autoscaler.vast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoscaler.spi.InstanceStatus;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VastStatusMapperTest {
    @ParameterizedTest(name = "actual={0} intended={1} cur_state={2} -> {3}")
    @DisplayName("the documented table")
    @CsvSource({
            "'',        running, running,  PROVISIONING",
            "null,      running, running,  PROVISIONING",
            "created,   running, running,  PROVISIONING",
            "loading,   running, running,  PROVISIONING",
            "rebooting, running, running,  PROVISIONING",
            "running,   running, running,  RUNNING",
            "running,   '',      '',       RUNNING",
            "running,   stopped, running,  STOPPED",
            "stopped,   stopped, stopped,  STOPPED",
            "frozen,    frozen,  running,  STOPPED",
            "stopped,   running, stopped,  PROVISIONING",
            "loading,   stopped, running,  STOPPED",
            "exited,    running, running,  FAILED",
            "exited,    stopped, stopped,  STOPPED",
            "unknown,   running, running,  FAILED",
            "offline,   running, running,  FAILED",
            "offline,   stopped, stopped,  FAILED",
            "running,   running, unloaded, FAILED",
            "Running,   Running, Running,  RUNNING",
            "teleporting, running, running, PROVISIONING"})
    void table(String actual, String intended, String curState, InstanceStatus expected) {
        assertThat(VastStatusMapper.map(actual, intended, curState)).isEqualTo(expected);
    }
}
