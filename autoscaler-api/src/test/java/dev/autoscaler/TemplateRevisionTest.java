package dev.autoscaler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Template revisions and the draining state")
class TemplateRevisionTest {

    private static WorkerTemplate template(String image, Map<String, String> env) {
        return new WorkerTemplate(image, "", env, "", 32, List.of(8000));
    }

    @Test
    @DisplayName("a revision is 8 hex digits, the same for equal templates whatever the env's order")
    void stableAcrossEnvOrder() {
        Map<String, String> ab = new LinkedHashMap<>();
        ab.put("A", "1");
        ab.put("B", "2");
        Map<String, String> ba = new LinkedHashMap<>();
        ba.put("B", "2");
        ba.put("A", "1");

        String revision = template("vllm:1", ab).revision();

        assertThat(revision).matches("[0-9a-f]{8}");
        assertThat(template("vllm:1", ba).revision()).isEqualTo(revision);
    }

    @Test
    @DisplayName("changing any field changes the revision; shifting text between fields does too")
    void everyFieldCounts() {
        String base = template("vllm:1", Map.of("A", "1")).revision();

        assertThat(template("vllm:2", Map.of("A", "1")).revision()).isNotEqualTo(base);
        assertThat(template("vllm:1", Map.of("A", "2")).revision()).isNotEqualTo(base);
        assertThat(new WorkerTemplate("vllm:1", "", Map.of("A", "1"), "", 64, List.of(8000)).revision()).isNotEqualTo(base);
        assertThat(new WorkerTemplate("ab", "c", Map.of(), "", 32, List.of()).revision())
                .isNotEqualTo(new WorkerTemplate("a", "bc", Map.of(), "", 32, List.of()).revision());
    }

    @Test
    @DisplayName("draining is active and billed full, reached only from ready, and may go back to ready (a scale-down undone)")
    void drainingState() {
        assertThat(WorkerState.DRAINING.isActive()).isTrue();
        assertThat(WorkerState.DRAINING.isBilledFull()).isTrue();
        assertThat(WorkerState.DRAINING.isProvisioning()).isFalse();
        assertThat(WorkerState.READY.canMoveTo(WorkerState.DRAINING)).isTrue();
        assertThat(WorkerState.STOPPED.canMoveTo(WorkerState.DRAINING)).isFalse();
        assertThat(WorkerState.DRAINING.canMoveTo(WorkerState.READY)).isTrue();
        assertThat(WorkerState.DRAINING.canMoveTo(WorkerState.STOPPING)).isTrue();
        assertThat(WorkerState.DRAINING.canMoveTo(WorkerState.DESTROYING)).isTrue();
        assertThat(WorkerState.DRAINING.wireName()).isEqualTo("draining");
    }

    @Test
    @DisplayName("a record keeps its template revision through toBuilder; a builder that sets none means none")
    void recordRevision() {
        WorkerRecord w = WorkerRecord.builder("w", "e", "g", "l", "t").templateRevision("0a1b2c3d").build();

        assertThat(w.toBuilder().curLoad(3).build().templateRevision()).isEqualTo("0a1b2c3d");
        assertThat(WorkerRecord.builder("w", "e", "g", "l", "t").build().templateRevision()).isEmpty();
    }
}
