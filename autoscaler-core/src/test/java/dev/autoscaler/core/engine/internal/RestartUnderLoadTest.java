package dev.autoscaler.core.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoscaler.EndpointConfig;
import dev.autoscaler.ProviderException;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The engine is killed at a random point while its fleet serves (and grows), and a new one starts on
 * the same provider account with the same secret: its first lists may fail, wake-ups arrive at once
 * (requests wait at the router), provider calls of the old engine were in flight. The restarted
 * engine must take the same instances over: none destroyed, nothing rented beside them, and the
 * account never above {@code max_workers} at any instant.
 */
class RestartUnderLoadTest {
    private static final int MAX = 4;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void sameInstancesServeAfterARestart(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        FakeInstanceProvider account = new FakeInstanceProvider();
        EndpointConfig endpoint = EngineHarness.endpoint().maxWorkers(MAX).build();

        // 1. the first engine builds its fleet under load (the policy wants all 4), and is killed at a random point
        Deque<Runnable> calls = new ArrayDeque<>();
        EngineHarness first = new EngineHarness(endpoint, account, calls::add);
        first.target(MAX, 0);
        int steps = random.nextInt(3, 40);
        for (int i = 0; i < steps; i++) {
            step(first, calls, random);
            assertThat(account.instances.size()).isLessThanOrEqualTo(MAX);
        }
        // kill -9: calls in flight reached the provider or did not; the engine's memory is gone
        while (!calls.isEmpty()) {
            Runnable call = calls.poll();
            if (random.nextBoolean()) {
                call.run();
            }
        }
        first.engine.close();
        Set<String> before = new HashSet<>(account.instances.keySet());
        long destroysBefore = account.count("destroy");
        int maxBefore = account.maxAlive;

        // 2. the restart: maybe the first lists fail; wake-ups come at once
        int failedLists = random.nextInt(0, 4);
        for (int i = 0; i < failedLists; i++) {
            account.failNext(FakeInstanceProvider.Call.LIST,
                    new ProviderException(ProviderException.Kind.UNAVAILABLE, "HTTP 500"));
        }
        Deque<Runnable> calls2 = new ArrayDeque<>();
        EngineHarness second = new EngineHarness(endpoint, account, calls2::add);
        second.target(MAX, 0);
        for (int i = 0; i < 120; i++) {
            if (random.nextInt(3) == 0) {
                second.engine.tick("llm"); // a request waits at the router: a wake-up
            }
            step(second, calls2, random);
            assertThat(account.instances.size()).as("at every instant").isLessThanOrEqualTo(MAX);
        }
        while (!calls2.isEmpty()) {
            calls2.poll().run();
        }
        second.allReady(1000);

        assertThat(account.count("destroy")).as("nothing destroyed").isEqualTo(destroysBefore);
        assertThat(account.instances.keySet()).as("the same instances serve").containsAll(before);
        assertThat(account.instances).hasSize(MAX);
        assertThat(account.maxAlive).as("never above max_workers").isLessThanOrEqualTo(MAX);
        assertThat(maxBefore).isLessThanOrEqualTo(MAX);
        assertThat(second.workers()).hasSize(MAX).allSatisfy(w -> assertThat(w.state()).isEqualTo(WorkerState.READY));
    }

    /** One random thing happening: a tick, a provider call answering, or the loading workers reporting ready. */
    private static void step(EngineHarness h, Deque<Runnable> calls, SplittableRandom random) {
        switch (random.nextInt(3)) {
            case 0 -> h.tick();
            case 1 -> {
                if (!calls.isEmpty()) {
                    calls.poll().run();
                }
            }
            default -> {
                for (WorkerRecord w : h.workers()) {
                    // ready ones keep reporting, as live workers do (one silent for minutes is failed)
                    if ((w.state() == WorkerState.LOADING && random.nextBoolean()) || w.state() == WorkerState.READY) {
                        h.report(w, 1000, "");
                    }
                }
            }
        }
    }
}
