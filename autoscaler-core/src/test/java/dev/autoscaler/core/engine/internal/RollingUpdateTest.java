package dev.autoscaler.core.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoscaler.AutoscalerEvent;
import dev.autoscaler.RolloutStatus;
import dev.autoscaler.WorkerIntent;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import dev.autoscaler.spi.Instance;
import dev.autoscaler.spi.InstanceStatus;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * A changed group template rolls out without downtime (issue 6, item 4), through the real engine
 * and router under steady load: stopped workers are replaced first, a current worker serves before
 * an outdated one drains, a draining worker gets no request and is destroyed only once it holds
 * none, and at the end only the new revision runs.
 */
@DisplayName("Rolling update of a group's template")
class RollingUpdateTest {
    static final int REQUESTS_PER_STEP = 2;

    /**
     * Changes the template and rolls it out with no room to surge: one worker at a time, capacity at
     * most one below the target, no failed request, never more than {@code cap} instances.
     */
    private static void assertRollsOneAtATimeWithin(RollingFleet fleet, int cap) {
        int[] maxCounted = {0};
        fleet.engine.addListener(new dev.autoscaler.spi.AutoscalerListener() {
            @Override
            public void onEvent(AutoscalerEvent event) {
                maxCounted[0] = Math.max(maxCounted[0], fleet.provider.instances.size());
            }
        });
        fleet.changeTemplate(RollingFleet.image("vllm:2"));

        fleet.rollOut(REQUESTS_PER_STEP, 80);

        assertThat(fleet.minRoutableDuringUpdate).isEqualTo(fleet.active - 1);
        assertThat(fleet.violations).isEmpty();
        assertThat(maxCounted[0]).isLessThanOrEqualTo(cap);
        assertThat(revisionsOnTheProvider(fleet)).containsExactly(fleet.revision());
    }

    static Set<String> revisionsOnTheProvider(RollingFleet fleet) {
        return fleet.provider.instances.values().stream()
                .map(i -> WorkerLabel.parse(i.label()).orElseThrow().templateRevision().orElse("none"))
                .collect(Collectors.toSet());
    }

    @Nested
    @DisplayName("with room for a surge (3 active, 2 cold, max_workers 20)")
    class WithSurge {
        final RollingFleet fleet = new RollingFleet(3, 2, 20, RollingFleet.image("vllm:1"));

        WithSurge() {
            fleet.bringUp();
            for (int i = 0; i < 3; i++) {
                fleet.step(REQUESTS_PER_STEP); // steady load before the change
            }
        }

        @Test
        @DisplayName("every request is routed, to a ready worker, and no instance is destroyed while it holds one")
        void noFailedRequest() {
            int routedBefore = fleet.requestsRouted;
            fleet.changeTemplate(RollingFleet.image("vllm:2"));

            int steps = fleet.rollOut(REQUESTS_PER_STEP, 60);

            assertThat(fleet.violations).isEmpty();
            assertThat(fleet.requestsRouted - routedBefore).isEqualTo(steps * REQUESTS_PER_STEP);
            assertThat(fleet.stateChanges).filteredOn(c -> c.to() == WorkerState.DRAINING).hasSize(3);
        }

        @Test
        @DisplayName("the routable count never drops below the decision's active target")
        void capacityHolds() {
            fleet.changeTemplate(RollingFleet.image("vllm:2"));

            fleet.rollOut(REQUESTS_PER_STEP, 60);

            assertThat(fleet.minRoutableDuringUpdate).isGreaterThanOrEqualTo(fleet.active);
        }

        @Test
        @DisplayName("at the end every worker and every instance runs the new revision")
        void onlyTheNewRevisionIsLeft() {
            String old = fleet.revision();
            fleet.changeTemplate(RollingFleet.image("vllm:2"));

            fleet.rollOut(REQUESTS_PER_STEP, 60);

            String now = fleet.revision();
            assertThat(now).isNotEqualTo(old);
            assertThat(fleet.workers()).hasSize(5).allSatisfy(w -> assertThat(w.templateRevision()).isEqualTo(now));
            assertThat(revisionsOnTheProvider(fleet)).containsExactly(now);
            assertThat(fleet.provider.instances).hasSize(5);
            assertThat(fleet.admin.rollout(RollingFleet.ENDPOINT, RollingFleet.GROUP))
                    .isEqualTo(new RolloutStatus(RollingFleet.GROUP, now, 5, 0, 0));
        }

