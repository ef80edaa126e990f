package dev.autoscaler.vast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.autoscaler.ManualClock;
import dev.autoscaler.ProviderException;
import dev.autoscaler.ProviderException.Kind;
import dev.autoscaler.Sleeper;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.WorkerTemplate;
import dev.autoscaler.spi.CreateInstanceRequest;
import dev.autoscaler.spi.Instance;
import dev.autoscaler.spi.InstanceStatus;
import dev.autoscaler.vast.fake.FakeInstance;
import dev.autoscaler.vast.fake.FakeVastServer;
import dev.autoscaler.vast.fake.FakeVastServer.Api;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The provider against the stateful fake over real HTTP, on a manual clock. */
class VastInstanceProviderTest {
    private static final WorkerTemplate TEMPLATE = new WorkerTemplate("vastai/vllm:v0.9", "",
            Map.of("MODEL", "llama-3-8b", "HF_TOKEN", "hf-secret"), "bash /start.sh", 60, List.of(8000));

    private final ManualClock clock = new ManualClock();
    private final AtomicInteger labels = new AtomicInteger();
    private FakeVastServer fake;
    private VastInstanceProvider provider;

    @BeforeEach
    void start() {
        fake = FakeVastServer.builder(clock).start();
        provider = provider(fake);
    }

    private VastInstanceProvider provider(FakeVastServer server) {
        return new VastInstanceProvider(VastApiClient.builder().apiKey(server.apiKey()).baseUrl(server.baseUrl())
                .clock(clock).sleeper(Sleeper.advancing(clock)).random(new java.util.Random(7)::nextDouble).build(),
                64, 5, 3000);
    }

    @AfterEach
    void stop() {
        provider.close();
        fake.close();
    }

    private static WorkerGroupConfig.Builder group() {
        return WorkerGroupConfig.builder("llama").template(TEMPLATE);
    }

    private CreateInstanceRequest request(WorkerGroupConfig group) {
        String label = "chat--" + group.name() + "--w" + labels.incrementAndGet();
        return new CreateInstanceRequest("chat", group, label, Map.of("MASTER_TOKEN", "mt-" + label,
                "REPORT_ADDR", "http://engine:8080", "WORKER_PORT", Integer.toString(group.workerPort())));
    }

    private FakeInstance fakeInstance(Instance instance) {
        return fake.instance(Long.parseLong(instance.id())).orElseThrow();
    }

    private Instance listed(String id) {
        return provider.list().stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow();
    }

    @Nested
    @DisplayName("choosing an offer")
    class Choosing {
        @Test
        @DisplayName("rents the best dlperf per dollar with at least 24 GB (the 4090s beat 3090s and A100s)")
        void bestDlperfPerDollar() {
            Instance instance = provider.create(request(group().build()));

            assertThat(instance.gpuName()).isEqualTo("RTX 4090");
            assertThat(instance.status()).isEqualTo(InstanceStatus.PROVISIONING);
            assertThat(fakeInstance(instance).gpuName()).isEqualTo("RTX 4090");
        }

        @Test
        @DisplayName("stays under the group's max price")
        void maxPrice() {
            Instance instance = provider.create(request(group().maxPricePerHour(0.3).build()));

            assertThat(instance.gpuName()).isEqualTo("RTX 3090");
            assertThat(instance.pricePerHour()).isLessThanOrEqualTo(0.3);
        }

        @Test
        @DisplayName("follows the group's search_params")
        void searchParams() {
            Instance instance = provider.create(request(group().searchParams("gpu_name in [A100_SXM4] num_gpus=1").build()));

            assertThat(instance.gpuName()).isEqualTo("A100 SXM4");
        }

        @Test
        @DisplayName("gpu_ram from the group filters out small GPUs unless the query says otherwise")
        void gpuRam() {
            WorkerGroupConfig small = group().searchParams("gpu_name=RTX_3060").build();
            ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.create(request(small)));
            assertThat(e.kind()).isEqualTo(Kind.NO_OFFER);

            Instance instance = provider.create(request(group().searchParams("gpu_name=RTX_3060 gpu_ram>=10").build()));
            assertThat(instance.gpuName()).isEqualTo("RTX 3060");
        }

        @Test
        @DisplayName("no matching offer: NO_OFFER naming the group and its search")
        void noOffer() {
            ProviderException e = catchThrowableOfType(ProviderException.class,
                    () -> provider.create(request(group().searchParams("gpu_name=H100_SXM").build())));

            assertThat(e.kind()).isEqualTo(Kind.NO_OFFER);
            assertThat(e).hasMessageContaining("llama").hasMessageContaining("gpu_name=H100_SXM");
        }

