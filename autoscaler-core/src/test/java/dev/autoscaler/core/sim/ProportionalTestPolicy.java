package dev.autoscaler.core.sim;

import dev.autoscaler.EndpointSnapshot;
import dev.autoscaler.GroupSnapshot;
import dev.autoscaler.GroupTarget;
import dev.autoscaler.ScalingDecision;
import dev.autoscaler.Settings;
import dev.autoscaler.spi.ScalingPolicy;
import dev.autoscaler.spi.ScalingPolicyProvider;
import java.util.Map;

/**
 * A throwaway policy for the simulator's own tests (the real ones live elsewhere): active workers =
 * ceil(short arrival rate / (perf x target_util)), at least one while anything waits, and a cold pool
 * of one. Registered under {@value #NAME} in the test class path only.
 */
public final class ProportionalTestPolicy implements ScalingPolicy {
    public static final String NAME = "test-proportional";

    @Override
    public ScalingDecision decide(EndpointSnapshot s) {
        GroupSnapshot g = s.groups().get(0);
        double perf = g.perfEstimate() > 0 ? g.perfEstimate() : 1000;
        double load = Math.max(s.load().arrivalRateShort(), s.load().waitingDemand() / 10);
        int active = (int) Math.ceil(load / (perf * s.config().targetUtil()));
        if (s.load().waitingRequests() > 0) {
            active = Math.max(active, 1);
        }
        return ScalingDecision.of(Map.of(g.name(), new GroupTarget(active, 1)), "load " + Math.round(load));
    }

    /** The provider registered in the test class path. */
    public static final class Provider implements ScalingPolicyProvider {
        @Override
        public String name() {
            return NAME;
        }

        @Override
        public String description() {
            return "test only: active = ceil(load / (perf x target_util)), one cold";
        }

        @Override
        public ScalingPolicy create(Settings params) {
            return new ProportionalTestPolicy();
        }
    }
}
