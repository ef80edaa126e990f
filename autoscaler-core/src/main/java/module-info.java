/**
 * The engine, the router, the HTTP surface, tickets, the built-in policies and the {@code static}
 * provider. The {@code internal} packages are not exported.
 */
module dev.autoscaler.core {
    requires transitive dev.autoscaler.api;
    requires transitive java.net.http; // AutoscalerClient.Builder takes an HttpClient
    requires transitive com.fasterxml.jackson.databind; // EndpointConfigJson reads and writes its nodes
    requires jdk.httpserver;
    requires org.bouncycastle.provider;
    requires com.github.benmanes.caffeine;
    requires org.slf4j;

    exports dev.autoscaler.core;
    exports dev.autoscaler.core.client;
    exports dev.autoscaler.core.compare;
    exports dev.autoscaler.core.history;
    exports dev.autoscaler.core.http;
    exports dev.autoscaler.core.json;
    exports dev.autoscaler.core.plugin;
    exports dev.autoscaler.core.policy;
    exports dev.autoscaler.core.provider;
    exports dev.autoscaler.core.router;
    exports dev.autoscaler.core.store;
    exports dev.autoscaler.core.ticket;

    uses dev.autoscaler.core.http.ApiServerFactory;
    uses dev.autoscaler.spi.InstanceProviderFactory;
    uses dev.autoscaler.spi.RoutingStrategyProvider;
    uses dev.autoscaler.spi.ScalingPolicyProvider;

    provides dev.autoscaler.core.http.ApiServerFactory with dev.autoscaler.core.http.JdkApiServerFactory;
    provides dev.autoscaler.spi.InstanceProviderFactory with dev.autoscaler.core.provider.StaticInstanceProviderFactory;
    provides dev.autoscaler.spi.RoutingStrategyProvider with dev.autoscaler.core.router.LeastExpectedWaitStrategyProvider,
            dev.autoscaler.core.router.PowerOfTwoChoicesStrategyProvider;
    provides dev.autoscaler.spi.ScalingPolicyProvider with dev.autoscaler.core.policy.VastScalingPolicyProvider,
            dev.autoscaler.core.policy.FixedScalingPolicyProvider, dev.autoscaler.core.policy.KnativeScalingPolicyProvider,
            dev.autoscaler.core.policy.HpaScalingPolicyProvider, dev.autoscaler.core.policy.RayServeScalingPolicyProvider,
            dev.autoscaler.core.policy.FrugalScalingPolicyProvider;
}
