package dev.autoscaler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("Endpoint and group configs: Vast's defaults, and bad values rejected naming the field")
class EndpointConfigTest {

    @Test
    @DisplayName("defaults are Vast's")
    void defaults() {
        EndpointConfig c = EndpointConfig.builder("llm").build();
        assertThat(c.minLoad()).isZero();
        assertThat(c.minColdLoad()).isZero();
        assertThat(c.targetUtil()).isEqualTo(0.9);
        assertThat(c.coldMult()).isEqualTo(2.5);
        assertThat(c.coldWorkers()).isEqualTo(5);
        assertThat(c.maxWorkers()).isEqualTo(20);
        assertThat(c.maxQueueTime()).isEqualTo(30);
        assertThat(c.targetQueueTime()).isEqualTo(10);
        assertThat(c.inactivityTimeout()).isEmpty();
        assertThat(c.state()).isEqualTo(EndpointState.ACTIVE);
        assertThat(c.policy()).isEqualTo("vast");
        assertThat(c.ticketFormat()).isEqualTo("vast-rsa");
        WorkerGroupConfig g = WorkerGroupConfig.builder("g").build();
        assertThat(g.gpuRamGb()).isEqualTo(24);
        assertThat(g.workerPort()).isEqualTo(3000);
        assertThat(g.coldWorkers()).isEmpty();
        assertThat(g.weight()).isEqualTo(1);
        assertThat(g.maxWorkers()).isEmpty();
    }

