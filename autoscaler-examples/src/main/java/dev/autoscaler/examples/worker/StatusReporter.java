package dev.autoscaler.examples.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts {@code /worker_status/} (every 1 s while busy, 10 s while idle, 2 s while the engine
 * answers errors; also while loading) and {@code /delete_requests/} (the second body form, batched
 * a few milliseconds) to {@code REPORT_ADDR}. All posting happens on one daemon thread.
 */
final class StatusReporter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StatusReporter.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long DELETE_BATCH_MILLIS = 50;

    /** What the worker's lifecycle says now: seconds to ready, max_perf, error text. */
    record Health(double loadtime, double maxPerf, String errorMsg) {
    }

    /** One finished (or rejected) request for {@code /delete_requests/}; times in Unix seconds. */
    record Finished(long requestIdx, boolean success, String status, double enteredQueueAt, double workStartedAt,
                    double workCompletedAt) {
    }

    private final WorkerSettings settings;
    private final WorkerMetrics metrics;
    private final Supplier<Health> health;
    private final HttpClient http;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "worker-reporter");
        t.setDaemon(true);
        return t;
    });
    private final List<Finished> finished = new ArrayList<>();
    private ScheduledFuture<?> nextReport;
    private long nextReportAtNanos;
    private long generation; // bumped by every (re)schedule, so a report knows if one was asked for meanwhile
    private boolean flushScheduled;

    StatusReporter(WorkerSettings settings, WorkerMetrics metrics, Supplier<Health> health, HttpClient http) {
        this.settings = settings;
        this.metrics = metrics;
        this.health = health;
        this.http = http;
    }

    /** The first report goes out one busy interval after start, as with Vast's worker library. */
    synchronized void start() {
        schedule(settings.busyReportInterval());
    }

    /** Reports within the busy interval (new work arrived) instead of waiting out an idle interval. */
    synchronized void nudge() {
        if (nextReportAtNanos - System.nanoTime() > settings.busyReportInterval().toNanos()) {
            schedule(settings.busyReportInterval());
        }
    }

    /** Reports at once (the worker became ready or broke). */
    synchronized void reportNow() {
        schedule(Duration.ZERO);
    }

    synchronized void finished(Finished request) {
        finished.add(request);
        if (!flushScheduled) {
            flushScheduled = true;
            thread.schedule(this::flushFinished, DELETE_BATCH_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }

    private synchronized void schedule(Duration delay) {
        if (thread.isShutdown()) {
            return;
        }
        if (nextReport != null) {
            nextReport.cancel(false);
        }
        generation++;
        nextReportAtNanos = System.nanoTime() + delay.toNanos();
        nextReport = thread.schedule(this::report, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void report() {
        long myGeneration;
        synchronized (this) {
            myGeneration = generation;
        }
        WorkerMetrics.Sample sample = metrics.take();
        Health h = health.get();
        ObjectNode body = JSON.createObjectNode();
        body.put("id", settings.workerId());
        body.put("mtoken", settings.masterToken());
        body.put("version", WorkerSettings.VERSION);
        body.put("url", settings.publicUrl());
        body.put("loadtime", h.loadtime());
        body.put("cur_load", sample.curLoad());
        body.put("new_load", sample.newLoad());
        body.put("rej_load", sample.rejLoad());
        body.put("cur_perf", sample.curPerf());
        body.put("max_perf", h.maxPerf());
        body.put("error_msg", h.errorMsg());
        body.put("num_requests_working", sample.working());
        body.put("num_requests_recieved", sample.received());
        ArrayNode idxs = body.putArray("working_request_idxs");
        sample.workingIdxs().forEach(idxs::add);
        body.put("additional_disk_usage", 0.0);
        body.put("cur_capacity", 0);
        body.put("max_capacity", 0);
        boolean ok = post("/worker_status/", body);
        if (!ok) {
            metrics.restore(sample);
        }
        synchronized (this) {
            if (generation != myGeneration) {
                return; // a report was asked for while this one was posting: it is already scheduled
            }
            schedule(!ok ? settings.errorRetryInterval()
                    : sample.working() > 0 || metrics.busy() ? settings.busyReportInterval()
                    : settings.idleReportInterval());
        }
    }

    private void flushFinished() {
        List<Finished> batch;
        synchronized (this) {
            batch = new ArrayList<>(finished);
            finished.clear();
            flushScheduled = false;
        }
        if (batch.isEmpty()) {
            return;
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("worker_id", settings.workerId());
        body.put("mtoken", settings.masterToken());
        ArrayNode requests = body.putArray("requests");
        for (Finished f : batch) {
            ObjectNode r = requests.addObject();
            r.put("request_idx", f.requestIdx());
            r.put("success", f.success());
            r.put("status", f.status());
            r.put("entered_queue_at", f.enteredQueueAt());
            r.put("work_started_at", f.workStartedAt());
            r.put("work_completed_at", f.workCompletedAt());
        }
        post("/delete_requests/", body);
    }

    private boolean post(String path, ObjectNode body) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(settings.reportAddr() + path))
                    .timeout(Duration.ofSeconds(5))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                    .build();
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 == 2) {
                return true;
            }
            log.warn("POST {} answered {}: {}", path, r.statusCode(), abbreviate(r.body()));
        } catch (IOException | IllegalArgumentException e) {
            log.warn("POST {} failed: {}", path, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
