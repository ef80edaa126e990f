package dev.autoscaler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("GroupSnapshot's counts")
class GroupSnapshotTest {

    private static WorkerRecord worker(WorkerState state, WorkerIntent intent) {
        String id = state + "-" + intent;
        return WorkerRecord.builder(id, "ep", "main", "o:ep:main:" + id, "m").state(state).intent(intent).build();
    }

    private static GroupSnapshot group(WorkerRecord... workers) {
        return new GroupSnapshot(WorkerGroupConfig.builder("main").build(), List.of(workers), 1000, new GroupTarget(0, 0));
    }

    @Test
    @DisplayName("take every worker but one being destroyed exactly once, whatever its state and intent")
    void partition() {
        List<WorkerRecord> all = new ArrayList<>();
        for (WorkerState state : WorkerState.values()) {
            for (WorkerIntent intent : WorkerIntent.values()) {
                if (state != WorkerState.DESTROYED) {
                    all.add(worker(state, intent));
                }
            }
        }
        GroupSnapshot g = group(all.toArray(WorkerRecord[]::new));

        long counted = g.servingCount() + g.loadingForServiceCount() + g.loadingForPoolCount() + g.drainingCount()
                + g.stoppedCount();
        assertThat(counted).isEqualTo(all.size() - g.count(WorkerState.DESTROYING));
        assertThat(g.activeCount()).isEqualTo(counted - g.stoppedCount());
    }

    @Test
    @DisplayName("say what each worker is for: pool loading and draining to stop are not serving capacity")
    void whatEachIsFor() {
        GroupSnapshot g = group(worker(WorkerState.READY, WorkerIntent.ACTIVE),
                worker(WorkerState.LOADING, WorkerIntent.ACTIVE), worker(WorkerState.ERROR, WorkerIntent.ACTIVE),
                worker(WorkerState.LOADING, WorkerIntent.COLD), worker(WorkerState.READY, WorkerIntent.COLD),
                worker(WorkerState.DRAINING, WorkerIntent.COLD), worker(WorkerState.DRAINING, WorkerIntent.ACTIVE),
                worker(WorkerState.STOPPED, WorkerIntent.COLD), worker(WorkerState.STOPPING, WorkerIntent.ACTIVE));

        assertThat(g.servingCount()).isEqualTo(1);
        assertThat(g.loadingForServiceCount()).isEqualTo(2);
        assertThat(g.loadingForPoolCount()).isEqualTo(2);
        assertThat(g.drainingCount()).isEqualTo(2);
        assertThat(g.drainingToStopCount()).isEqualTo(1);
        assertThat(g.stoppedCount()).isEqualTo(2);
        assertThat(g.activeCount()).isEqualTo(7);
    }
}
