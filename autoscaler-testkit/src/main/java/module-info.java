/** Contract tests for plugin authors: extend {@code InstanceProviderContract} to test a provider. */
module dev.autoscaler.testkit {
    requires transitive dev.autoscaler.api;
    requires transitive org.junit.jupiter.api;
    requires transitive org.assertj.core;

    exports dev.autoscaler.testkit;
}
