package dev.autoscaler.core.router.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongPredicate;

/**
 * When this router last touched each request it knows: the last re-poll of a waiting request, the
 * routing of a reserved one. {@link dev.autoscaler.spi.RequestRecord} keeps only the first call's
 * time, which says nothing about a client that still polls. Local to this router replica: a request
 * it has no time for is timed from its first call.
 */
public final class RequestTimes {
    private final ConcurrentHashMap<Long, Long> touched = new ConcurrentHashMap<>();

    public void touch(long requestIdx, long nowNanos) {
        touched.put(requestIdx, nowNanos);
    }

    public long lastTouched(long requestIdx, long fallbackNanos) {
        Long t = touched.get(requestIdx);
        return t == null ? fallbackNanos : t;
    }

    public void forget(long requestIdx) {
        touched.remove(requestIdx);
    }

    /**
     * Drops the times of requests that {@code exists} does not know, except those touched at or after
     * {@code sinceNanos} (a request recorded after {@code exists} was read).
     */
    public void retainIf(LongPredicate exists, long sinceNanos) {
        touched.entrySet().removeIf(e -> e.getValue() - sinceNanos < 0 && !exists.test(e.getKey()));
    }

    public int size() {
        return touched.size();
    }
}
