package dev.autoscaler;

import java.util.Objects;

/**
 * Everything the engine knows about one worker. Immutable: every change makes a new record through
 * {@link #toBuilder()}, and the state store bumps {@link #version()} on each update, so that a shared
 * store can detect lost updates.
 *
 * @param workerId the engine's unique id of this worker, also the last part of its label
 * @param endpoint the endpoint it belongs to
 * @param group the worker group it belongs to
 * @param label the label put on its instance (see the engine's label format)
 * @param instanceId the provider's instance id, also the {@code id} the worker reports; empty until created
 * @param mtoken the secret the worker authenticates its reports with
 * @param state its lifecycle state
 * @param intent why it was rented: to serve or to fill the cold pool
 * @param url its public base URL, no trailing slash; empty until known
 * @param maxPerf its measured benchmark throughput, perf units/s; 0 until benchmarked
 * @param reliability the provider's reliability score in [0, 1]; perf = maxPerf x reliability
 * @param gpuName the GPU type, e.g. {@code RTX 4090}; empty when unknown
 * @param pricePerHour what the instance costs while running, $/h
 * @param curLoad workload in flight, from its last report
 * @param reservedLoad workload the router sent it that no report has accounted for yet
 * @param numRequestsWorking requests in flight, from its last report
 * @param numRequestsReceived cumulative requests received, from its last report
 * @param errorMsg the last error it reported; empty when none
 * @param errorCount how many times it has reported an error since it was created
 * @param createdAtNanos monotonic time it was created or adopted
 * @param stateSinceNanos monotonic time it entered its current state
 * @param lastReportNanos monotonic time of its last report, or {@link #NEVER}
 * @param version bumped by the state store on every update; for optimistic concurrency
 * @param templateRevision the {@link WorkerTemplate#revision()} of its group's template when it was
 *                         created; empty when unknown (taken as current: never rolled for that alone)
 * @param reservedRequests how many requests the router sent it that no report has accounted for yet
 *                         (the count behind {@code reservedLoad}: a request of cost 0 is a reservation too,
 *                         so a worker holding one is not idle and is never stopped under it)
 */
