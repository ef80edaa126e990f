package dev.autoscaler.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autoscaler.EndpointConfig;
import dev.autoscaler.GroupTarget;
import dev.autoscaler.LoadReport;
import dev.autoscaler.ManualClock;
import dev.autoscaler.ManualScheduler;
import dev.autoscaler.ScalingDecision;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.core.Autoscaler;
import dev.autoscaler.core.provider.StaticInstanceProvider;
import dev.autoscaler.core.provider.StaticWorker;
import dev.autoscaler.core.router.RouteAnswer;
import dev.autoscaler.core.router.Router;
import dev.autoscaler.core.ticket.TicketFormats;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("AutoscalerMetrics, scraped in the Prometheus text format and parsed strictly")
class AutoscalerMetricsTest {
    private final ManualClock clock = new ManualClock();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Autoscaler engine = Autoscaler.builder().clock(clock).scheduler(scheduler)
            .provider(new StaticInstanceProvider(List.of(
                    new StaticWorker("101", "tok-101", "http://10.0.0.1:4001"),
                    new StaticWorker("102", "tok-102", "http://10.0.0.1:4002"))))
            .secret("0123456789abcdef0123456789abcdef".getBytes())
            .policies((name, params) -> s -> ScalingDecision.of(Map.of("gpu", new GroupTarget(2, 0)), "two, always"))
            .endpoint(EndpointConfig.builder("llm").coldWorkers(0).addGroup(WorkerGroupConfig.builder("gpu").build()).build())
            .build();
    private final AutoscalerMetrics metrics = AutoscalerMetrics.attach(engine, registry);
    private final Router router = Router.builder(engine).tickets(TicketFormats.builder().build()).build();

    private void report(WorkerRecord w, double maxPerf, double rejLoad) {
        engine.report(LoadReport.builder(Long.parseLong(w.instanceId()), "tok-" + w.instanceId())
                .maxPerf(maxPerf).rejLoad(rejLoad).url(w.url()).build());
    }

    private Map<String, PrometheusText.Family> scrape() {
        return PrometheusText.parse(registry.scrape());
    }

    @Test
    @DisplayName("shows workers by state, targets, ready perf, load, waiting, routes, queue time, decisions, provider calls and rejections")
    void liveValues() {
        engine.start();
        scheduler.advance(Duration.ofSeconds(5)); // first tick: creates two workers
        RouteAnswer waiting = router.route("llm", 300, 0);
        assertThat(waiting).isInstanceOf(RouteAnswer.NotReady.class);

        clock.advance(Duration.ofSeconds(3));
        for (WorkerRecord w : engine.workers("llm")) {
            report(w, 1000, 0);
        }
        RouteAnswer routed = router.route("llm", 300, ((RouteAnswer.NotReady) waiting).requestIdx());
        assertThat(routed).isInstanceOf(RouteAnswer.Routed.class);
        router.route("llm", 100, 0);
        report(engine.workers("llm").get(0), 1000, 250);
        scheduler.advance(Duration.ofSeconds(5)); // a hold: the targets stay at 2

        Map<String, PrometheusText.Family> m = scrape();
        Map<String, String> llm = Map.of("endpoint", "llm", "group", "gpu");
        assertThat(m.get("autoscaler_workers").type()).isEqualTo("gauge");
        assertThat(PrometheusText.value(m, "autoscaler_workers", Map.of("endpoint", "llm", "state", "ready"))).isEqualTo(2);
        assertThat(PrometheusText.value(m, "autoscaler_workers", Map.of("endpoint", "llm", "state", "loading"))).isZero();
        assertThat(PrometheusText.value(m, "autoscaler_target_workers", Map.of("endpoint", "llm", "kind", "active"))).isEqualTo(2);
        assertThat(PrometheusText.value(m, "autoscaler_ready_perf", llm)).isEqualTo(2000);
        assertThat(PrometheusText.value(m, "autoscaler_load", Map.of("endpoint", "llm", "window", "60s")))
                .isPositive().isLessThanOrEqualTo(400); // 400 perf units arrived within the window
        assertThat(PrometheusText.value(m, "autoscaler_waiting_requests", Map.of("endpoint", "llm"))).isZero();
        assertThat(PrometheusText.value(m, "autoscaler_cost_per_hour_usd", llm)).isZero(); // the static provider bills nothing
        assertThat(PrometheusText.value(m, "autoscaler_routes_total", Map.of("outcome", "waiting"))).isEqualTo(1);
        assertThat(PrometheusText.value(m, "autoscaler_routes_total", Map.of("outcome", "routed", "group", "gpu"))).isEqualTo(2);
        assertThat(m.get("autoscaler_queue_time_seconds").type()).isEqualTo("histogram");
        assertThat(PrometheusText.value(m, "autoscaler_queue_time_seconds_bucket", Map.of("le", "2.5"))).isEqualTo(1);
        assertThat(PrometheusText.value(m, "autoscaler_queue_time_seconds_bucket", Map.of("le", "5.0"))).isEqualTo(2);
        assertThat(PrometheusText.value(m, "autoscaler_queue_time_seconds_count", llm)).isEqualTo(2);
        assertThat(PrometheusText.value(m, "autoscaler_queue_time_seconds_sum", llm)).isEqualTo(3.0);
        assertThat(PrometheusText.value(m, "autoscaler_decisions_total", Map.of("kind", "change"))).isEqualTo(1);
        assertThat(PrometheusText.value(m, "autoscaler_decisions_total", Map.of("kind", "hold"))).isEqualTo(1);
        assertThat(PrometheusText.value(m, "autoscaler_provider_calls_total", Map.of("action", "create"))).isEqualTo(2);
        assertThat(PrometheusText.value(m, "autoscaler_rejected_load_total", llm)).isEqualTo(250);
        assertThat(PrometheusText.value(m, "autoscaler_reserved_load", llm)).isEqualTo(400);
    }

