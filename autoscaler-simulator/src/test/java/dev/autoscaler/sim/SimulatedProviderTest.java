package dev.autoscaler.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.autoscaler.LoadReport;
import dev.autoscaler.ManualClock;
import dev.autoscaler.ProviderException;
import dev.autoscaler.Settings;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.core.provider.InstanceProviderFactories;
import dev.autoscaler.spi.CreateInstanceRequest;
import dev.autoscaler.spi.Instance;
import dev.autoscaler.spi.InstanceProviderFactory;
import dev.autoscaler.spi.InstanceStatus;
import dev.autoscaler.spi.ProviderContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SimulatedProviderTest {
    private static final long S = 1_000_000_000L;
    /** Boot exactly 100 s, resume exactly 10 s, reboot 20 s, no faults. */
    private static final WorldModel FIXED = WorldModel.builder().withoutFaults()
            .boot(new Lognormal(100, 100)).resume(new Lognormal(10, 10)).build();

    private final ManualClock clock = new ManualClock();
    private final EventQueue events = new EventQueue();
    private final List<LoadReport> reports = new ArrayList<>();
    private final List<Long> reportTimes = new ArrayList<>();

    private SimulatedProvider provider(WorldModel world) {
        SimulatedProvider p = new SimulatedProvider(world, clock, events, 5);
        p.reportTo(r -> {
            reports.add(r);
            reportTimes.add(clock.nanoTime());
        });
        return p;
    }

    private void runTo(double seconds) {
        long t = Math.round(seconds * 1e9);
        while (events.nextNanos() <= t) {
            clock.advanceTo(events.nextNanos());
            events.runNext();
        }
        clock.advanceTo(t);
    }

    private static CreateInstanceRequest request(WorkerGroupConfig group) {
        return new CreateInstanceRequest("ep", group, "sim:ep:" + group.name() + ":abc", Map.of("MASTER_TOKEN", "tok-1"));
    }

    private static CreateInstanceRequest request() {
        return request(WorkerGroupConfig.builder("g").build());
    }

    private LoadReport lastReport() {
        return reports.get(reports.size() - 1);
    }

    @Nested
    @DisplayName("renting")
    class Renting {
        @Test
        @DisplayName("picks the best perf per dollar: 2,000 perf/s at $0.40/h over 3,500 at $0.90/h")
        void bestPricePerformance() {
            Instance i = provider(FIXED).create(request());

            assertThat(i.gpuName()).isEqualTo("RTX 4090");
            assertThat(i.pricePerHour()).isEqualTo(0.40);
            assertThat(i.label()).isEqualTo("sim:ep:g:abc");
            assertThat(i.url()).isEqualTo("http://sim-1.invalid:3000");
        }

        @Test
        @DisplayName("honours gpu_name in search_params and max_price_per_hour")
        void filters() {
            SimulatedProvider p = provider(FIXED);

            assertThat(p.create(request(WorkerGroupConfig.builder("g").searchParams("gpu_name=H100_SXM num_gpus=1").build()))
                    .gpuName()).isEqualTo("H100 SXM");
            assertThatThrownBy(() -> p.create(request(WorkerGroupConfig.builder("g").maxPricePerHour(0.3).build())))
                    .isInstanceOfSatisfying(ProviderException.class,
                            e -> assertThat(e.kind()).isEqualTo(ProviderException.Kind.NO_OFFER));
        }

        @Test
        @DisplayName("needs the MASTER_TOKEN its worker reports with")
        void needsMtoken() {
            var noToken = new CreateInstanceRequest("ep", WorkerGroupConfig.builder("g").build(), "l", Map.of());

            assertThatThrownBy(() -> provider(FIXED).create(noToken)).isInstanceOfSatisfying(ProviderException.class,
                    e -> assertThat(e.kind()).isEqualTo(ProviderException.Kind.INVALID));
        }
    }

    @Nested
    @DisplayName("the worker's reports")
    class Reports {
        @Test
        @DisplayName("loading at 1 s with max_perf 0, then every 10 s, then ready with its benchmark at boot end")
        void bootSequence() {
            SimulatedProvider p = provider(FIXED);
            Instance i = p.create(request());
            runTo(100);

            assertThat(reportTimes).containsExactly(1 * S, 11 * S, 21 * S, 31 * S, 41 * S, 51 * S, 61 * S, 71 * S,
                    81 * S, 91 * S, 100 * S);
            assertThat(reports.get(0).id()).isEqualTo(Long.parseLong(i.id()));
            assertThat(reports.get(0).mtoken()).isEqualTo("tok-1");
            assertThat(reports.get(0).maxPerf()).isZero();
            assertThat(lastReport().maxPerf()).isEqualTo(2000);
            assertThat(lastReport().loadtime()).isEqualTo(100);
            assertThat(lastReport().isReady()).isTrue();
        }

        @Test
        @DisplayName("every 1 s while busy, with the work received, served and in flight")
        void busy() {
            SimulatedProvider p = provider(FIXED);
            Instance i = p.create(request());
            runTo(100);
            SimRequest r = new SimRequest(0, 100 * S, 3000);
            r.requestIdx = 7;

            assertThat(p.instanceAt(i.url()).accept(r, clock.nanoTime())).isTrue();
            runTo(101);
            assertThat(lastReport().curLoad()).isEqualTo(3000);
            assertThat(lastReport().newLoad()).isEqualTo(3000);
            assertThat(lastReport().workingRequestIdxs()).containsExactly(7L);
            runTo(102);
            assertThat(lastReport().curPerf()).isEqualTo(3000); // done at 101.5 s
            assertThat(lastReport().curLoad()).isZero();
            assertThat(reportTimes.subList(reportTimes.size() - 2, reportTimes.size())).containsExactly(101 * S, 102 * S);
            runTo(112);
            assertThat(reportTimes.get(reportTimes.size() - 1)).isEqualTo(112 * S); // idle again: 10 s
        }

        @Test
        @DisplayName("stopped, it goes silent; resumed, it is ready again with its cached benchmark")
        void stopAndResume() {
            SimulatedProvider p = provider(FIXED);
            Instance i = p.create(request());
            runTo(150);
            p.stop(i.id());
            int before = reports.size();
            runTo(300);

            assertThat(reports).hasSize(before);
            assertThat(p.list()).extracting(Instance::status).containsExactly(InstanceStatus.STOPPED);

            p.start(i.id());
            runTo(310);
            assertThat(lastReport().maxPerf()).isEqualTo(2000);
            assertThat(lastReport().loadtime()).isEqualTo(100);
            assertThat(reportTimes.get(reportTimes.size() - 1)).isEqualTo(310 * S);
        }

        @Test
        @DisplayName("a stuck instance reports max_perf 0 forever")
        void stuck() {
            SimulatedProvider p = provider(WorldModel.builder().withoutFaults().stuckLoadingFraction(1).build());
            p.create(request());
            runTo(3600);

            assertThat(reports).hasSizeGreaterThan(300).allSatisfy(r -> assertThat(r.maxPerf()).isZero());
            assertThat(p.stuckCount()).isEqualTo(1);
        }

        @Test
        @DisplayName("a stalled resume sends nothing and bills storage only")
        void stalledResume() {
            SimulatedProvider p = provider(FIXED.toBuilder().resumeStallFraction(1).build());
            Instance i = p.create(request());
            runTo(150);
            p.stop(i.id());
            p.start(i.id());
            int before = reports.size();
            double gpuHours = p.gpuHours();
            runTo(1000);

            assertThat(reports).hasSize(before);
            assertThat(p.list()).extracting(Instance::status).containsExactly(InstanceStatus.PROVISIONING);
            assertThat(p.gpuHours()).isEqualTo(gpuHours);
            assertThat(p.stallCount()).isEqualTo(1);
        }

        @Test
        @DisplayName("a faulty worker reports an error after ready; rebooted, it comes back ready")
        void errorThenReboot() {
            SimulatedProvider p = provider(FIXED.toBuilder().errorAfterReadyFraction(1).meanSecondsToError(1)
                    .errorRecursFraction(0).build());
            Instance i = p.create(request());
            runTo(200);

            assertThat(lastReport().errorMsg()).isNotEmpty();
            p.reboot(i.id());
            runTo(220);
            assertThat(lastReport().isReady()).isTrue();
            assertThat(reportTimes.get(reportTimes.size() - 1)).isEqualTo(220 * S);
        }
    }

    @Nested
    @DisplayName("billing")
    class Billing {
        @Test
        @DisplayName("full price loading and ready, 5 % stopped, nothing destroyed")
        void byState() {
            SimulatedProvider p = provider(FIXED);
            Instance i = p.create(request());
            runTo(200);
            p.stop(i.id());
            runTo(300);
            p.start(i.id());
            runTo(400);
            p.destroy(i.id());
            runTo(4000);

            assertThat(p.gpuHours()).isCloseTo(300 / 3600.0, within(1e-12));
            assertThat(p.costUsd()).isCloseTo(0.40 * 300 / 3600 + 0.40 * 0.05 * 100 / 3600, within(1e-12));
            assertThat(p.list()).isEmpty();
        }

        @Test
        @DisplayName("destroying an instance that is gone succeeds; stopping one is NOT_FOUND")
        void gone() {
            SimulatedProvider p = provider(FIXED);
            Instance i = p.create(request());
            p.destroy(i.id());
            p.destroy(i.id());

            assertThatThrownBy(() -> p.stop(i.id())).isInstanceOfSatisfying(ProviderException.class,
                    e -> assertThat(e.kind()).isEqualTo(ProviderException.Kind.NOT_FOUND));
        }
    }

    @Test
    @DisplayName("the factory named simulated is found with ServiceLoader and makes a working provider")
    void factory() {
        InstanceProviderFactory factory = InstanceProviderFactories.load().require("simulated");
        var p = (SimulatedProvider) factory.create(Settings.of(Map.of("boot_median_s", "30", "boot_p95_s", "30")),
                new ProviderContext(clock, ""));
        p.reportTo(reports::add);
        p.create(request());
        clock.advance(java.time.Duration.ofSeconds(30));
        p.runDue();

        assertThat(p.world().boot().medianSeconds()).isEqualTo(30);
        assertThat(reports).isNotEmpty();
    }
}