        @Test
        @DisplayName("the group's measured perf per dollar overrides dlperf once fed")
        void measuredPerf() {
            provider.recordMeasuredPerf("llama", "RTX 3090", 2_000);
            provider.recordMeasuredPerf("llama", "RTX 4090", 2_000);
            provider.recordMeasuredPerf("llama", "RTX 4090", 2_200);

            Instance instance = provider.create(request(group().build()));

            assertThat(provider.measuredPerf("llama")).containsEntry("RTX 4090", 2_100.0);
            assertThat(instance.gpuName()).isEqualTo("RTX 3090");
        }

        @Test
        @DisplayName("another group's measurements do not count")
        void perGroup() {
            provider.recordMeasuredPerf("other", "RTX 3090", 1_000_000);

            assertThat(provider.create(request(group().build())).gpuName()).isEqualTo("RTX 4090");
        }

        @Test
        @DisplayName("when the chosen offer is gone, the next one is rented")
        void offerGone() {
            fake.loseNextOffers(2);

            Instance instance = provider.create(request(group().build()));

            assertThat(fake.callCount(Api.CREATE)).isEqualTo(3);
            assertThat(fake.instances()).extracting(FakeInstance::id).containsExactly(Long.parseLong(instance.id()));
        }

        @Test
        @DisplayName("a host's veto between offers (a replica that lost its lease) stops the create before the next offer")
        void vetoBetweenOffers() {
            fake.loseNextOffers(1);
            java.util.concurrent.atomic.AtomicInteger checks = new java.util.concurrent.atomic.AtomicInteger();
            Runnable leaseLost = () -> {
                checks.incrementAndGet();
                throw new ProviderException(Kind.UNAVAILABLE, "not the leader any more");
            };

            ProviderException e = catchThrowableOfType(ProviderException.class, () -> dev.autoscaler.spi.ProviderMutations
                    .guarded(leaseLost, () -> provider.create(request(group().build()))));

            assertThat(e).hasMessageContaining("not the leader");
            assertThat(checks.get()).isEqualTo(1); // not before the first offer: that check is the host's own
            assertThat(fake.callCount(Api.CREATE)).isEqualTo(1);
            assertThat(fake.instances()).isEmpty();
            // without a guard the same create goes on to the next offer
            fake.loseNextOffers(1);
            provider.create(request(group().build()));
            assertThat(fake.instances()).hasSize(1);
        }

        @Test
        @DisplayName("after max_offer_attempts gone offers, NO_OFFER")
        void allGone() {
            fake.loseNextOffers(10);

            ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.create(request(group().build())));

