package dev.autoscaler.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autoscaler.StaleStateException;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import dev.autoscaler.spi.RequestRecord;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The in-memory state store: atomic counters, versioned updates, per-endpoint views")
class InMemoryStateStoreTest {
    private final InMemoryStateStore store = new InMemoryStateStore();

    private static WorkerRecord worker(String id, String endpoint) {
        return WorkerRecord.builder(id, endpoint, "g", "l-" + id, "t").build();
    }

    @Test
    @DisplayName("reqnum counts per endpoint; request_idx is unique across endpoints")
    void counters() {
        assertThat(store.nextReqnum("a")).isEqualTo(1);
        assertThat(store.nextReqnum("a")).isEqualTo(2);
        assertThat(store.nextReqnum("b")).isEqualTo(1);
        assertThat(store.nextRequestIdx()).isEqualTo(1);
        assertThat(store.nextRequestIdx()).isEqualTo(2);
    }

    @Test
    @DisplayName("a replace against an old version fails; the winner's version is one more")
    void compareAndSet() {
        WorkerRecord v1 = store.insertWorker(worker("w", "e"));
        assertThat(v1.version()).isEqualTo(1);
        WorkerRecord v2 = store.replaceWorker(v1, v1.toBuilder().state(WorkerState.LOADING).instanceId("42").build());
        assertThat(v2.version()).isEqualTo(2);
        assertThatThrownBy(() -> store.replaceWorker(v1, v1.toBuilder().curLoad(5).build()))
                .isInstanceOf(StaleStateException.class);
        assertThat(store.workerByInstanceId("42")).contains(v2);
        assertThatThrownBy(() -> store.insertWorker(worker("w", "e"))).isInstanceOf(StaleStateException.class);
    }

    @Test
    @DisplayName("concurrent updates are none of them lost")
    void concurrentUpdates() throws Exception {
        store.insertWorker(worker("w", "e"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        for (int t = 0; t < 4; t++) {
            pool.execute(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                for (int i = 0; i < 1000; i++) {
                    store.updateWorker("w", w -> w.toBuilder().reservedLoad(w.reservedLoad() + 1).build());
                }
            });
        }
        start.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        assertThat(store.worker("w").orElseThrow().reservedLoad()).isEqualTo(4000);
    }

    @Test
    @DisplayName("an endpoint's views hold only its workers and requests, in creation order")
    void perEndpointViews() {
        store.insertWorker(worker("b1", "b"));
        store.insertWorker(worker("a1", "a"));
        store.insertWorker(worker("a2", "a"));
        store.removeWorker("a1");
        assertThat(store.workers("a")).extracting(WorkerRecord::workerId).containsExactly("a2");
        assertThat(store.allWorkers()).extracting(WorkerRecord::workerId).containsExactly("b1", "a2");

        RequestRecord r = new RequestRecord(7, "a", 100, 0, "", 0, 0);
        assertThat(store.putRequestIfAbsent(r)).isEmpty();
        assertThat(store.putRequestIfAbsent(r)).isPresent();
        RequestRecord stored = store.request(7).orElseThrow();
        assertThat(store.replaceRequest(stored, stored.routedTo("a2", 3))).isTrue();
        assertThat(store.replaceRequest(stored, stored.routedTo("a2", 4))).isFalse();
        assertThat(store.requests("a")).singleElement().satisfies(x -> assertThat(x.workerId()).isEqualTo("a2"));
        assertThat(store.requests("b")).isEmpty();
        store.removeRequest(7);
        assertThat(store.requests("a")).isEmpty();
    }
}