        @Test
        @DisplayName("outdated stopped workers are destroyed and their replacements made before any active worker drains")
        void stoppedWorkersGoFirst() {
            Set<String> oldStopped = fleet.workers().stream().filter(w -> w.state() == WorkerState.STOPPED)
                    .map(WorkerRecord::workerId).collect(Collectors.toSet());
            List<WorkerRecord>[] atFirstDrain = new List[1];
            fleet.engine.addListener(new dev.autoscaler.spi.AutoscalerListener() {
                @Override
                public void onEvent(AutoscalerEvent event) {
                    if (event instanceof AutoscalerEvent.WorkerStateChanged c && c.to() == WorkerState.DRAINING
                            && atFirstDrain[0] == null) {
                        atFirstDrain[0] = fleet.workers();
                    }
                }
            });
            fleet.changeTemplate(RollingFleet.image("vllm:2"));

            fleet.rollOut(REQUESTS_PER_STEP, 60);

            String now = fleet.revision();
            assertThat(oldStopped).hasSize(2);
            assertThat(atFirstDrain[0]).isNotNull();
            assertThat(atFirstDrain[0]).extracting(WorkerRecord::workerId).doesNotContainAnyElementsOf(oldStopped);
            assertThat(atFirstDrain[0]).filteredOn(w -> w.templateRevision().equals(now) && w.intent() == WorkerIntent.COLD)
                    .hasSize(2);
        }

        @Test
        @DisplayName("a draining worker is published with the reason, and reports do not bring it back to ready")
        void drainingIsFinal() {
            fleet.changeTemplate(RollingFleet.image("vllm:2"));
            for (int i = 0; i < 10 && fleet.count(WorkerState.DRAINING) == 0; i++) {
                fleet.step(REQUESTS_PER_STEP);
            }
            WorkerRecord draining = fleet.workers().stream().filter(w -> w.state() == WorkerState.DRAINING)
                    .findFirst().orElseThrow();

            WorkerRecord after = fleet.report(draining);

            assertThat(after.state()).isEqualTo(WorkerState.DRAINING);
            assertThat(fleet.stateChanges).filteredOn(c -> c.to() == WorkerState.DRAINING)
                    .first().satisfies(c -> {
                        assertThat(c.from()).isEqualTo(WorkerState.READY);
                        assertThat(c.reason()).contains("rolling update").contains(fleet.revision());
                    });
        }

        @Test
        @DisplayName("a scale-down in the middle of an update retires outdated workers first: drained, never stopped")
        void scaleDownDuringUpdate() {
            String old = fleet.revision();
            fleet.changeTemplate(RollingFleet.image("vllm:2"));
            fleet.step(REQUESTS_PER_STEP);
            Set<String> oldInstances = fleet.workers().stream().filter(w -> w.templateRevision().equals(old))
                    .map(WorkerRecord::instanceId).collect(Collectors.toSet());

            fleet.active = 1;
            fleet.rollOut(1, 60);

            assertThat(oldInstances).isNotEmpty().allSatisfy(id -> assertThat(fleet.provider.calls).doesNotContain("stop " + id));
            assertThat(revisionsOnTheProvider(fleet)).containsExactly(fleet.revision());
            assertThat(fleet.violations).isEmpty();
        }

        @Test
        @DisplayName("an update to the same template does nothing")
        void sameTemplateDoesNothing() {
            long destroysBefore = fleet.provider.count("destroy");
            long createsBefore = fleet.provider.count("create");

            fleet.changeTemplate(RollingFleet.image("vllm:1"));
            for (int i = 0; i < 10; i++) {
                fleet.step(REQUESTS_PER_STEP);
            }

            assertThat(fleet.provider.count("destroy")).isEqualTo(destroysBefore);
            assertThat(fleet.provider.count("create")).isEqualTo(createsBefore);
            assertThat(fleet.stateChanges).noneMatch(c -> c.to() == WorkerState.DRAINING);
            assertThat(fleet.admin.rollout(RollingFleet.ENDPOINT, RollingFleet.GROUP).inProgress()).isFalse();
        }

