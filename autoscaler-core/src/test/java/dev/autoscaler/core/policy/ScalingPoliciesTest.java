package dev.autoscaler.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autoscaler.AutoscalerException;
import dev.autoscaler.InvalidConfigException;
import dev.autoscaler.PluginNotFoundException;
import dev.autoscaler.ScalingDecision;
import dev.autoscaler.Settings;
import dev.autoscaler.spi.ScalingPolicy;
import dev.autoscaler.spi.ScalingPolicyProvider;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("scaling policies registry")
class ScalingPoliciesTest {

    private static Settings params(Map<String, String> values) {
        return Settings.of("policy_params", values);
    }

    @Test
    @DisplayName("the class path holds the built-in policies: vast, fixed, the anchors and frugal")
    void builtIns() {
        assertThat(ScalingPolicies.load().names()).contains("vast", "fixed", "knative", "hpa", "ray", "frugal");
    }

    @Test
    @DisplayName("every provider found describes itself")
    void descriptions() {
        assertThat(ScalingPolicies.load().providers())
                .allSatisfy(provider -> assertThat(provider.description()).isNotBlank());
    }

    @Test
    @DisplayName("create makes the named policy")
    void createByName() {
        ScalingPolicies policies = ScalingPolicies.load();

        assertThat(policies.create("vast", Settings.empty())).isInstanceOf(VastScalingPolicy.class);
        assertThat(policies.create("fixed", null)).isInstanceOf(FixedScalingPolicy.class);
    }

    @Test
    @DisplayName("an unknown name fails with the names found")
    void unknownName() {
        assertThatThrownBy(() -> ScalingPolicies.load().create("vasst", Settings.empty()))
                .isInstanceOf(PluginNotFoundException.class)
                .hasMessageStartingWith("no scaling policy named 'vasst'; found: ")
                .hasMessageContaining("fixed")
                .hasMessageContaining("vast");
    }

    @Test
    @DisplayName("a bad policy parameter is named")
    void badParam() {
        assertThatThrownBy(() -> ScalingPolicies.load().create("vast", params(Map.of("scale_down_step", "-1"))))
                .isInstanceOf(InvalidConfigException.class)
                .extracting(e -> ((InvalidConfigException) e).field())
                .isEqualTo("policy_params.scale_down_step");
    }

    @Test
    @DisplayName("policies registered by hand are found by name")
    void byHand() {
        ScalingPolicy keep = snapshot -> ScalingDecision.keep("never changes");
        ScalingPolicies policies = ScalingPolicies.of(List.of(provider("keep", keep)));

        assertThat(policies.names()).containsExactly("keep");
        assertThat(policies.create("keep", Settings.empty())).isSameAs(keep);
    }

    @Test
    @DisplayName("a provider that returns no policy is an error, not a null")
    void nullPolicy() {
        ScalingPolicies policies = ScalingPolicies.of(List.of(provider("broken", null)));

        assertThatThrownBy(() -> policies.create("broken", Settings.empty()))
                .isInstanceOf(AutoscalerException.class)
                .hasMessageContaining("'broken'")
                .hasMessageContaining("returned no policy");
    }

    private static ScalingPolicyProvider provider(String name, ScalingPolicy policy) {
        return new ScalingPolicyProvider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String description() {
                return "test policy " + name;
            }

            @Override
            public ScalingPolicy create(Settings params) {
                return policy;
            }
        };
    }
}
