package dev.autoscaler.spi;

import dev.autoscaler.WorkerGroupConfig;
import java.util.Map;
import java.util.Objects;

/**
 * What the engine asks a provider to create.
 *
 * @param endpoint the endpoint's name
 * @param group    the group's configuration: template, search, price limit, worker port
 * @param label    the label to put on the instance; the provider must store it so that
 *                 {@link InstanceProvider#list()} returns it (it is how the engine re-adopts instances)
 * @param env      environment for the worker: the group template's env plus {@code MASTER_TOKEN},
 *                 {@code REPORT_ADDR} and {@code WORKER_PORT}
 */
public record CreateInstanceRequest(String endpoint, WorkerGroupConfig group, String label, Map<String, String> env) {
    public CreateInstanceRequest {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(label, "label");
        env = Map.copyOf(env);
    }
}
