package dev.autoscaler.spi;

import java.util.Objects;

/**
 * One instance as an {@link InstanceProvider} lists it.
 *
 * @param id           the provider's id; also the {@code id} its worker reports
 * @param label        the label the engine gave it at creation; empty when it has none
 * @param status       its state
 * @param url          the worker's public base URL (no trailing slash) while known; empty otherwise
 * @param gpuName      the GPU type, e.g. {@code RTX 4090}; empty when unknown
 * @param pricePerHour what it costs while running, $/h
 * @param reliability  the provider's reliability score in [0, 1] (1 when the provider has none)
 */
public record Instance(String id, String label, InstanceStatus status, String url, String gpuName,
                       double pricePerHour, double reliability) {
    public Instance {
        Objects.requireNonNull(id, "id");
        label = Objects.requireNonNullElse(label, "");
        Objects.requireNonNull(status, "status");
        url = Objects.requireNonNullElse(url, "");
        gpuName = Objects.requireNonNullElse(gpuName, "");
    }

    public Instance withStatus(InstanceStatus next) {
        return new Instance(id, label, next, url, gpuName, pricePerHour, reliability);
    }
}