    @Test
    @DisplayName("a group's max_workers is kept, survives toBuilder, takes part in equality, and 0 is allowed")
    void groupMaxWorkers() {
        WorkerGroupConfig g = WorkerGroupConfig.builder("g").maxWorkers(2).build();
        assertThat(g.maxWorkers()).hasValue(2);
        assertThat(g.toBuilder().build()).isEqualTo(g);
        assertThat(g.toBuilder().maxWorkers(3).build()).isNotEqualTo(g);
        assertThat(g.toBuilder().maxWorkers(null).build().maxWorkers()).isEmpty();
        assertThat(WorkerGroupConfig.builder("g").maxWorkers(0).build().maxWorkers()).hasValue(0);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
            "endpoint_name, bad name!",
            "endpoint_name, ''",
            "min_load, -1",
            "min_load, NaN",
            "min_cold_load, -0.5",
            "target_util, 0",
            "target_util, 1.5",
            "target_util, Infinity",
            "cold_mult, 0.5",
            "cold_workers, -1",
            "max_workers, -2",
            "max_queue_time, 0",
            "target_queue_time, -3",
            "inactivity_timeout, NaN",
            "loading_timeout, 0",
            "drain_timeout, 0",
    })
    @DisplayName("a bad endpoint value names its field and the value")
    void badEndpointValue(String field, String value) {
        Consumer<EndpointConfig.Builder> set = switch (field) {
            case "endpoint_name" -> b -> b.name(value);
            case "min_load" -> b -> b.minLoad(Double.parseDouble(value));
            case "min_cold_load" -> b -> b.minColdLoad(Double.parseDouble(value));
            case "target_util" -> b -> b.targetUtil(Double.parseDouble(value));
            case "cold_mult" -> b -> b.coldMult(Double.parseDouble(value));
            case "cold_workers" -> b -> b.coldWorkers(Integer.parseInt(value));
            case "max_workers" -> b -> b.maxWorkers(Integer.parseInt(value));
            case "max_queue_time" -> b -> b.maxQueueTime(Double.parseDouble(value));
            case "target_queue_time" -> b -> b.targetQueueTime(Double.parseDouble(value));
            case "inactivity_timeout" -> b -> b.inactivityTimeout(Double.parseDouble(value));
            case "loading_timeout" -> b -> b.loadingTimeout(Duration.ofSeconds(Long.parseLong(value)));
            case "drain_timeout" -> b -> b.drainTimeout(Duration.ofSeconds(Long.parseLong(value)));
            default -> throw new IllegalArgumentException(field);
        };
        EndpointConfig.Builder builder = EndpointConfig.builder("llm");
        set.accept(builder);
        assertThatThrownBy(builder::build)
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.field()).isEqualTo(field))
                .hasMessageStartingWith(field + ": ")
                .hasMessageContaining(value.isEmpty() ? "required" : value.equals("0") && field.endsWith("_timeout") && !field.startsWith("inactivity") ? "PT0S" : value);
    }

    @Test
    @DisplayName("inactivity_timeout may be negative (never zero) or zero (gate disabled)")
    void inactivityTimeoutSigns() {
        assertThat(EndpointConfig.builder("e").inactivityTimeout(-1.0).build().inactivityTimeout()).hasValue(-1);
        assertThat(EndpointConfig.builder("e").inactivityTimeout(0.0).build().inactivityTimeout()).hasValue(0);
    }

    @Test
    @DisplayName("a name longer than 255 characters is rejected")
    void longName() {
        assertThatThrownBy(() -> EndpointConfig.builder("a".repeat(256)).build())
                .hasMessage("endpoint_name: must be at most 255 characters, got 256");
    }

    @Test
    @DisplayName("duplicate group names are rejected naming the index")
    void duplicateGroups() {
        assertThatThrownBy(() -> EndpointConfig.builder("e").addGroup(WorkerGroupConfig.builder("a").build())
                .addGroup(WorkerGroupConfig.builder("a").build()).build())
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.field()).isEqualTo("groups[1].group_name"));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({"group_name, a.b", "gpu_ram, 0", "cold_workers, -1", "weight, -1", "max_price_per_hour, 0",
            "expected_perf, -5", "worker_port, 70000", "max_workers, -1"})
    @DisplayName("a bad group value names its field")
    void badGroupValue(String field, String value) {
        WorkerGroupConfig.Builder b = WorkerGroupConfig.builder("g");
        switch (field) {
            case "group_name" -> b.name(value);
            case "gpu_ram" -> b.gpuRamGb(Double.parseDouble(value));
            case "cold_workers" -> b.coldWorkers(Integer.parseInt(value));
            case "weight" -> b.weight(Double.parseDouble(value));
            case "max_price_per_hour" -> b.maxPricePerHour(Double.parseDouble(value));
            case "expected_perf" -> b.expectedPerf(Double.parseDouble(value));
            case "worker_port" -> b.workerPort(Integer.parseInt(value));
            case "max_workers" -> b.maxWorkers(Integer.parseInt(value));
            default -> throw new IllegalArgumentException(field);
        }
        assertThatThrownBy(b::build)
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.field()).isEqualTo(field))
                .hasMessageContaining(value);
    }

    @Test
    @DisplayName("toBuilder round-trips, and a group override of cold_workers wins")
    void toBuilderAndOverride() {
        EndpointConfig c = EndpointConfig.builder("e").coldWorkers(3)
                .addGroup(WorkerGroupConfig.builder("a").coldWorkers(1).build())
                .addGroup(WorkerGroupConfig.builder("b").build()).build();
        assertThat(c.toBuilder().build()).isEqualTo(c);
        assertThat(c.coldWorkersFor(c.group("a").orElseThrow())).isEqualTo(1);
        assertThat(c.coldWorkersFor(c.group("b").orElseThrow())).isEqualTo(3);
    }

    @Test
    @DisplayName("endpoint_state parses its wire names and rejects others naming the field")
    void endpointState() {
        assertThat(EndpointState.fromWireName("Suspended")).isEqualTo(EndpointState.SUSPENDED);
        assertThatThrownBy(() -> EndpointState.fromWireName("paused")).hasMessageStartingWith("endpoint_state: ");
    }

    @Test
    @DisplayName("plugin settings name the setting in their errors")
    void settings() {
        Settings s = Settings.of("policy_params", java.util.Map.of("step", "x", "flag", "maybe"));
        assertThatThrownBy(() -> s.getDouble("step", 1)).hasMessage("policy_params.step: must be a number, got 'x'");
        assertThatThrownBy(() -> s.getBoolean("flag", true)).hasMessageStartingWith("policy_params.flag: ");
        assertThatThrownBy(() -> s.require("missing")).hasMessage("policy_params.missing: is required");
        assertThat(s.getInt("absent", 7)).isEqualTo(7);
    }

    @Test
    @DisplayName("settings never print secret values")
    void settingsMaskSecrets() {
        Settings s = Settings.of(java.util.Map.of("api_key", "sk-123", "base_url", "http://x"));
        assertThat(s.toString()).doesNotContain("sk-123").contains("api_key=(set)").contains("base_url=http://x");
    }
}