            assertThat(e.kind()).isEqualTo(Kind.NO_OFFER);
            assertThat(e).hasMessageContaining("gone");
            assertThat(fake.callCount(Api.CREATE)).isEqualTo(5);
            assertThat(fake.instances()).isEmpty();
        }
    }

    @Nested
    @DisplayName("what the instance runs")
    class Template {
        @Test
        @DisplayName("image, disk, onstart, label, template env plus request env, worker port and template ports")
        void body() {
            CreateInstanceRequest request = request(group().launchArgs("--model 'meta llama'").build());

            FakeInstance made = fakeInstance(provider.create(request));

            assertThat(made.image()).isEqualTo("vastai/vllm:v0.9");
            assertThat(made.diskGb()).isEqualTo(60);
            assertThat(made.onstart()).isEqualTo("bash /start.sh");
            assertThat(made.label()).isEqualTo(request.label());
            assertThat(made.args()).containsExactly("--model", "meta llama");
            assertThat(made.env()).containsEntry("MODEL", "llama-3-8b")
                    .containsEntry("MASTER_TOKEN", "mt-" + request.label())
                    .containsEntry("REPORT_ADDR", "http://engine:8080")
                    .containsEntry("WORKER_PORT", "3000")
                    .containsEntry("-p 3000:3000", "1")
                    .containsEntry("-p 8000:8000", "1");
        }

        @Test
        @DisplayName("a template hash alone is enough")
        void templateHash() {
            WorkerTemplate byHash = new WorkerTemplate("", "a1b2c3", Map.of(), "", 32, List.of());

            FakeInstance made = fakeInstance(provider.create(request(group().template(byHash).build())));

            assertThat(made.templateHashId()).isEqualTo("a1b2c3");
        }

        @Test
        @DisplayName("without image or template hash: INVALID, nothing rented")
        void noImage() {
            ProviderException e = catchThrowableOfType(ProviderException.class,
                    () -> provider.create(request(WorkerGroupConfig.builder("bare").build())));

            assertThat(e.kind()).isEqualTo(Kind.INVALID);
            assertThat(fake.callCount(Api.CREATE)).isZero();
        }
    }

    @Nested
    @DisplayName("listing")
    class Listing {
        @Test
        @DisplayName("an instance goes PROVISIONING, then RUNNING with http://public_ipaddr:HostPort")
        void lifecycle() {
            Instance instance = provider.create(request(group().build()));
            assertThat(listed(instance.id()).status()).isEqualTo(InstanceStatus.PROVISIONING);
            assertThat(listed(instance.id()).url()).isEmpty();

            clock.advance(Duration.ofMinutes(2));

            Instance running = listed(instance.id());
            assertThat(running.status()).isEqualTo(InstanceStatus.RUNNING);
            assertThat(running.url()).isEqualTo("http://127.0.0.1:" + fakeInstance(instance).hostPorts().get(3000));
            assertThat(running.label()).isEqualTo(instance.label());
            assertThat(running.pricePerHour()).isEqualTo(instance.pricePerHour());
        }

        @Test
        @DisplayName("the URL uses the group's worker port, also for a provider that did not create it")
        void workerPort() {
            Instance instance = provider.create(request(group().workerPort(8000).build()));
            clock.advance(Duration.ofMinutes(2));
            String expected = "http://127.0.0.1:" + fakeInstance(instance).hostPorts().get(8000);

            try (VastInstanceProvider restarted = provider(fake)) {
                assertThat(restarted.list()).extracting(Instance::url).containsExactly(expected);
            }
            assertThat(listed(instance.id()).url()).isEqualTo(expected);
        }

        @Test
        @DisplayName("every instance of the account is listed, labelled or not, over several pages")
        void everyInstance() {
            for (int i = 0; i < 30; i++) {
                fake.addForeignInstance(i % 2 == 0 ? "" : "by-hand-" + i, "RTX 3090");
            }

            List<Instance> all = provider.list();

            assertThat(all).hasSize(30);
            assertThat(fake.callCount(Api.LIST_V1)).isEqualTo(2);
            assertThat(all).filteredOn(i -> i.label().isEmpty()).hasSize(15);
        }

        @Test
        @DisplayName("without the v1 list, the legacy list serves")
        void legacy() {
            fake.disableV1List();
            fake.addForeignInstance("x", "RTX 3090");

            assertThat(provider.list()).hasSize(1);
            assertThat(fake.callCount(Api.LIST_LEGACY)).isEqualTo(1);
        }

        @Test
        @DisplayName("an instance that turns exited is FAILED")
        void exited() {
            Instance instance = provider.create(request(group().build()));
            clock.advance(Duration.ofMinutes(2));

            fake.exitInstance(Long.parseLong(instance.id()));

            assertThat(listed(instance.id()).status()).isEqualTo(InstanceStatus.FAILED);
            assertThat(listed(instance.id()).url()).isEmpty();
        }

        @Test
        @DisplayName("an instance stuck loading stays PROVISIONING")
        void stuck() {
            fake.stickNextInstancesInLoading(1);
            Instance instance = provider.create(request(group().build()));

            clock.advance(Duration.ofHours(1));

            assertThat(listed(instance.id()).status()).isEqualTo(InstanceStatus.PROVISIONING);
        }

        @Test
        @DisplayName("a resume that waits for its GPU stays PROVISIONING")
        void stalledStart() {
            Instance instance = provider.create(request(group().build()));
            clock.advance(Duration.ofMinutes(2));
            provider.stop(instance.id());
            clock.advance(Duration.ofSeconds(10));
            fake.stallNextStarts(1);

            provider.start(instance.id());
            clock.advance(Duration.ofHours(1));

            assertThat(listed(instance.id()).status()).isEqualTo(InstanceStatus.PROVISIONING);
        }
    }

    @Nested
    @DisplayName("lost answers")
    class LostAnswers {
        @Test
        @DisplayName("a create whose answer is dropped is adopted by label: one instance, one create call")
        void dropped() {
            fake.dropNextCreateAnswers(1);
            CreateInstanceRequest request = request(group().build());

            Instance instance = provider.create(request);

            assertThat(fake.instances()).singleElement()
                    .satisfies(i -> assertThat(i.label()).isEqualTo(request.label()))
                    .satisfies(i -> assertThat(Long.toString(i.id())).isEqualTo(instance.id()));
            assertThat(fake.callCount(Api.CREATE)).isEqualTo(1);
        }

        @Test
        @DisplayName("when even the lookup fails, the next create with that label looks before renting")
        void uncertainLabel() {
            fake.dropNextCreateAnswers(1);
            fake.failNext(1, 401, Api.LIST_V1);
            CreateInstanceRequest request = request(group().build());

            ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.create(request));
            assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);

            Instance instance = provider.create(request);

            assertThat(fake.callCount(Api.CREATE)).isEqualTo(1);
            assertThat(fake.instances()).singleElement()
                    .satisfies(i -> assertThat(Long.toString(i.id())).isEqualTo(instance.id()));
        }
    }

    @Nested
    @DisplayName("rate limits and failures")
    class Failures {
        @Test
        @DisplayName("eight creates in a row keep Vast's spacing: no 429 at all")
        void spacingAvoids429() {
            long before = clock.nanoTime();
            for (int i = 0; i < 8; i++) {
                provider.create(request(group().build()));
            }

            assertThat(fake.instances()).hasSize(8);
            assertThat(fake.rateLimitedCalls()).isZero();
            assertThat(clock.nanoTime() - before).isGreaterThanOrEqualTo(Duration.ofMillis(7 * 4500).toNanos());
        }

        @Test
        @DisplayName("a server stricter than our spacing answers 429s; backoff gets every create through")
        void rateLimitStorm() {
            try (FakeVastServer strict = FakeVastServer.builder(clock).rateLimit(Api.CREATE, Duration.ofSeconds(6)).start();
                 VastInstanceProvider p = provider(strict)) {
                for (int i = 0; i < 5; i++) {
                    p.create(request(group().build()));
                }

                assertThat(strict.instances()).hasSize(5);
                assertThat(strict.rateLimitedCalls()).isPositive();
            }
        }

        @Test
        @DisplayName("503s for a while are retried through; the list succeeds once they stop")
        void unavailableForAWhile() {
            fake.addForeignInstance("x", "RTX 3090");
            // shorter than the 4 retries' spacing alone: the outcome does not depend on the jitter
            fake.failFor(Duration.ofSeconds(3), 503);

            assertThat(provider.list()).hasSize(1);
            assertThat(fake.callCount(Api.LIST_V1)).isGreaterThan(1);
        }

        @Test
        @DisplayName("a 500 surfaces as a retryable UNAVAILABLE")
        void internalError() {
            fake.failFor(Duration.ofMinutes(1), 500);

            ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.list());

            assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
            assertThat(e.retryable()).isTrue();
        }

        @Test
        @DisplayName("a wrong key is UNAUTHORIZED and the message does not show it")
        void wrongKey() {
            try (VastInstanceProvider wrong = new VastInstanceProvider(VastApiClient.builder().apiKey("wrong-key-42")
                    .baseUrl(fake.baseUrl()).clock(clock).sleeper(Sleeper.advancing(clock)).build(), 64, 5, 3000)) {
                ProviderException e = catchThrowableOfType(ProviderException.class, wrong::list);

                assertThat(e.kind()).isEqualTo(Kind.UNAUTHORIZED);
                assertThat(e.getMessage()).doesNotContain("wrong-key-42");
            }
        }
    }

    @Nested
    @DisplayName("ids")
    class Ids {
        @Test
        @DisplayName("destroying an id Vast could never have given is a no-op")
        void destroyBadId() {
            assertThatCode(() -> provider.destroy("not-a-number")).doesNotThrowAnyException();
            assertThat(fake.callCount(Api.DESTROY)).isZero();
        }

        @Test
        @DisplayName("starting an id Vast could never have given is NOT_FOUND")
        void startBadId() {
            assertThat(catchThrowableOfType(ProviderException.class, () -> provider.start("abc")).kind())
                    .isEqualTo(Kind.NOT_FOUND);
        }

        @Test
        @DisplayName("relabel changes the label the list shows")
        void relabel() {
            Instance instance = provider.create(request(group().build()));

            provider.relabel(instance.id(), "chat--llama--adopted");

            assertThat(listed(instance.id()).label()).isEqualTo("chat--llama--adopted");
        }
    }
}
