package dev.autoscaler.core.engine.internal;

import dev.autoscaler.AutoscalerEvent;
import dev.autoscaler.spi.AutoscalerListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Hands events to listeners; a listener that throws is logged and skipped, never the engine's problem. */
public final class EventPublisher {
    private static final Logger log = LoggerFactory.getLogger(EventPublisher.class);

    private final List<AutoscalerListener> listeners = new CopyOnWriteArrayList<>();

    public void add(AutoscalerListener listener) {
        listeners.add(listener);
    }

    public void remove(AutoscalerListener listener) {
        listeners.remove(listener);
    }

    public void publish(AutoscalerEvent event) {
        for (AutoscalerListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                log.warn("listener {} threw on {}; skipped", listener.getClass().getName(),
                        event.getClass().getSimpleName(), e);
            }
        }
    }
}
