package dev.autoscaler.core.history;

import dev.autoscaler.AutoscalerEvent;
import dev.autoscaler.GroupTarget;
import dev.autoscaler.core.Autoscaler;
import dev.autoscaler.spi.AutoscalerListener;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The last decisions of each endpoint, with their reasons, bounded per endpoint. Fed by the engine's
 * {@link AutoscalerEvent.TickCompleted}: a tick that changes a target is always an entry; a tick that
 * keeps them is an entry too (a hold for stale figures, a scale-down step...), but consecutive holds
 * for the same kind of reason fold into one entry that counts them and keeps the latest wording, so
 * that a quiet hour of identical holds does not push the changes out. "The same kind" compares the
 * reasons with their numbers masked: "forecast 812.5/s -> hold 3 active" and "forecast 790.1/s ->
 * hold 3 active" fold; a change of wording starts a new entry.
 */
public final class DecisionHistory implements AutoscalerListener {
    /** Entries kept per endpoint by default. */
    public static final int DEFAULT_CAPACITY = 200;
    private static final Pattern NUMBER = Pattern.compile("[-+]?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?");

    /**
     * One decision, or a run of consecutive holds of the same kind.
     *
     * @param at       when it was (first) made
     * @param lastAt   when it was last repeated ({@code at} for a single decision)
     * @param targets  the targets it set or kept, by group
     * @param previous the targets before (equal to {@code targets} for a hold)
     * @param reason   the (latest) reason
     * @param changed  whether it changed a target
     * @param count    how many ticks it stands for (1 for a change)
     */
    public record Entry(Instant at, Instant lastAt, Map<String, GroupTarget> targets, Map<String, GroupTarget> previous,
                        String reason, boolean changed, int count) {
        public Entry {
            targets = Map.copyOf(targets);
            previous = Map.copyOf(previous);
        }
    }

    private final int capacity;
    private final Map<String, Deque<Entry>> byEndpoint = new ConcurrentHashMap<>();

    public DecisionHistory() {
        this(DEFAULT_CAPACITY);
    }

    public DecisionHistory(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        }
        this.capacity = capacity;
    }

    /** A history listening to {@code engine} from now on (attach before {@code start()} to see the first ticks). */
    public static DecisionHistory attach(Autoscaler engine) {
        DecisionHistory history = new DecisionHistory();
        engine.addListener(history);
        return history;
    }

    @Override
    public void onTick(AutoscalerEvent.TickCompleted event) {
        Deque<Entry> entries = byEndpoint.computeIfAbsent(event.endpoint(), e -> new ArrayDeque<>());
        synchronized (entries) {
            Entry last = entries.peekLast();
            Map<String, GroupTarget> previous = last == null ? Map.of() : last.targets();
            if (!event.changed() && last != null && !last.changed() && last.targets().equals(event.targets())
                    && sameKind(last.reason(), event.reason())) {
                entries.pollLast();
                entries.addLast(new Entry(last.at(), event.at(), last.targets(), last.previous(), event.reason(), false,
                        last.count() + 1));
                return;
            }
            entries.addLast(new Entry(event.at(), event.at(), event.targets(), event.changed() ? previous : event.targets(),
                    event.reason(), event.changed(), 1));
            while (entries.size() > capacity) {
                entries.pollFirst();
            }
        }
    }

    /** The endpoint's entries, oldest first; empty for an endpoint never seen. */
    public List<Entry> entries(String endpoint) {
        Deque<Entry> entries = byEndpoint.get(endpoint);
        if (entries == null) {
            return List.of();
        }
        synchronized (entries) {
            return new ArrayList<>(entries);
        }
    }

    /** Forgets an endpoint (removed from the engine). */
    public void forget(String endpoint) {
        byEndpoint.remove(endpoint);
    }

    /** Whether two reasons say the same with other numbers ("hold 3 active" and "hold 4 active" do). */
    public static boolean sameKind(String a, String b) {
        return NUMBER.matcher(a).replaceAll("#").equals(NUMBER.matcher(b).replaceAll("#"));
    }
}
