package dev.autoscaler;

import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * One worker group of an endpoint: what to run and where (docs/PROTOCOL.md#worker-group-fields).
 * Immutable; build with {@link #builder(String)}. Every rejected value throws
 * {@link InvalidConfigException} naming the field.
 */
public final class WorkerGroupConfig {
    /** The default of {@code gpu_ram}, in GB. */
    public static final double DEFAULT_GPU_RAM_GB = 24;
    /** The default of {@code worker_port}. */
    public static final int DEFAULT_WORKER_PORT = 3000;

    private final String name;
    private final WorkerTemplate template;
    private final String templateRevision;
    private final String searchParams;
    private final String launchArgs;
    private final double gpuRamGb;
    private final Integer coldWorkers;
    private final double weight;
    private final boolean overflow;
    private final Double maxPricePerHour;
    private final Double expectedPerf;
    private final String provider;
    private final int workerPort;
    private final Integer maxWorkers;

    private WorkerGroupConfig(Builder b) {
        this.name = Validate.name("group_name", b.name);
        this.template = Objects.requireNonNullElse(b.template, WorkerTemplate.none());
        this.templateRevision = template.revision(); // a SHA-256: once here, not on every tick
        this.searchParams = Objects.requireNonNullElse(b.searchParams, "").trim();
        this.launchArgs = Objects.requireNonNullElse(b.launchArgs, "");
        this.gpuRamGb = Validate.positive("gpu_ram", b.gpuRamGb);
        if (b.coldWorkers != null) {
            Validate.nonNegative("cold_workers", b.coldWorkers);
        }
        this.coldWorkers = b.coldWorkers;
        this.weight = Validate.nonNegative("weight", b.weight);
        this.overflow = b.overflow;
        if (b.maxPricePerHour != null) {
            Validate.positive("max_price_per_hour", b.maxPricePerHour);
        }
        this.maxPricePerHour = b.maxPricePerHour;
        if (b.expectedPerf != null) {
            Validate.positive("expected_perf", b.expectedPerf);
        }
        this.expectedPerf = b.expectedPerf;
        if (b.provider != null) {
            Validate.name("provider", b.provider);
        }
        this.provider = b.provider;
        if (b.workerPort < 1 || b.workerPort > 65535) {
            throw new InvalidConfigException("worker_port", "must be in 1..65535, got " + b.workerPort);
        }
        this.workerPort = b.workerPort;
        if (b.maxWorkers != null) {
            Validate.nonNegative("max_workers", b.maxWorkers);
        }
        this.maxWorkers = b.maxWorkers;
    }

    /**
     * A builder with the defaults.
     *
     * @param name the {@code group_name}
     * @return a new builder
     */
    public static Builder builder(String name) {
        return new Builder().name(name);
    }

    /**
     * A builder holding this group's values, to change some of them.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.name = name;
        b.template = template;
        b.searchParams = searchParams;
        b.launchArgs = launchArgs;
        b.gpuRamGb = gpuRamGb;
        b.coldWorkers = coldWorkers;
        b.weight = weight;
        b.overflow = overflow;
        b.maxPricePerHour = maxPricePerHour;
        b.expectedPerf = expectedPerf;
        b.provider = provider;
        b.workerPort = workerPort;
        b.maxWorkers = maxWorkers;
        return b;
    }

    /** {@return {@code group_name}: unique within its endpoint, {@code ^[A-Za-z0-9_-]+$}} */
    public String name() {
        return name;
    }

    /**
     * What the group's instances run: image, env, onstart, disk, ports.
     *
     * @return the template
     */
    public WorkerTemplate template() {
        return template;
    }

    /** {@return {@code template().revision()}, computed once: what the engine compares every worker against} */
    public String templateRevision() {
        return templateRevision;
    }

    /** {@return {@code search_params}: the offer filter in the Vast CLI query language; empty for none} */
    public String searchParams() {
        return searchParams;
    }

    /** {@return {@code launch_args}: extra arguments for the provider's launch} */
    public String launchArgs() {
        return launchArgs;
    }

    /** {@return {@code gpu_ram}: minimum GPU memory in GB (default 24)} */
    public double gpuRamGb() {
        return gpuRamGb;
    }

    /** {@return {@code cold_workers}: this group's override of the endpoint's floor, if any} */
    public OptionalInt coldWorkers() {
        return coldWorkers == null ? OptionalInt.empty() : OptionalInt.of(coldWorkers);
    }

    /** {@return {@code weight}: this group's share of the endpoint's traffic, relative to the other groups (default 1)} */
    public double weight() {
        return weight;
    }

    /** {@code overflow}: gets traffic only when the primary groups are full. */
    public boolean overflow() {
        return overflow;
    }

    /** {@return {@code max_price_per_hour}: the most an instance of this group may cost, in $/h} */
    public OptionalDouble maxPricePerHour() {
        return maxPricePerHour == null ? OptionalDouble.empty() : OptionalDouble.of(maxPricePerHour);
    }

    /**
     * {@code expected_perf}: the perf (perf units/s) to assume for a new worker until one of this
     * group has benchmarked. Without it, the first scale-up from zero is one worker at a time.
     */
    public OptionalDouble expectedPerf() {
        return expectedPerf == null ? OptionalDouble.empty() : OptionalDouble.of(expectedPerf);
    }

    /** {@return {@code provider}: the name of the instance provider for this group; empty for the engine's default} */
    public java.util.Optional<String> provider() {
        return java.util.Optional.ofNullable(provider);
    }

    /** {@return {@code worker_port}: the port the worker serves on inside its instance (default 3000)} */
    public int workerPort() {
        return workerPort;
    }

    /**
     * {@code max_workers}: a hard cap on this group's workers in all states, like the endpoint's
     * {@code max_workers} but for one group (a scarce GPU type, a canary held small); empty for no
     * cap of its own. The endpoint's cap still holds over all groups.
     */
    public OptionalInt maxWorkers() {
        return maxWorkers == null ? OptionalInt.empty() : OptionalInt.of(maxWorkers);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof WorkerGroupConfig other)) {
            return false;
        }
        return name.equals(other.name) && template.equals(other.template) && searchParams.equals(other.searchParams)
                && launchArgs.equals(other.launchArgs) && gpuRamGb == other.gpuRamGb
                && Objects.equals(coldWorkers, other.coldWorkers) && weight == other.weight
                && overflow == other.overflow && Objects.equals(maxPricePerHour, other.maxPricePerHour)
                && Objects.equals(expectedPerf, other.expectedPerf) && Objects.equals(provider, other.provider)
                && workerPort == other.workerPort && Objects.equals(maxWorkers, other.maxWorkers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, template, searchParams, weight, overflow);
    }

    @Override
    public String toString() {
        return "WorkerGroupConfig{" + name + ", weight=" + weight + (overflow ? ", overflow" : "")
                + (maxWorkers == null ? "" : ", max_workers=" + maxWorkers)
                + (searchParams.isEmpty() ? "" : ", search='" + searchParams + "'") + "}";
    }

    /** Builder with Vast's defaults. */
    public static final class Builder {
        private String name;
        private WorkerTemplate template;
        private String searchParams = "";
        private String launchArgs = "";
        private double gpuRamGb = DEFAULT_GPU_RAM_GB;
        private Integer coldWorkers;
        private double weight = 1.0;
        private boolean overflow;
        private Double maxPricePerHour;
        private Double expectedPerf;
        private String provider;
        private int workerPort = DEFAULT_WORKER_PORT;
        private Integer maxWorkers;

        private Builder() {
        }

        /**
         * Sets what {@link WorkerGroupConfig#name()} returns.
         *
         * @param name the value
         * @return this builder
         */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /**
         * Sets what {@link WorkerGroupConfig#template()} returns.
         *
         * @param template the value
         * @return this builder
         */
        public Builder template(WorkerTemplate template) {
            this.template = template;
            return this;
        }

        /**
         * Sets what {@link WorkerGroupConfig#searchParams()} returns.
         *
         * @param searchParams the value
         * @return this builder
         */
        public Builder searchParams(String searchParams) {
            this.searchParams = searchParams;
            return this;
        }

        /**
         * Sets what {@link WorkerGroupConfig#launchArgs()} returns.
         *
         * @param launchArgs the value
         * @return this builder
         */
        public Builder launchArgs(String launchArgs) {
            this.launchArgs = launchArgs;
            return this;
        }

        /**
         * Sets what {@link WorkerGroupConfig#gpuRamGb()} returns.
         *
         * @param gpuRamGb the value
         * @return this builder
         */
        public Builder gpuRamGb(double gpuRamGb) {
            this.gpuRamGb = gpuRamGb;
            return this;
        }

        /**
         * Sets what {@link WorkerGroupConfig#coldWorkers()} returns.
         *
         * @param coldWorkers the value
         * @return this builder
         */
        public Builder coldWorkers(Integer coldWorkers) {
            this.coldWorkers = coldWorkers;
            return this;
        }

        /**
         * Sets what {@link WorkerGroupConfig#weight()} returns.
         *
         * @param weight the value
         * @return this builder
         */
        public Builder weight(double weight) {
            this.weight = weight;
            return this;
        }

        /**
         * Sets what {@link WorkerGroupConfig#overflow()} returns.
         *
         * @param overflow the value
         * @return this builder
         */
        public Builder overflow(boolean overflow) {
            this.overflow = overflow;
            return this;
        }

        /**
         * Sets what {@link WorkerGroupConfig#maxPricePerHour()} returns.
         *
         * @param maxPricePerHour the value
         * @return this builder
         */
        public Builder maxPricePerHour(Double maxPricePerHour) {
            this.maxPricePerHour = maxPricePerHour;
            return this;
        }

        /**
         * Sets what {@link WorkerGroupConfig#expectedPerf()} returns.
         *
         * @param expectedPerf the value
         * @return this builder
         */
        public Builder expectedPerf(Double expectedPerf) {
            this.expectedPerf = expectedPerf;
            return this;
        }

        /**
         * Sets what {@link WorkerGroupConfig#provider()} returns.
         *
         * @param provider the value
         * @return this builder
         */
        public Builder provider(String provider) {
            this.provider = provider;
            return this;
        }

        /**
         * Sets what {@link WorkerGroupConfig#workerPort()} returns.
         *
         * @param workerPort the value
         * @return this builder
         */
        public Builder workerPort(int workerPort) {
            this.workerPort = workerPort;
            return this;
        }

        /**
         * The group's own cap on its workers in all states; {@code null} for none.
         *
         * @param maxWorkers the new value
         * @return this builder
         */
        public Builder maxWorkers(Integer maxWorkers) {
            this.maxWorkers = maxWorkers;
            return this;
        }

        /** Validates and copies. */
        public WorkerGroupConfig build() {
            return new WorkerGroupConfig(this);
        }
    }
}