    @Test
    @DisplayName("engine-wide gauges: waiting for a provider list, then pending destroys of a removed endpoint while they fail")
    void engineWideGauges() {
        java.util.Map<String, dev.autoscaler.spi.Instance> made = new java.util.LinkedHashMap<>();
        dev.autoscaler.spi.InstanceProvider failingDestroys = new dev.autoscaler.spi.InstanceProvider() {
            @Override
            public dev.autoscaler.spi.Instance create(dev.autoscaler.spi.CreateInstanceRequest request) {
                String id = Integer.toString(500 + made.size());
                dev.autoscaler.spi.Instance instance = new dev.autoscaler.spi.Instance(id, request.label(),
                        dev.autoscaler.spi.InstanceStatus.RUNNING, "http://10.0.0.2:" + id, "RTX 4090", 0.5, 1);
                made.put(id, instance);
                return instance;
            }

            @Override
            public void start(String id) {
            }

            @Override
            public void stop(String id) {
            }

            @Override
            public void reboot(String id) {
            }

            @Override
            public void destroy(String id) {
                throw new dev.autoscaler.ProviderException(dev.autoscaler.ProviderException.Kind.UNAVAILABLE, "HTTP 500");
            }

            @Override
            public List<dev.autoscaler.spi.Instance> list() {
                return List.copyOf(made.values());
            }
        };
        PrometheusMeterRegistry own = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Autoscaler e = Autoscaler.builder().clock(clock).scheduler(scheduler).provider(failingDestroys)
                .secret("0123456789abcdef0123456789abcdef".getBytes())
                .policies((name, params) -> s -> ScalingDecision.of(Map.of("gpu", new GroupTarget(1, 0)), "one"))
                .endpoint(EndpointConfig.builder("llm").coldWorkers(0).addGroup(WorkerGroupConfig.builder("gpu").build()).build())
                .build();
        AutoscalerMetrics.attach(e, own);
        Map<String, PrometheusText.Family> before = PrometheusText.parse(own.scrape());
        assertThat(PrometheusText.value(before, "autoscaler_waiting_for_provider_list", Map.of())).isEqualTo(1);

        e.start();
        scheduler.advance(Duration.ofSeconds(5)); // creates one worker
        e.removeEndpoint("llm");
        scheduler.advance(Duration.ofSeconds(5)); // its destroy fails: retried, pending
        scheduler.advance(Duration.ofSeconds(5));

        Map<String, PrometheusText.Family> m = PrometheusText.parse(own.scrape());
        assertThat(PrometheusText.value(m, "autoscaler_waiting_for_provider_list", Map.of())).isZero();
        assertThat(PrometheusText.value(m, "autoscaler_pending_destroys", Map.of())).isEqualTo(1);
        assertThat(PrometheusText.value(m, "autoscaler_orphan_instances", Map.of())).isZero();
        assertThat(m.get("autoscaler_pending_destroys").type()).isEqualTo("gauge");
    }

    @Test
    @DisplayName("the parser is strict: it rejects what the format forbids")
    void strictParser() {
        assertThatThrownBy(() -> PrometheusText.parse("x 1\n")).hasMessageContaining("before any TYPE");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE x gauge\nx{a=\"1} 1\n")).hasMessageContaining("unterminated");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE x gauge\nx 1\nx 2\n")).hasMessageContaining("twice");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE x gauge\nx one\n")).hasMessageContaining("bad value");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE x gauge\n# TYPE y gauge\ny 1\nx 1\n"))
                .hasMessageContaining("outside");
        assertThatThrownBy(() -> PrometheusText.parse(
                "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count 1\nh_sum 0\n"))
                .hasMessageContaining("falling");
        assertThat(PrometheusText.parse("# HELP x a \\\\ b\n# TYPE x counter\nx_total{a=\"q\\\"\"} +Inf 17\n")
                .get("x").help()).isEqualTo("a \\ b");
    }
}
