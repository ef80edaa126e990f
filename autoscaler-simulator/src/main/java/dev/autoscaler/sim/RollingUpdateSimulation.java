package dev.autoscaler.sim;

import dev.autoscaler.AutoscalerEvent;
import dev.autoscaler.EndpointConfig;
import dev.autoscaler.GroupTarget;
import dev.autoscaler.RolloutStatus;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.WorkerIntent;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import dev.autoscaler.WorkerTemplate;
import dev.autoscaler.core.Autoscaler;
import dev.autoscaler.spi.AutoscalerListener;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * {@code ./autoscaler simulate --rolling-update}: the run of a {@link SimulationConfig} in which the
 * first group's template changes at a given time, through {@link Autoscaler#updateEndpoint} as the
 * admin API does, while the trace goes on. It watches the update through the real router and the
 * engine's events: what was drained, whether a request reached a draining worker or failed because a
 * worker the update retired went away while holding it (told apart from a worker that went away for
 * another reason), how many waited too long (a capacity figure, not the update's), and how low the
 * group's routable count went against the decision's target. A busy worker the policy's scale-down
 * takes out of service meanwhile drains to stop (intent cold): it is counted apart, not as one of
 * the update's drains.
 */
public final class RollingUpdateSimulation {
    /** The template the group changes to. */
    public static final WorkerTemplate NEW_TEMPLATE = WorkerTemplate.ofImage("sim/model:v2");

    /** A run's usual figures and what its rolling update did. */
    public record Result(SimulationReport report, RollingUpdateReport rollingUpdate) {
    }

    private RollingUpdateSimulation() {
    }

    /** The template change at {@code fraction} of the workload's duration (e.g. 0.4). */
    public static Result run(SimulationConfig config, double fraction) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be in [0, 1], got " + fraction);
        }
        return run(config, Duration.ofNanos(Math.round(config.workload().durationNanos() * fraction)));
    }

    public static Result run(SimulationConfig config, Duration changeAt) {
        WorkerGroupConfig group = config.endpoint().groups().get(0);
        Watch watch = new Watch(config.endpoint().name(), group.name(), group.templateRevision(),
                NEW_TEMPLATE.revision());
        Simulation simulation = Simulation.builder(config)
                .listener(watch)
                .worldListener(watch)
                .dispatcher(engine -> {
                    watch.engine = engine;
                    return watch.wrap(new RouterDispatcher(engine, new SplittableRandom(config.seed() * 31 + 3)));
                })
                .at(changeAt, engine -> {
                    watch.changedAtNanos = engine.clock().nanoTime();
                    watch.changed = true;
                    engine.updateEndpoint(config.endpoint().name(), e -> withTemplate(e, group.name()));
                })
                .build();
        SimulationReport report = simulation.run();
        return new Result(report, watch.report());
    }

    private static EndpointConfig withTemplate(EndpointConfig e, String group) {
        List<WorkerGroupConfig> groups = e.groups().stream()
                .map(g -> g.name().equals(group) ? g.toBuilder().template(NEW_TEMPLATE).build() : g).toList();
        return e.toBuilder().groups(groups).build();
    }

    /** Watches one group's update: engine events, world events and every route. */
    private static final class Watch implements AutoscalerListener, SimWorldListener {
        private final String endpoint;
        private final String group;
        private final String from;
        private final String to;
        Autoscaler engine;
        boolean changed;
        long changedAtNanos;
        private long doneAtNanos = -1;
        private int drains;
        private int drainsToStop;
        private int routedToDraining;
        private int failed;
        private int failedOtherwise;
        /** Workers the update took away: drained, or destroyed as outdated. */
        private final java.util.Set<String> retiredByUpdate = new java.util.HashSet<>();
        private int dropped;
        private int minRoutable = Integer.MAX_VALUE;
        private int targetAtMin;
        private int minMarginAfterDrain = Integer.MAX_VALUE;

        Watch(String endpoint, String group, String from, String to) {
            this.endpoint = endpoint;
            this.group = group;
            this.from = from;
            this.to = to;
        }

        private boolean running() {
            return changed && doneAtNanos < 0;
        }

        @Override
        public void onEvent(AutoscalerEvent event) {
            if (!running() || engine == null) {
                return;
            }
            boolean drainToStop = event instanceof AutoscalerEvent.WorkerStateChanged c && c.group().equals(group)
                    && c.to() == WorkerState.DRAINING && drainsToStop(c.workerId());
            if (event instanceof AutoscalerEvent.WorkerStateChanged c && c.group().equals(group) && !drainToStop
                    && (c.to() == WorkerState.DRAINING || (c.to() == WorkerState.DESTROYING
                    && c.reason().contains("template changed")))) {
                retiredByUpdate.add(c.workerId());
            }
            int routable = routable();
            int target = target();
            if (drainToStop) {
                drainsToStop++;
            } else if (event instanceof AutoscalerEvent.WorkerStateChanged c && c.to() == WorkerState.DRAINING
                    && c.group().equals(group)) {
                drains++;
                minMarginAfterDrain = Math.min(minMarginAfterDrain, routable - target);
            }
            if (routable < minRoutable) {
                minRoutable = routable;
                targetAtMin = target;
            }
            boolean inProgress = engine.rollout(endpoint).stream().filter(r -> r.group().equals(group))
                    .anyMatch(RolloutStatus::inProgress);
            if (!inProgress) {
                doneAtNanos = engine.clock().nanoTime();
            }
        }

        @Override
        public void requestBounced(SimRequest request, long nowNanos) {
            if (!running()) {
                return;
            }
            String[] label = request.label == null ? new String[0] : request.label.split(":", -1);
            if (label.length == 4 && retiredByUpdate.contains(label[3])) {
                failed++; // the worker id is the label's uid
            } else {
                failedOtherwise++;
            }
        }

        @Override
        public void requestDropped(SimRequest request, long nowNanos) {
            if (running()) {
                dropped++;
            }
        }

        SimDispatcher wrap(SimDispatcher router) {
            return new SimDispatcher() {
                @Override
                public Route route(String endpoint, double cost, long requestIdx) {
                    Route route = router.route(endpoint, cost, requestIdx);
                    route.url().ifPresent(url -> {
                        for (WorkerRecord w : engine.workers(endpoint)) {
                            if (w.url().equals(url) && w.state() == WorkerState.DRAINING) {
                                routedToDraining++;
                            }
                        }
                    });
                    return route;
                }

                @Override
                public void workerReported(dev.autoscaler.LoadReport report) {
                    router.workerReported(report);
                }

                @Override
                public void abandoned(String endpoint, long requestIdx) {
                    router.abandoned(endpoint, requestIdx);
                }

                @Override
                public void sweep() {
                    router.sweep();
                }
            };
        }

        /** A drain to stop (a scale-down) keeps the worker's revision and marks it for the cold pool. */
        private boolean drainsToStop(String workerId) {
            return engine.workers(endpoint).stream().anyMatch(w -> w.workerId().equals(workerId)
                    && w.state() == WorkerState.DRAINING && w.intent() == WorkerIntent.COLD);
        }

        private int routable() {
            return (int) engine.workers(endpoint).stream().filter(w -> w.group().equals(group)
                    && w.state() == WorkerState.READY && w.intent() == WorkerIntent.ACTIVE).count();
        }

        private int target() {
            GroupTarget t = engine.targets(endpoint).get(group);
            return t == null ? 0 : t.active();
        }

        RollingUpdateReport report() {
            Objects.requireNonNull(engine, "the simulation did not run");
            return new RollingUpdateReport(group, from, to, changedAtNanos / 1e9,
                    doneAtNanos < 0 ? Double.NaN : doneAtNanos / 1e9, drains, routedToDraining, failed, failedOtherwise, drainsToStop, dropped,
                    minRoutable == Integer.MAX_VALUE ? routable() : minRoutable, targetAtMin,
                    minMarginAfterDrain == Integer.MAX_VALUE ? 0 : minMarginAfterDrain);
        }
    }
}
