package dev.autoscaler.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.autoscaler.EndpointSnapshot;
import dev.autoscaler.GroupSnapshot;
import dev.autoscaler.GroupTarget;
import dev.autoscaler.InvalidConfigException;
import dev.autoscaler.ScalingDecision;
import dev.autoscaler.Settings;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.spi.ScalingPolicy;
import dev.autoscaler.spi.ScalingPolicyProvider;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link ScalingPolicy} owes the engine. A policy's test class extends this one
 * and names its provider; every test here then runs against a policy made from {@link #params()}:
 *
 * <pre>{@code
 * class HalfPolicyContractTest extends ScalingPolicyContract {
 *     protected ScalingPolicyProvider provider() { return new HalfPolicyProvider(); }
 *     protected Map<String, String> badParams() { return Map.of("per_worker", "-1"); }
 * }
 * }</pre>
 *
 * <ul>
 * <li><b>caps</b>: the engine holds every decision to {@code max_workers}, each group's and the
 *     endpoint's ({@link dev.autoscaler.WorkerCaps}); a policy need not cap, but it must answer an
 *     absurd load or a cap of 0 without failing, and name no group the endpoint does not have;</li>
 * <li><b>floors</b>: requests waiting at an endpoint scaled to zero get a worker (else they wait
 *     forever); the {@code cold_workers} floor is the engine's (it never destroys loaded workers
 *     below it), not checked here;</li>
 * <li><b>determinism</b>: the same snapshot gives the same decision, from the same instance or
 *     from a new one;</li>
 * <li><b>no decision on missing data</b>: when the figures go stale (the load then reads 0), no
 *     group's active target falls below what the policy asked with the last fresh figures (or the
 *     workers that serve, if fewer); a group whose perf is not
 *     known yet is not scaled to zero under load; no groups, or load figures that are not numbers,
 *     do not make it throw;</li>
 * <li><b>parameter errors named</b>: an unknown parameter, and each of {@link #badParams()}, is an
 *     {@link InvalidConfigException} whose field is {@code policy_params.<key>}.</li>
 * </ul>
 * Snapshots are built with {@link SnapshotBuilder}; decisions are checked as the engine applies
 * them ({@link ScalingDecision#capped}).
 */
public abstract class ScalingPolicyContract {

    /** The provider under test, as it is registered in {@code META-INF/services}. */
    protected abstract ScalingPolicyProvider provider();

    /** The {@code policy_params} the tests run with; default none (the policy's defaults). */
    protected Map<String, String> params() {
        return Map.of();
    }

    /** Parameters that are each wrong on their own: every key must be named by the error. Default none. */
    protected Map<String, String> badParams() {
        return Map.of();
    }

    /** A new policy from {@link #params()}, as the engine makes one for an endpoint. */
    protected ScalingPolicy newPolicy() {
        ScalingPolicy policy = provider().create(Settings.of("policy_params", params()));
        assertThat(policy).as(provider().name() + ": create(params) returned null").isNotNull();
        return policy;
    }

    /** The policy's decision on {@code snapshot}, as the engine works toward it (capped), never null. */
    protected ScalingDecision decide(ScalingPolicy policy, EndpointSnapshot snapshot) {
        ScalingDecision decision = policy.decide(snapshot);
        assertThat(decision).as(provider().name() + ": decide returned null").isNotNull();
        assertThat(snapshot.config().groups().stream().map(WorkerGroupConfig::name).toList())
                .as("groups a decision names").containsAll(decision.targets().keySet());
        return decision.capped(snapshot.config());
    }

    /** The active target the engine would keep for {@code group}: the decision's, else the current one. */
    private static int activeTarget(ScalingDecision decision, GroupSnapshot group) {
        return decision.keepCurrent() ? group.currentTarget().active()
                : decision.targets().getOrDefault(group.name(), group.currentTarget()).active();
    }

    @Test
    @DisplayName("describes itself: a name and a description for `autoscaler policies`")
    void describesItself() {
        assertThat(provider().name()).as("name").isNotBlank().doesNotContainAnyWhitespaces();
        assertThat(provider().description()).as("description").isNotBlank();
    }

    @Test
    @DisplayName("caps: names only the endpoint's groups, and answers an absurd load under tight caps")
    void caps() {
        EndpointSnapshot absurd = SnapshotBuilder.endpoint("ep").config(c -> c.maxWorkers(3))
                .group("a", g -> g.serving(2))
                .group(WorkerGroupConfig.builder("b").maxWorkers(1).build(), g -> g.serving(1))
                .arrivalRate(1e300).waiting(1e300, Integer.MAX_VALUE).queueTime(1e9).build();
        ScalingDecision decision = decide(newPolicy(), absurd);
        int total = decision.targets().values().stream().mapToInt(GroupTarget::total).sum();
        assertThat(total).as("total after the engine's cap").isLessThanOrEqualTo(3);

        EndpointSnapshot closed = SnapshotBuilder.endpoint("ep").config(c -> c.maxWorkers(0))
                .group("a", g -> g).arrivalRate(5000).build();
        assertThat(decide(newPolicy(), closed).targets().values()).allMatch(t -> t.total() == 0);
    }

    @Test
    @DisplayName("floors: requests waiting at an endpoint scaled to zero get a worker")
    void waitingDemandGetsAWorker() {
        EndpointSnapshot scaledToZero = SnapshotBuilder.endpoint("ep").group("main", g -> g)
                .waiting(300, 3).queueTime(5).build();
        ScalingDecision decision = decide(newPolicy(), scaledToZero);
        assertThat(decision.keepCurrent()).as(decision.reason()).isFalse();
        assertThat(decision.targets().values().stream().mapToInt(GroupTarget::active).sum())
                .as("active workers asked for: " + decision.reason()).isPositive();
    }

    @Test
    @DisplayName("determinism: the same snapshot gives the same decision, from the same instance or a new one")
    void deterministic() {
        EndpointSnapshot snapshot = SnapshotBuilder.endpoint("ep")
                .group("a", g -> g.serving(3).stopped(1)).group("b", g -> g.perf(2500).serving(1))
                .arrivalRates(4200, 3100).inFlight(900).queueTime(0.4).build();
        ScalingPolicy policy = newPolicy();
        ScalingDecision first = decide(policy, snapshot);
        assertThat(decide(policy, snapshot).targets()).as("same instance").isEqualTo(first.targets());
        assertThat(decide(newPolicy(), snapshot)).as("new instance").isEqualTo(first);
    }

    @Test
    @DisplayName("no decision on missing data: when the figures go stale, nothing is scaled down")
    void staleFiguresScaleNothingDown() {
        EndpointSnapshot busy = SnapshotBuilder.endpoint("ep").group("main", g -> g.serving(4))
                .arrivalRate(3200).inFlight(3200).build();
        int wanted = activeTarget(decide(newPolicy(), busy), busy.groups().get(0));
        // the same fleet, but the reports stopped: the load reads 0 and cannot be trusted
        EndpointSnapshot stale = SnapshotBuilder.endpoint("ep").group("main", g -> g.serving(4)).stale().build();
        ScalingDecision decision = decide(newPolicy(), stale);
        assertThat(activeTarget(decision, stale.groups().get(0))).as(decision.reason())
                .isGreaterThanOrEqualTo(Math.min(wanted, 4));
    }

    @Test
    @DisplayName("no decision on missing data: a group whose perf is unknown is not scaled to zero under load")
    void unknownPerfUnderLoad() {
        EndpointSnapshot unknown = SnapshotBuilder.endpoint("ep").group("main", g -> g.perf(0).loadingForService(1))
                .arrivalRate(800).build();
        ScalingDecision decision = decide(newPolicy(), unknown);
        assertThat(activeTarget(decision, unknown.groups().get(0))).as(decision.reason()).isPositive();
    }

    @Test
    @DisplayName("no decision on missing data: no groups, or figures that are not numbers, do not make it throw")
    void oddFiguresDoNotThrow() {
        EndpointSnapshot noGroups = SnapshotBuilder.endpoint("ep").group("main", g -> g).build();
        EndpointSnapshot empty = new EndpointSnapshot(noGroups.config(), noGroups.now(), noGroups.nanoTime(),
                java.util.List.of(), noGroups.load());
        assertThatCode(() -> newPolicy().decide(empty)).doesNotThrowAnyException();
        EndpointSnapshot nan = SnapshotBuilder.endpoint("ep").group("main", g -> g.perf(Double.NaN).serving(1))
                .arrivalRates(Double.NaN, -5).queueTime(Double.POSITIVE_INFINITY).inFlight(Double.NaN).build();
        assertThatCode(() -> decide(newPolicy(), nan)).doesNotThrowAnyException();
    }

    @Test
    @DisplayName("parameter errors named: an unknown parameter is rejected by its name")
    void unknownParameterNamed() {
        Map<String, String> params = new java.util.HashMap<>(params());
        params.put("no_such_parameter", "1");
        InvalidConfigException e = catchThrowableOfType(
                () -> provider().create(Settings.of("policy_params", params)), InvalidConfigException.class);
        assertThat(e).as("an unknown parameter must be an InvalidConfigException").isNotNull();
        assertThat(e.field()).isEqualTo("policy_params.no_such_parameter");
    }

    @Test
    @DisplayName("parameter errors named: each bad parameter is rejected by its name")
    void badParametersNamed() {
        badParams().forEach((key, value) -> {
            Map<String, String> params = new java.util.HashMap<>(params());
            params.put(key, value);
            InvalidConfigException e = catchThrowableOfType(
                    () -> provider().create(Settings.of("policy_params", params)), InvalidConfigException.class);
            assertThat(e).as(key + "=" + value + " must be an InvalidConfigException").isNotNull();
            assertThat(e.field()).as(Objects.toString(e.getMessage())).isEqualTo("policy_params." + key);
        });
    }
}