public record WorkerRecord(
        String workerId,
        String endpoint,
        String group,
        String label,
        String instanceId,
        String mtoken,
        WorkerState state,
        WorkerIntent intent,
        String url,
        double maxPerf,
        double reliability,
        String gpuName,
        double pricePerHour,
        double curLoad,
        double reservedLoad,
        long numRequestsWorking,
        long numRequestsReceived,
        String errorMsg,
        int errorCount,
        long createdAtNanos,
        long stateSinceNanos,
        long lastReportNanos,
        long version,
        String templateRevision,
        int reservedRequests) {

    /** The value of {@link #lastReportNanos()} for a worker that never reported. */
    public static final long NEVER = Long.MIN_VALUE;

    public WorkerRecord {
        Objects.requireNonNull(workerId, "workerId");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(label, "label");
        instanceId = Objects.requireNonNullElse(instanceId, "");
        Objects.requireNonNull(mtoken, "mtoken");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(intent, "intent");
        url = Objects.requireNonNullElse(url, "");
        gpuName = Objects.requireNonNullElse(gpuName, "");
        errorMsg = Objects.requireNonNullElse(errorMsg, "");
        templateRevision = Objects.requireNonNullElse(templateRevision, "");
    }

    /** The record without a count of reserved requests. */
    public WorkerRecord(String workerId, String endpoint, String group, String label, String instanceId, String mtoken,
                        WorkerState state, WorkerIntent intent, String url, double maxPerf, double reliability,
                        String gpuName, double pricePerHour, double curLoad, double reservedLoad,
                        long numRequestsWorking, long numRequestsReceived, String errorMsg, int errorCount,
                        long createdAtNanos, long stateSinceNanos, long lastReportNanos, long version,
                        String templateRevision) {
        this(workerId, endpoint, group, label, instanceId, mtoken, state, intent, url, maxPerf, reliability, gpuName,
                pricePerHour, curLoad, reservedLoad, numRequestsWorking, numRequestsReceived, errorMsg, errorCount,
                createdAtNanos, stateSinceNanos, lastReportNanos, version, templateRevision, 0);
    }

    /** {@return capacity in perf units/s: measured max_perf x reliability (docs/PROTOCOL.md#capacity-semantics)} */
    public double perf() {
        return maxPerf * reliability;
    }

    /** {@return price-performance: perf per dollar-hour; 0 when perf is unknown, infinite when free} */
    public double perfPerDollar() {
        double perf = perf();
        if (perf <= 0) {
            return 0;
        }
        return pricePerHour <= 0 ? Double.POSITIVE_INFINITY : perf / pricePerHour;
    }

    /** {@return expected seconds of queued work: (in flight + reserved) / perf; infinite when perf is unknown} */
    public double expectedQueueSeconds() {
        double perf = perf();
        return perf <= 0 ? Double.POSITIVE_INFINITY : (curLoad + reservedLoad) / perf;
    }

    /** Seconds in the current state at monotonic time {@code nowNanos}. */
    public double secondsInState(long nowNanos) {
        return (nowNanos - stateSinceNanos) / 1e9;
    }

    /** {@return seconds since the last report, or infinity when it never reported} */
    public double secondsSinceReport(long nowNanos) {
        return lastReportNanos == NEVER ? Double.POSITIVE_INFINITY : (nowNanos - lastReportNanos) / 1e9;
    }

    /** A new worker, before its instance exists. */
    public static Builder builder(String workerId, String endpoint, String group, String label, String mtoken) {
        Builder b = new Builder();
        b.workerId = workerId;
        b.endpoint = endpoint;
        b.group = group;
        b.label = label;
        b.mtoken = mtoken;
        return b;
    }

    /**
     * A builder holding this record's values, to change some of them.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.workerId = workerId;
        b.endpoint = endpoint;
        b.group = group;
        b.label = label;
        b.instanceId = instanceId;
        b.mtoken = mtoken;
        b.state = state;
        b.intent = intent;
        b.url = url;
        b.maxPerf = maxPerf;
        b.reliability = reliability;
        b.gpuName = gpuName;
        b.pricePerHour = pricePerHour;
        b.curLoad = curLoad;
        b.reservedLoad = reservedLoad;
        b.numRequestsWorking = numRequestsWorking;
        b.numRequestsReceived = numRequestsReceived;
        b.errorMsg = errorMsg;
        b.errorCount = errorCount;
        b.createdAtNanos = createdAtNanos;
        b.stateSinceNanos = stateSinceNanos;
        b.lastReportNanos = lastReportNanos;
        b.version = version;
        b.templateRevision = templateRevision;
        b.reservedRequests = reservedRequests;
        return b;
    }

    /** {@return a copy in another state, entered at {@code nowNanos}; the transition must be legal} */
    public WorkerRecord withState(WorkerState next, long nowNanos) {
        if (next == state) {
            return this;
        }
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException("worker " + workerId + ": illegal transition " + state + " -> " + next);
        }
        return toBuilder().state(next).stateSinceNanos(nowNanos).build();
    }

    /** Builder; the defaults are those of a worker about to be created. */
    public static final class Builder {
        private String workerId;
        private String endpoint;
        private String group;
        private String label;
        private String instanceId = "";
        private String mtoken;
        private WorkerState state = WorkerState.CREATING;
        private WorkerIntent intent = WorkerIntent.ACTIVE;
        private String url = "";
        private double maxPerf;
        private double reliability = 1.0;
        private String gpuName = "";
        private double pricePerHour;
        private double curLoad;
        private double reservedLoad;
        private int reservedRequests;
        private long numRequestsWorking;
        private long numRequestsReceived;
        private String errorMsg = "";
        private int errorCount;
        private long createdAtNanos;
        private long stateSinceNanos;
        private long lastReportNanos = NEVER;
        private long version;
        private String templateRevision = "";

        private Builder() {
        }

        /**
         * Sets what {@link WorkerRecord#workerId()} returns.
         *
         * @param workerId the value
         * @return this builder
         */
        public Builder workerId(String workerId) {
            this.workerId = workerId;
            return this;
        }

        /**
         * Sets what {@link WorkerRecord#endpoint()} returns.
         *
         * @param endpoint the value
         * @return this builder
         */
        public Builder endpoint(String endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        /**
         * Sets what {@link WorkerRecord#group()} returns.
         *
         * @param group the value
         * @return this builder
         */
        public Builder group(String group) {
            this.group = group;
            return this;
        }

        /**
         * Sets what {@link WorkerRecord#label()} returns.
         *
         * @param label the value
         * @return this builder
         */
        public Builder label(String label) {
            this.label = label;
            return this;
        }

        /**
         * Sets what {@link WorkerRecord#instanceId()} returns.
         *
         * @param instanceId the value
         * @return this builder
         */
        public Builder instanceId(String instanceId) {
            this.instanceId = instanceId;
            return this;
        }

        /**
         * Sets what {@link WorkerRecord#mtoken()} returns.
         *
         * @param mtoken the value
         * @return this builder
         */
        public Builder mtoken(String mtoken) {
            this.mtoken = mtoken;
            return this;
        }

        /**
         * Sets what {@link WorkerRecord#state()} returns.
         *
         * @param state the value
         * @return this builder
         */
        public Builder state(WorkerState state) {
            this.state = state;
            return this;
        }

        /**
         * Sets what {@link WorkerRecord#intent()} returns.
         *
         * @param intent the value
         * @return this builder
         */
        public Builder intent(WorkerIntent intent) {
            this.intent = intent;
            return this;
        }

        /**
         * Sets what {@link WorkerRecord#url()} returns.
         *
         * @param url the value
         * @return this builder
         */
        public Builder url(String url) {
            this.url = url;
            return this;
        }

        /**
         * Sets what {@link WorkerRecord#maxPerf()} returns.
         *
         * @param maxPerf the value
         * @return this builder
         */
        public Builder maxPerf(double maxPerf) {
            this.maxPerf = maxPerf;
            return this;
        }

        /**
         * Sets what {@link WorkerRecord#reliability()} returns.
         *
         * @param reliability the value
         * @return this builder
         */
        public Builder reliability(double reliability) {
            this.reliability = reliability;
            return this;
        }

        /**
         * Sets what {@link WorkerRecord#gpuName()} returns.
         *
         * @param gpuName the value
         * @return this builder
         */
        public Builder gpuName(String gpuName) {
            this.gpuName = gpuName;
            return this;
        }

        /**
         * Sets what {@link WorkerRecord#pricePerHour()} returns.
         *
         * @param pricePerHour the value
         * @return this builder
         */
        public Builder pricePerHour(double pricePerHour) {
            this.pricePerHour = pricePerHour;
            return this;
        }

        /**
         * Sets what {@link WorkerRecord#curLoad()} returns.
         *
         * @param curLoad the value
         * @return this builder
         */
        public Builder curLoad(double curLoad) {
            this.curLoad = curLoad;
            return this;
        }

        /**
         * Sets what {@link WorkerRecord#reservedLoad()} returns.
         *
         * @param reservedLoad the value
         * @return this builder
         */
        public Builder reservedLoad(double reservedLoad) {
            this.reservedLoad = reservedLoad;
            return this;
        }

        /**
         * Sets what {@link WorkerRecord#numRequestsWorking()} returns.
         *
         * @param numRequestsWorking the value
         * @return this builder
         */
        public Builder numRequestsWorking(long numRequestsWorking) {
            this.numRequestsWorking = numRequestsWorking;
            return this;
        }

        /**
         * Sets what {@link WorkerRecord#numRequestsReceived()} returns.
         *
         * @param numRequestsReceived the value
         * @return this builder
         */
        public Builder numRequestsReceived(long numRequestsReceived) {
            this.numRequestsReceived = numRequestsReceived;
            return this;
        }

        /**
         * Sets what {@link WorkerRecord#errorMsg()} returns.
         *
         * @param errorMsg the value
         * @return this builder
         */
        public Builder errorMsg(String errorMsg) {
            this.errorMsg = errorMsg;
            return this;
        }

        /**
         * Sets what {@link WorkerRecord#errorCount()} returns.
         *
         * @param errorCount the value
         * @return this builder
         */
        public Builder errorCount(int errorCount) {
            this.errorCount = errorCount;
            return this;
        }

        /**
         * Sets what {@link WorkerRecord#createdAtNanos()} returns.
         *
         * @param createdAtNanos the value
         * @return this builder
         */
        public Builder createdAtNanos(long createdAtNanos) {
            this.createdAtNanos = createdAtNanos;
            return this;
        }

        /**
         * Sets what {@link WorkerRecord#stateSinceNanos()} returns.
         *
         * @param stateSinceNanos the value
         * @return this builder
         */
        public Builder stateSinceNanos(long stateSinceNanos) {
            this.stateSinceNanos = stateSinceNanos;
            return this;
        }

        /**
         * Sets what {@link WorkerRecord#lastReportNanos()} returns.
         *
         * @param lastReportNanos the value
         * @return this builder
         */
        public Builder lastReportNanos(long lastReportNanos) {
            this.lastReportNanos = lastReportNanos;
            return this;
        }

        /**
         * Sets what {@link WorkerRecord#version()} returns.
         *
         * @param version the value
         * @return this builder
         */
        public Builder version(long version) {
            this.version = version;
            return this;
        }

        /**
         * Sets what {@link WorkerRecord#templateRevision()} returns.
         *
         * @param templateRevision the value
         * @return this builder
         */
        public Builder templateRevision(String templateRevision) {
            this.templateRevision = templateRevision;
            return this;
        }

        /** How many requests the router reserved on it that no report accounted for yet (never below 0). */
        public Builder reservedRequests(int reservedRequests) {
            this.reservedRequests = Math.max(0, reservedRequests);
            return this;
        }

        /**
         * The record.
         *
         * @return a new record
         */
        public WorkerRecord build() {
            return new WorkerRecord(workerId, endpoint, group, label, instanceId, mtoken, state, intent, url,
                    maxPerf, reliability, gpuName, pricePerHour, curLoad, reservedLoad, numRequestsWorking,
                    numRequestsReceived, errorMsg, errorCount, createdAtNanos, stateSinceNanos, lastReportNanos,
                    version, templateRevision, reservedRequests);
        }
    }
}
