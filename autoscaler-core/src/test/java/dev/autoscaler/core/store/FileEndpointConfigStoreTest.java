package dev.autoscaler.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autoscaler.EndpointConfig;
import dev.autoscaler.InvalidConfigException;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.WorkerTemplate;
import dev.autoscaler.core.json.EndpointConfigJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The endpoint set kept in a state directory")
class FileEndpointConfigStoreTest {
    @TempDir
    Path dir;

    FileEndpointConfigStore store() {
        return new FileEndpointConfigStore(dir, new EndpointConfigJson(name -> null));
    }

    static EndpointConfig llama() {
        return EndpointConfig.builder("llama").apiKey("client-secret-1").targetUtil(0.7).coldWorkers(1).maxWorkers(6)
                .policyParams(Map.of("forecast_window", "short")).drainTimeout(Duration.ofSeconds(90))
                .addGroup(WorkerGroupConfig.builder("rtx4090").template(WorkerTemplate.ofImage("vastai/vllm:latest"))
                        .searchParams("gpu_name=RTX_4090").weight(3).maxWorkers(4).maxPricePerHour(0.6).build())
                .addGroup(WorkerGroupConfig.builder("spare").overflow(true).build())
                .build();
    }

    @Test
    @DisplayName("nothing saved yet: empty, so the configuration's endpoints are used")
    void emptyBeforeTheFirstSave() {
        assertThat(store().load()).isEmpty();
    }

    @Test
    @DisplayName("what is saved reads back equal, API key included, in a file only its owner can read")
    void roundTrip() throws Exception {
        EndpointConfig other = EndpointConfig.builder("other").addGroup(WorkerGroupConfig.builder("g").build()).build();
        store().save(List.of(llama(), other));

        List<EndpointConfig> loaded = store().load().orElseThrow();

        assertThat(loaded).containsExactly(llama(), other);
        assertThat(loaded.get(0).apiKey()).contains("client-secret-1");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("endpoints.json"))))
                .isEqualTo("rw-------");
        try (var files = Files.list(dir)) {
            assertThat(files).as("no temporary file is left behind").containsExactly(dir.resolve("endpoints.json"));
        }
    }

    @Test
    @DisplayName("an empty set is a saved state too (every endpoint removed), not 'nothing saved'")
    void emptySetIsKept() {
        store().save(List.of());
        assertThat(store().load()).contains(List.of());
    }

    @Test
    @DisplayName("a later save replaces the earlier one whole")
    void laterSaveWins() {
        store().save(List.of(llama()));
        EndpointConfig changed = llama().toBuilder().maxWorkers(9).build();
        store().save(List.of(changed));
        assertThat(store().load().orElseThrow()).containsExactly(changed);
    }

    @Test
    @DisplayName("a corrupt file is an error naming it, never an empty set")
    void corruptFileIsAnError() throws Exception {
        Files.writeString(dir.resolve("endpoints.json"), "{\"format\": 1, \"endpoints\": [");
        assertThatThrownBy(() -> store().load()).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("state_dir").hasMessageContaining("endpoints.json").hasMessageContaining("corrupt");
    }

    @Test
    @DisplayName("a file whose endpoints do not validate is an error naming the field")
    void invalidEndpointIsAnError() throws Exception {
        Files.writeString(dir.resolve("endpoints.json"),
                "{\"format\": 1, \"endpoints\": [{\"endpoint_name\": \"x\", \"target_util\": 7, \"groups\": [{\"group_name\": \"g\"}]}]}");
        assertThatThrownBy(() -> store().load()).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("endpoints[0].target_util");
    }

    @Test
    @DisplayName("a file of another format version is refused")
    void otherFormatIsRefused() throws Exception {
        Files.writeString(dir.resolve("endpoints.json"), "{\"format\": 2, \"endpoints\": []}");
        assertThatThrownBy(() -> store().load()).isInstanceOf(InvalidConfigException.class).hasMessageContaining("format");
    }

    @Test
    @DisplayName("a save that cannot write says where")
    void unwritableDirectory() throws Exception {
        Path blocker = dir.resolve("not-a-dir");
        Files.writeString(blocker, "x");
        FileEndpointConfigStore store = new FileEndpointConfigStore(blocker, new EndpointConfigJson(name -> null));
        assertThatThrownBy(() -> store.save(List.of(llama()))).isInstanceOf(java.io.UncheckedIOException.class)
                .hasMessageContaining("not-a-dir");
    }
}
