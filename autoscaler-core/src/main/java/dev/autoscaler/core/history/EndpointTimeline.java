package dev.autoscaler.core.history;

import dev.autoscaler.AutoscalerEvent;
import dev.autoscaler.EndpointSnapshot;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import dev.autoscaler.core.Autoscaler;
import dev.autoscaler.spi.AutoscalerListener;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each endpoint's recent past, for the dashboard's charts: at most one sample per {@code resolution}
 * (taken from the control ticks), over a bounded {@code window} (by default 5 s over the last hour:
 * at most 720 samples per endpoint). A sample holds what the tick saw (arrival rate, ready capacity,
 * workers by state, waiting requests, $/h) and the 95th percentile of the queue times of the
 * requests routed since the previous sample.
 */
public final class EndpointTimeline implements AutoscalerListener {
    public static final Duration DEFAULT_RESOLUTION = Duration.ofSeconds(5);
    public static final Duration DEFAULT_WINDOW = Duration.ofHours(1);
    /** Queue times kept per sample interval to work out its p95; beyond it every other one is dropped. */
    private static final int QUEUE_SAMPLES = 4096;

    /**
     * One point of the timeline.
     *
     * @param at            the tick's time
     * @param load          work arriving per second, perf units/s (the 60 s window)
     * @param readyCapacity the summed perf of the ready workers, perf units/s
     * @param workers       workers by state (destroyed ones left out)
     * @param waiting       requests waiting at the router
     * @param costPerHour   the $/h of the workers billed at the full price (every state but stopped)
     * @param queueP95      the p95 of the queue times of the requests routed in this sample's interval,
     *                      seconds; NaN when none was
     * @param routed        how many requests were routed in the interval
     */
    public record Sample(Instant at, double load, double readyCapacity, Map<WorkerState, Integer> workers, int waiting,
                         double costPerHour, double queueP95, int routed) {
        public Sample {
            workers = Map.copyOf(workers);
        }
    }

    private final long resolutionMillis;
    private final long windowMillis;
    private final Map<String, Series> series = new ConcurrentHashMap<>();

    public EndpointTimeline() {
        this(DEFAULT_RESOLUTION, DEFAULT_WINDOW);
    }

    public EndpointTimeline(Duration resolution, Duration window) {
        if (resolution.isNegative() || resolution.isZero() || window.compareTo(resolution) < 0) {
            throw new IllegalArgumentException("need 0 < resolution <= window, got " + resolution + ", " + window);
        }
        this.resolutionMillis = resolution.toMillis();
        this.windowMillis = window.toMillis();
    }

    /** A timeline listening to {@code engine} from now on. */
    public static EndpointTimeline attach(Autoscaler engine) {
        EndpointTimeline timeline = new EndpointTimeline();
        engine.addListener(timeline);
        return timeline;
    }

    public Duration resolution() {
        return Duration.ofMillis(resolutionMillis);
    }

    public Duration window() {
        return Duration.ofMillis(windowMillis);
    }

    @Override
    public void onRoute(AutoscalerEvent.RouteAnswered event) {
        if (event.outcome() == AutoscalerEvent.RouteOutcome.ROUTED) {
            series.computeIfAbsent(event.endpoint(), e -> new Series()).queueTime(event.queueSeconds());
        }
    }

    @Override
    public void onTick(AutoscalerEvent.TickCompleted event) {
        series.computeIfAbsent(event.endpoint(), e -> new Series()).tick(event);
    }

    /** The endpoint's samples, oldest first; empty for an endpoint never seen. */
    public List<Sample> samples(String endpoint) {
        Series s = series.get(endpoint);
        return s == null ? List.of() : s.samples();
    }

    /** Forgets an endpoint (removed from the engine). */
    public void forget(String endpoint) {
        series.remove(endpoint);
    }

    private final class Series {
        private final Deque<Sample> samples = new ArrayDeque<>();
        private double[] queueTimes = new double[64];
        private int queued;
        private int routed;

        synchronized void queueTime(double seconds) {
            routed++;
            if (queued == QUEUE_SAMPLES) {
                // keep every other one: the interval's distribution, at half the density
                for (int i = 0; i < queued / 2; i++) {
                    queueTimes[i] = queueTimes[2 * i + 1];
                }
                queued /= 2;
            }
            if (queued == queueTimes.length) {
                queueTimes = Arrays.copyOf(queueTimes, Math.min(QUEUE_SAMPLES, queued * 2));
            }
            queueTimes[queued++] = seconds;
        }

        synchronized void tick(AutoscalerEvent.TickCompleted event) {
            long at = event.at().toEpochMilli();
            Sample last = samples.peekLast();
            if (last != null && at - last.at().toEpochMilli() < resolutionMillis) {
                return; // the routes seen so far count toward the next sample
            }
            samples.addLast(sample(event.at(), event.snapshot()));
            while (!samples.isEmpty() && at - samples.peekFirst().at().toEpochMilli() > windowMillis) {
                samples.pollFirst();
            }
        }

        private Sample sample(Instant at, EndpointSnapshot snapshot) {
            Map<WorkerState, Integer> byState = new EnumMap<>(WorkerState.class);
            double readyPerf = 0;
            double cost = 0;
            for (WorkerRecord w : snapshot.workers()) {
                if (w.state() == WorkerState.DESTROYED) {
                    continue;
                }
                byState.merge(w.state(), 1, Integer::sum);
                if (w.state() == WorkerState.READY) {
                    readyPerf += w.perf();
                }
                if (w.state() != WorkerState.STOPPED) {
                    cost += w.pricePerHour();
                }
            }
            double p95 = Double.NaN;
            if (queued > 0) {
                double[] sorted = Arrays.copyOf(queueTimes, queued);
                Arrays.sort(sorted);
                p95 = sorted[(int) Math.min(queued - 1, Math.ceil(0.95 * queued) - 1)];
            }
            Sample s = new Sample(at, snapshot.load().arrivalRateShort(), readyPerf, byState,
                    snapshot.load().waitingRequests(), cost, p95, routed);
            queued = 0;
            routed = 0;
            return s;
        }

        synchronized List<Sample> samples() {
            return new ArrayList<>(samples);
        }
    }
}