        @Test
        @DisplayName("a second change in the middle of an update converges to the newest template")
        void secondChangeConverges() {
            fleet.changeTemplate(RollingFleet.image("vllm:2"));
            for (int i = 0; i < 3; i++) {
                fleet.step(REQUESTS_PER_STEP);
            }
            assertThat(fleet.admin.rollout(RollingFleet.ENDPOINT, RollingFleet.GROUP).inProgress()).isTrue();

            fleet.changeTemplate(RollingFleet.image("vllm:3"));
            fleet.rollOut(REQUESTS_PER_STEP, 80);

            String newest = RollingFleet.image("vllm:3").revision();
            assertThat(revisionsOnTheProvider(fleet)).containsExactly(newest);
            assertThat(fleet.violations).isEmpty();
            assertThat(fleet.minRoutableDuringUpdate).isGreaterThanOrEqualTo(fleet.active);
        }
    }

    @Nested
    @DisplayName("at max_workers (3 active, 0 cold, max_workers 3): no surge is possible")
    class AtMaxWorkers {
        final RollingFleet fleet = new RollingFleet(3, 0, 3, RollingFleet.image("vllm:1"));

        AtMaxWorkers() {
            fleet.bringUp();
            fleet.step(REQUESTS_PER_STEP);
        }

        @Test
        @DisplayName("one worker at a time: capacity at most one below the target, no request fails, max_workers holds")
        void oneAtATime() {
            assertRollsOneAtATimeWithin(fleet, 3);
        }
    }

    @Nested
    @DisplayName("at the group's own max_workers (3 active, group max_workers 3, endpoint 20): no surge is possible")
    class AtGroupCap {
        final RollingFleet fleet = new RollingFleet(3, 0, 20, RollingFleet.image("vllm:1"));

        AtGroupCap() {
            WorkerGroupConfig group = fleet.engine.endpoint(RollingFleet.ENDPOINT).group(RollingFleet.GROUP).orElseThrow();
            fleet.admin.replaceGroup(RollingFleet.ENDPOINT, group.toBuilder().maxWorkers(3).build());
            fleet.bringUp();
            fleet.step(REQUESTS_PER_STEP);
        }

        @Test
        @DisplayName("rolls one worker at a time instead of stalling: capacity at most one below, the group cap holds")
        void oneAtATime() {
            assertRollsOneAtATimeWithin(fleet, 3);
        }
    }

    @Nested
    @DisplayName("draining")
    class Draining {
        final RollingFleet fleet = new RollingFleet(1, 0, 20, RollingFleet.image("vllm:1"));

        @Test
        @DisplayName("a worker that never reports itself idle is destroyed after the drain timeout, not before")
        void drainTimeout() {
            fleet.bringUp();
            WorkerRecord busy = fleet.workers().get(0);
            fleet.jobs.computeIfAbsent(busy.instanceId(), k -> new java.util.ArrayList<>())
                    .add(new RollingFleet.Job(999_999, Integer.MAX_VALUE)); // a generation that never ends
            fleet.changeTemplate(RollingFleet.image("vllm:2"));
            for (int i = 0; i < 10 && fleet.engine.stateStore().worker(busy.workerId()).orElseThrow().state()
                    != WorkerState.DRAINING; i++) {
                fleet.step(0);
            }
            assertThat(fleet.engine.stateStore().worker(busy.workerId()).orElseThrow().state())
                    .isEqualTo(WorkerState.DRAINING);

            fleet.scheduler.advance(Duration.ofMinutes(9));
            assertThat(fleet.provider.instances).containsKey(busy.instanceId());

            fleet.scheduler.advance(Duration.ofMinutes(1).plusSeconds(5));
            assertThat(fleet.provider.instances).doesNotContainKey(busy.instanceId());
            assertThat(fleet.stateChanges).anyMatch(c -> c.workerId().equals(busy.workerId())
                    && c.to() == WorkerState.DESTROYING && c.reason().contains("drain timeout"));
        }
        @Test
        @DisplayName("the endpoint's drain_timeout sets how long: 2 minutes here")
        void configuredDrainTimeout() {
            fleet.bringUp();
            fleet.engine.updateEndpoint(RollingFleet.ENDPOINT,
                    e -> e.toBuilder().drainTimeout(Duration.ofMinutes(2)).build());
            WorkerRecord busy = fleet.workers().get(0);
            fleet.jobs.computeIfAbsent(busy.instanceId(), k -> new java.util.ArrayList<>())
                    .add(new RollingFleet.Job(999_999, Integer.MAX_VALUE)); // a generation that never ends
            fleet.changeTemplate(RollingFleet.image("vllm:2"));
            for (int i = 0; i < 10 && fleet.engine.stateStore().worker(busy.workerId()).orElseThrow().state()
                    != WorkerState.DRAINING; i++) {
                fleet.step(0);
            }
            assertThat(fleet.engine.stateStore().worker(busy.workerId()).orElseThrow().state())
                    .isEqualTo(WorkerState.DRAINING);

            fleet.scheduler.advance(Duration.ofSeconds(110));
            assertThat(fleet.provider.instances).containsKey(busy.instanceId());

            fleet.scheduler.advance(Duration.ofSeconds(15));
            assertThat(fleet.provider.instances).doesNotContainKey(busy.instanceId());
        }
    }

