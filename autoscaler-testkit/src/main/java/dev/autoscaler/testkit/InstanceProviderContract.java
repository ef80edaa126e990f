package dev.autoscaler.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.autoscaler.ProviderException;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.spi.CreateInstanceRequest;
import dev.autoscaler.spi.Instance;
import dev.autoscaler.spi.InstanceProvider;
import dev.autoscaler.spi.InstanceStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link InstanceProvider} owes the engine (see the interface's contract).
 * A provider's test class extends this one and supplies a provider on a fresh, empty account and a
 * way to let time pass; every test here then runs against it.
 *
 * <p>Time: the kit never sleeps. It calls {@link #letTimePass(Duration)} in steps of
 * {@link #pollStep()} while it waits for an instance to reach a state, up to
 * {@link #maxTransitionTime()}. A provider on a virtual clock advances that clock; a provider on
 * real time may sleep there (but then it is not a unit test any more).
 *
 * <p>Lifecycle: {@link #setUpWorld()} runs before each test, {@link #tearDownWorld()} after it. The
 * kit closes every provider it obtained.
 */
public abstract class InstanceProviderContract {

    private final List<InstanceProvider> opened = new ArrayList<>();
    private final AtomicInteger labels = new AtomicInteger();
    private InstanceProvider provider;

    /** Makes a fresh, empty account (a fake API, a temp directory...). Called before each test. */
    protected abstract void setUpWorld() throws Exception;

    /** Releases what {@link #setUpWorld()} made. Called after each test. */
    protected void tearDownWorld() throws Exception {
    }

    /**
     * A new provider on the world's account. Called once per test for the main provider, and again
     * when a test needs a second provider on the same account (the adoption tests): the second one
     * must share nothing in memory with the first.
     */
    protected abstract InstanceProvider newProvider();

    /** Moves the world's time forward (advance a virtual clock). */
    protected abstract void letTimePass(Duration duration);

    /** {@return the group to create instances for; override to give your provider the template it needs} */
    protected WorkerGroupConfig group() {
        return WorkerGroupConfig.builder("contract").build();
    }

    /** {@return how far time moves between two looks at {@link InstanceProvider#list()} while waiting} */
    protected Duration pollStep() {
        return Duration.ofSeconds(5);
    }

    /** {@return the longest any state change (boot, stop, start, reboot) may take} */
    protected Duration maxTransitionTime() {
        return Duration.ofMinutes(15);
    }

    /** {@return an id this provider never hands out} */
    protected String unknownInstanceId() {
        return "987654321";
    }

    @BeforeEach
    final void contractSetUp() throws Exception {
        setUpWorld();
        provider = open();
    }

    @AfterEach
    final void contractTearDown() throws Exception {
        for (InstanceProvider p : opened) {
            try {
                p.close();
            } catch (RuntimeException ignored) {
                // a provider that fails to close must not hide the test's own result
            }
        }
        opened.clear();
        tearDownWorld();
    }

    /** {@return the provider under test} */
    protected final InstanceProvider provider() {
        return provider;
    }

    /** {@return a second, independent provider on the same account (kept open until the end of the test)} */
    protected final InstanceProvider open() {
        InstanceProvider p = newProvider();
        opened.add(p);
        return p;
    }

    /** {@return a request with a label unique within this test} */
    protected final CreateInstanceRequest request() {
        String label = "contract--" + group().name() + "--w" + labels.incrementAndGet();
        Map<String, String> env = Map.of(
                "MASTER_TOKEN", "mtoken-" + label,
                "REPORT_ADDR", "http://127.0.0.1:8080",
                "WORKER_PORT", Integer.toString(group().workerPort()));
        return new CreateInstanceRequest("contract-endpoint", group(), label, env);
    }

    /** Looks for an instance in the provider's list. */
    protected final Optional<Instance> find(InstanceProvider p, String id) {
        return p.list().stream().filter(i -> i.id().equals(id)).findFirst();
    }

    /**
     * Lets time pass until the instance shows {@code wanted}; fails when it does not within
     * {@link #maxTransitionTime()}.
     */
    protected final Instance awaitStatus(String id, InstanceStatus wanted) {
        Duration waited = Duration.ZERO;
        Instance last = null;
        while (true) {
            last = find(provider, id).orElse(null);
            if (last != null && last.status() == wanted) {
                return last;
            }
            if (waited.compareTo(maxTransitionTime()) >= 0) {
                throw new AssertionError("instance " + id + " did not become " + wanted + " within "
                        + maxTransitionTime() + "; last seen: " + last);
            }
            letTimePass(pollStep());
            waited = waited.plus(pollStep());
        }
    }

    private Instance createRunning() {
        Instance created = provider.create(request());
        return awaitStatus(created.id(), InstanceStatus.RUNNING);
    }

    @Nested
    @DisplayName("create")
    class Create {

        @Test
        @DisplayName("returns the new instance with the request's label")
        void keepsTheLabel() {
            CreateInstanceRequest request = request();

            Instance created = provider.create(request);

            assertThat(created.id()).isNotBlank();
            assertThat(created.label()).isEqualTo(request.label());
            assertThat(created.status()).isNotEqualTo(InstanceStatus.FAILED);
        }

        @Test
        @DisplayName("the new instance is listed at once, with its label")
        void isListed() {
            CreateInstanceRequest request = request();

            Instance created = provider.create(request);

            assertThat(find(provider, created.id()))
                    .hasValueSatisfying(i -> assertThat(i.label()).isEqualTo(request.label()));
        }

        @Test
        @DisplayName("the new instance becomes RUNNING, with a URL without a trailing slash")
        void becomesRunning() {
            Instance running = createRunning();

            assertThat(running.url()).doesNotEndWith("/");
        }

        @Test
        @DisplayName("two creates make two distinct instances")
        void distinctIds() {
            Instance first = provider.create(request());
            Instance second = provider.create(request());

            assertThat(first.id()).isNotEqualTo(second.id());
        }
    }

    @Nested
    @DisplayName("list")
    class ListInstances {

        @Test
        @DisplayName("is empty on an empty account")
        void emptyAccount() {
            assertThat(provider.list()).isEmpty();
        }

        @Test
        @DisplayName("returns every instance with its own label")
        void everyInstance() {
            CreateInstanceRequest a = request();
            CreateInstanceRequest b = request();
            Instance first = provider.create(a);
            Instance second = provider.create(b);

            assertThat(provider.list())
                    .extracting(Instance::id, Instance::label)
                    .contains(org.assertj.core.groups.Tuple.tuple(first.id(), a.label()),
                            org.assertj.core.groups.Tuple.tuple(second.id(), b.label()));
        }
    }

    @Nested
    @DisplayName("stop and start")
    class StopStart {

        @Test
        @DisplayName("stop makes a running instance STOPPED")
        void stop() {
            Instance running = createRunning();

            provider.stop(running.id());

            awaitStatus(running.id(), InstanceStatus.STOPPED);
        }

        @Test
        @DisplayName("start makes a stopped instance RUNNING again, label kept")
        void start() {
            Instance running = createRunning();
            provider.stop(running.id());
            awaitStatus(running.id(), InstanceStatus.STOPPED);

            provider.start(running.id());

            Instance resumed = awaitStatus(running.id(), InstanceStatus.RUNNING);
            assertThat(resumed.label()).isEqualTo(running.label());
        }
    }

    @Nested
    @DisplayName("reboot")
    class Reboot {

        @Test
        @DisplayName("a rebooted instance comes back RUNNING")
        void reboot() {
            Instance running = createRunning();

            provider.reboot(running.id());

            assertThat(awaitStatus(running.id(), InstanceStatus.RUNNING).label()).isEqualTo(running.label());
        }
    }

    @Nested
    @DisplayName("destroy")
    class Destroy {

        @Test
        @DisplayName("removes the instance from the list")
        void destroy() {
            Instance created = provider.create(request());

            provider.destroy(created.id());

            assertThat(find(provider, created.id())).isEmpty();
        }

        @Test
        @DisplayName("is idempotent: destroying twice succeeds")
        void twice() {
            Instance created = provider.create(request());
            provider.destroy(created.id());

            assertThatCode(() -> provider.destroy(created.id())).doesNotThrowAnyException();
        }

        @Test
        @DisplayName("leaves the other instances alone")
        void onlyThatOne() {
            Instance doomed = provider.create(request());
            Instance kept = provider.create(request());

            provider.destroy(doomed.id());

            assertThat(find(provider, kept.id())).isPresent();
        }
    }

    @Nested
    @DisplayName("labels and adoption")
    class Adoption {

        @Test
        @DisplayName("a fresh provider on the same account sees the instances another one made")
        void freshProviderSeesThem() {
            CreateInstanceRequest request = request();
            Instance created = provider.create(request);

            InstanceProvider restarted = open();

            assertThat(find(restarted, created.id()))
                    .hasValueSatisfying(i -> assertThat(i.label()).isEqualTo(request.label()));
        }

        @Test
        @DisplayName("a fresh provider can stop and destroy what another one made")
        void freshProviderManagesThem() {
            Instance running = createRunning();
            InstanceProvider restarted = open();

            restarted.stop(running.id());
            awaitStatus(running.id(), InstanceStatus.STOPPED);
            restarted.destroy(running.id());

            assertThat(find(provider, running.id())).isEmpty();
        }
    }

    @Nested
    @DisplayName("errors")
    class Errors {

        @Test
        @DisplayName("start of an unknown instance fails with NOT_FOUND")
        void startUnknown() {
            assertNotFound(() -> provider.start(unknownInstanceId()));
        }

        @Test
        @DisplayName("stop of an unknown instance fails with NOT_FOUND")
        void stopUnknown() {
            assertNotFound(() -> provider.stop(unknownInstanceId()));
        }

        @Test
        @DisplayName("reboot of an unknown instance fails with NOT_FOUND")
        void rebootUnknown() {
            assertNotFound(() -> provider.reboot(unknownInstanceId()));
        }

        @Test
        @DisplayName("destroy of an unknown instance is a no-op")
        void destroyUnknown() {
            assertThatCode(() -> provider.destroy(unknownInstanceId())).doesNotThrowAnyException();
        }

        private void assertNotFound(Runnable call) {
            ProviderException e = catchThrowableOfType(ProviderException.class, call::run);
            assertThat(e).as("a ProviderException").isNotNull();
            assertThat(e.kind()).isEqualTo(ProviderException.Kind.NOT_FOUND);
            assertThat(e.retryable()).isFalse();
        }
    }
}
