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
 * @param mtoken       the {@code MASTER_TOKEN} this instance's worker already holds, for providers
 *                     whose workers are configured outside the engine (a static fleet); empty (the
 *                     usual case) when the worker got the token the engine put in
 *                     {@link CreateInstanceRequest#env()}. When set, the engine authenticates the
 *                     worker's reports with it instead of the token it derives from the label.
 */
public record Instance(String id, String label, InstanceStatus status, String url, String gpuName,
                       double pricePerHour, double reliability, String mtoken) {
    public Instance {
        Objects.requireNonNull(id, "id");
        label = Objects.requireNonNullElse(label, "");
        Objects.requireNonNull(status, "status");
        url = Objects.requireNonNullElse(url, "");
        gpuName = Objects.requireNonNullElse(gpuName, "");
        mtoken = Objects.requireNonNullElse(mtoken, "");
    }

    /** An instance whose worker uses the engine's token (every provider but a static fleet). */
    public Instance(String id, String label, InstanceStatus status, String url, String gpuName,
                    double pricePerHour, double reliability) {
        this(id, label, status, url, gpuName, pricePerHour, reliability, "");
    }

    /**
     * The same instance in another status.
     *
     * @param next the new status
     * @return a copy with that status
     */
    public Instance withStatus(InstanceStatus next) {
        return new Instance(id, label, next, url, gpuName, pricePerHour, reliability, mtoken);
    }

    /** {@return true when the provider supplies the worker's token ({@link #mtoken()} is set)} */
    public boolean hasOwnMtoken() {
        return !mtoken.isEmpty();
    }

    @Override
    public String toString() {
        // never print the token
        return "Instance[id=" + id + ", label=" + label + ", status=" + status + ", url=" + url + ", gpuName=" + gpuName
                + ", pricePerHour=" + pricePerHour + ", reliability=" + reliability
                + (mtoken.isEmpty() ? "" : ", mtoken=(set)") + "]";
    }
}
