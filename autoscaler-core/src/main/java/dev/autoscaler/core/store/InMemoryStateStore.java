package dev.autoscaler.core.store;

import dev.autoscaler.StaleStateException;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.spi.RequestRecord;
import dev.autoscaler.spi.StateStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The default {@link StateStore}: everything in this process's memory, lock-free. Updates are
 * compare-and-set on the record's version, exactly as a shared store would do them, so the engine
 * and router code paths are the same whichever store backs them.
 */
public final class InMemoryStateStore implements StateStore {
    private final ConcurrentHashMap<String, AtomicLong> reqnums = new ConcurrentHashMap<>();
    private final AtomicLong requestIdx = new AtomicLong();
    private final ConcurrentHashMap<String, WorkerRecord> workers = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> workerIdByInstanceId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Long> insertionOrder = new ConcurrentHashMap<>();
    private final AtomicLong insertions = new AtomicLong();
    // Per endpoint, worker ids by insertion number: iterating it gives creation order with no sort.
    private final ConcurrentHashMap<String, ConcurrentSkipListMap<Long, String>> workerIdsByEndpoint =
            new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, RequestRecord> requests = new ConcurrentHashMap<>();
    // Per-endpoint indexes, so that a tick or a route reads its own endpoint's few records rather
    // than scanning every endpoint's (a tick over 1,000 endpoints would otherwise be quadratic).
    private final ConcurrentHashMap<String, Set<Long>> requestIdxsByEndpoint = new ConcurrentHashMap<>();

    @Override
    public long nextReqnum(String endpoint) {
        return reqnums.computeIfAbsent(endpoint, e -> new AtomicLong()).incrementAndGet();
    }

    @Override
    public long nextRequestIdx() {
        return requestIdx.incrementAndGet();
    }

    @Override
    public Optional<WorkerRecord> worker(String workerId) {
        return Optional.ofNullable(workers.get(workerId));
    }

    @Override
    public Optional<WorkerRecord> workerByInstanceId(String instanceId) {
        String workerId = workerIdByInstanceId.get(instanceId);
        return workerId == null ? Optional.empty() : worker(workerId);
    }

    @Override
    public List<WorkerRecord> workers(String endpoint) {
        ConcurrentSkipListMap<Long, String> ids = workerIdsByEndpoint.get(endpoint);
        if (ids == null) {
            return List.of();
        }
        List<WorkerRecord> result = new ArrayList<>(ids.size());
        for (String id : ids.values()) {
            WorkerRecord w = workers.get(id);
            if (w != null) {
                result.add(w);
            }
        }
        return result;
    }

    @Override
    public List<WorkerRecord> allWorkers() {
        List<WorkerRecord> result = new ArrayList<>(workers.values());
        result.sort(byInsertion());
        return result;
    }

    private Comparator<WorkerRecord> byInsertion() {
        return Comparator.comparingLong(w -> insertionOrder.getOrDefault(w.workerId(), Long.MAX_VALUE));
    }

    @Override
    public WorkerRecord insertWorker(WorkerRecord worker) {
        WorkerRecord stored = worker.toBuilder().version(1).build();
        if (workers.putIfAbsent(stored.workerId(), stored) != null) {
            throw new StaleStateException("worker " + stored.workerId() + " already exists");
        }
        long seq = insertions.incrementAndGet();
        insertionOrder.put(stored.workerId(), seq);
        workerIdsByEndpoint.computeIfAbsent(stored.endpoint(), e -> new ConcurrentSkipListMap<>()).put(seq, stored.workerId());
        indexInstance(null, stored);
        return stored;
    }

    @Override
    public WorkerRecord replaceWorker(WorkerRecord current, WorkerRecord next) {
        if (!current.workerId().equals(next.workerId()) || !current.endpoint().equals(next.endpoint())) {
            throw new IllegalArgumentException("cannot change a worker's id or endpoint: " + current.workerId() + " -> " + next.workerId());
        }
        WorkerRecord stored = next.toBuilder().version(current.version() + 1).build();
        boolean[] won = new boolean[1];
        workers.computeIfPresent(current.workerId(), (id, existing) -> {
            if (existing.version() != current.version()) {
                return existing;
            }
            won[0] = true;
            return stored;
        });
        if (!won[0]) {
            throw new StaleStateException("worker " + current.workerId() + " changed or is gone (version "
                    + current.version() + ")");
        }
        indexInstance(current, stored);
        return stored;
    }

    private void indexInstance(WorkerRecord before, WorkerRecord after) {
        if (before != null && !before.instanceId().isEmpty() && !before.instanceId().equals(after.instanceId())) {
            workerIdByInstanceId.remove(before.instanceId(), before.workerId());
        }
        if (!after.instanceId().isEmpty()) {
            workerIdByInstanceId.put(after.instanceId(), after.workerId());
        }
    }

    @Override
    public void removeWorker(String workerId) {
        WorkerRecord removed = workers.remove(workerId);
        Long seq = insertionOrder.remove(workerId);
        if (removed != null) {
            ConcurrentSkipListMap<Long, String> ids = workerIdsByEndpoint.get(removed.endpoint());
            if (ids != null && seq != null) {
                ids.remove(seq, workerId);
            }
            if (!removed.instanceId().isEmpty()) {
                workerIdByInstanceId.remove(removed.instanceId(), workerId);
            }
        }
    }

    @Override
    public Optional<RequestRecord> putRequestIfAbsent(RequestRecord request) {
        RequestRecord stored = withVersion(request, 1);
        RequestRecord existing = requests.putIfAbsent(stored.requestIdx(), stored);
        if (existing == null) {
            requestIdxsByEndpoint.computeIfAbsent(stored.endpoint(), e -> ConcurrentHashMap.newKeySet()).add(stored.requestIdx());
        }
        return Optional.ofNullable(existing);
    }

    @Override
    public Optional<RequestRecord> request(long requestIdx) {
        return Optional.ofNullable(requests.get(requestIdx));
    }

    @Override
    public boolean replaceRequest(RequestRecord current, RequestRecord next) {
        RequestRecord stored = withVersion(next, current.version() + 1);
        boolean[] won = new boolean[1];
        requests.computeIfPresent(current.requestIdx(), (idx, existing) -> {
            if (existing.version() != current.version()) {
                return existing;
            }
            won[0] = true;
            return stored;
        });
        return won[0];
    }

    @Override
    public Optional<RequestRecord> removeRequest(long requestIdx) {
        RequestRecord removed = requests.remove(requestIdx);
        if (removed != null) {
            Set<Long> idxs = requestIdxsByEndpoint.get(removed.endpoint());
            if (idxs != null) {
                idxs.remove(requestIdx);
            }
        }
        return Optional.ofNullable(removed);
    }

    @Override
    public List<RequestRecord> requests(String endpoint) {
        List<RequestRecord> result = new ArrayList<>();
        for (Long idx : requestIdxsByEndpoint.getOrDefault(endpoint, Set.of())) {
            RequestRecord r = requests.get(idx);
            if (r != null) {
                result.add(r);
            }
        }
        result.sort(Comparator.comparingLong(RequestRecord::requestIdx));
        return result;
    }

    private static RequestRecord withVersion(RequestRecord r, long version) {
        return new RequestRecord(r.requestIdx(), r.endpoint(), r.cost(), r.firstSeenNanos(), r.workerId(), r.reqnum(),
                version);
    }
}