    @Nested
    @DisplayName("after an engine restart")
    class AfterRestart {
        final RollingFleet fleet = new RollingFleet(2, 0, 20, RollingFleet.image("vllm:1"));

        @Test
        @DisplayName("adopted workers keep the revision their label carries, and roll when the template changed meanwhile")
        void adoptsTheRevisionFromTheLabel() {
            fleet.bringUp();
            String old = fleet.revision();
            fleet.engine.close();

            fleet.start(fleet.engine.endpoint(RollingFleet.ENDPOINT).toBuilder()
                    .groups(List.of(fleet.engine.endpoint(RollingFleet.ENDPOINT).groups().get(0).toBuilder()
                            .template(RollingFleet.image("vllm:2")).build())).build());

            assertThat(fleet.workers()).hasSize(2).allSatisfy(w -> assertThat(w.templateRevision()).isEqualTo(old));
            assertThat(fleet.admin.rollout(RollingFleet.ENDPOINT, RollingFleet.GROUP).outdated()).isEqualTo(2);

            fleet.reportAll(); // the adopted workers report again: ready
            fleet.rollOut(REQUESTS_PER_STEP, 60);
            assertThat(revisionsOnTheProvider(fleet)).containsExactly(fleet.revision());
            assertThat(fleet.violations).isEmpty();
        }

        @Test
        @DisplayName("an instance labelled before revisions existed is adopted as current: nothing is replaced")
        void oldLabelsAdoptAsCurrent() {
            fleet.engine.close();
            Instance old = fleet.provider.addExternal("autoscaler:llm:main:00000000000000aa", InstanceStatus.RUNNING);
            Instance old2 = fleet.provider.addExternal("autoscaler:llm:main:00000000000000bb", InstanceStatus.RUNNING);
            fleet.start(fleet.engine.endpoint(RollingFleet.ENDPOINT));

            assertThat(fleet.workers()).hasSize(2)
                    .allSatisfy(w -> assertThat(w.templateRevision()).isEqualTo(fleet.revision()));
            for (int i = 0; i < 10; i++) {
                fleet.step(REQUESTS_PER_STEP);
            }

            assertThat(fleet.provider.instances).containsOnlyKeys(old.id(), old2.id());
            assertThat(fleet.provider.count("destroy")).isZero();
            assertThat(fleet.routable()).isEqualTo(2);
        }
    }

    @Test
    @DisplayName("a label carries the revision as a suffix of its uid; an old label has none")
    void labelFormat() {
        WorkerLabel label = WorkerLabel.parse("autoscaler:llm:main:" + WorkerLabel.uid("0123456789abcdef", "a1b2c3d4"))
                .orElseThrow();

        assertThat(label.uid()).isEqualTo("0123456789abcdef-ra1b2c3d4");
        assertThat(label.templateRevision()).contains("a1b2c3d4");
        assertThat(WorkerLabel.parse("autoscaler:llm:main:0123456789abcdef").orElseThrow().templateRevision()).isEmpty();
    }
}
