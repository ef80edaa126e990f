package dev.autoscaler;

import java.util.List;
import java.util.Objects;

/**
 * One {@code POST /worker_status/} report, every field of docs/PROTOCOL.md#post-worker_status. Fields a worker left out
 * hold their neutral value (0, empty), as a failing worker posts only {@code id}, {@code mtoken},
 * {@code version}, {@code error_msg} and {@code url}.
 *
 * @param id                  the worker's instance id ({@code id})
 * @param mtoken              the per-worker secret ({@code mtoken})
 * @param version             worker library version ({@code version})
 * @param url                 the worker's public base URL ({@code url})
 * @param loadtime            seconds from start to model ready; 0 until loaded ({@code loadtime})
 * @param curLoad             workload in flight ({@code cur_load})
 * @param newLoad             workload received since the last report ({@code new_load})
 * @param rejLoad             workload rejected since the last report ({@code rej_load})
 * @param curPerf             workload served since the last report, a sum ({@code cur_perf})
 * @param maxPerf             benchmark throughput, workload/s; 0 until benchmarked ({@code max_perf})
 * @param errorMsg            empty, or the error that broke the worker ({@code error_msg})
 * @param numRequestsWorking  requests in flight ({@code num_requests_working})
 * @param numRequestsReceived cumulative requests received ({@code num_requests_recieved}, sic)
 * @param workingRequestIdxs  request_idx of the requests in flight ({@code working_request_idxs})
 * @param additionalDiskUsage GB of disk growth since the last report, may be negative ({@code additional_disk_usage})
 * @param curCapacity         legacy, 0 ({@code cur_capacity})
 * @param maxCapacity         legacy, 0 ({@code max_capacity})
 */
public record LoadReport(long id, String mtoken, String version, String url, double loadtime, double curLoad,
                         double newLoad, double rejLoad, double curPerf, double maxPerf, String errorMsg,
                         long numRequestsWorking, long numRequestsReceived, List<Long> workingRequestIdxs,
                         double additionalDiskUsage, double curCapacity, double maxCapacity) {

    public LoadReport {
        Objects.requireNonNull(mtoken, "mtoken");
        version = Objects.requireNonNullElse(version, "");
        url = Objects.requireNonNullElse(url, "");
        errorMsg = Objects.requireNonNullElse(errorMsg, "");
        workingRequestIdxs = workingRequestIdxs == null ? List.of() : List.copyOf(workingRequestIdxs);
        requireLoad("loadtime", loadtime);
        requireLoad("cur_load", curLoad);
        requireLoad("new_load", newLoad);
        requireLoad("rej_load", rejLoad);
        requireLoad("cur_perf", curPerf);
        requireLoad("max_perf", maxPerf);
        if (numRequestsWorking < 0) {
            throw new InvalidRequestException("num_requests_working", "must be >= 0, got " + numRequestsWorking);
        }
        if (numRequestsReceived < 0) {
            throw new InvalidRequestException("num_requests_recieved", "must be >= 0, got " + numRequestsReceived);
        }
        if (!Double.isFinite(additionalDiskUsage)) {
            throw new InvalidRequestException("additional_disk_usage", "must be a finite number, got " + additionalDiskUsage);
        }
    }

    /**
     * The largest figure a report may carry: far above any real worker (a billion perf units/s), far
     * below what could overflow the sums the engine makes of them.
     */
    public static final double MAX_FIGURE = 1e12;

    private static void requireLoad(String field, double value) {
        if (!Double.isFinite(value)) {
            throw new InvalidRequestException(field, "must be a finite number, got " + value);
        }
        if (value < 0) {
            throw new InvalidRequestException(field, "must be >= 0, got " + value);
        }
        if (value > MAX_FIGURE) {
            throw new InvalidRequestException(field, "must be <= " + (long) MAX_FIGURE + ", got " + value);
        }
    }

    /** {@return true when the worker says it is broken} */
    public boolean hasError() {
        return !errorMsg.isEmpty();
    }

    /** {@return true when this report makes the worker routable: benchmarked and no error} */
    public boolean isReady() {
        return maxPerf > 0 && !hasError();
    }

    /**
     * A builder for a report with the two required fields; every other field starts neutral.
     *
     * @param id the instance id
     * @param mtoken the worker's {@code MASTER_TOKEN}
     * @return a new builder
     */
    public static Builder builder(long id, String mtoken) {
        return new Builder(id, mtoken);
    }

    /** Builder for reports, mostly for tests, simulated workers and the Java worker. */
    public static final class Builder {
        private final long id;
        private final String mtoken;
        private String version = "";
        private String url = "";
        private double loadtime;
        private double curLoad;
        private double newLoad;
        private double rejLoad;
        private double curPerf;
        private double maxPerf;
        private String errorMsg = "";
        private long numRequestsWorking;
        private long numRequestsReceived;
        private List<Long> workingRequestIdxs = List.of();
        private double additionalDiskUsage;

        private Builder(long id, String mtoken) {
            this.id = id;
            this.mtoken = mtoken;
        }

        /**
         * Sets what {@link LoadReport#version()} returns.
         *
         * @param v the value
         * @return this builder
         */
        public Builder version(String v) { this.version = v; return this; }
        /**
         * Sets what {@link LoadReport#url()} returns.
         *
         * @param v the value
         * @return this builder
         */
        public Builder url(String v) { this.url = v; return this; }
        /**
         * Sets what {@link LoadReport#loadtime()} returns.
         *
         * @param v the value
         * @return this builder
         */
        public Builder loadtime(double v) { this.loadtime = v; return this; }
        /**
         * Sets what {@link LoadReport#curLoad()} returns.
         *
         * @param v the value
         * @return this builder
         */
        public Builder curLoad(double v) { this.curLoad = v; return this; }
        /**
         * Sets what {@link LoadReport#newLoad()} returns.
         *
         * @param v the value
         * @return this builder
         */
        public Builder newLoad(double v) { this.newLoad = v; return this; }
        /**
         * Sets what {@link LoadReport#rejLoad()} returns.
         *
         * @param v the value
         * @return this builder
         */
        public Builder rejLoad(double v) { this.rejLoad = v; return this; }
        /**
         * Sets what {@link LoadReport#curPerf()} returns.
         *
         * @param v the value
         * @return this builder
         */
        public Builder curPerf(double v) { this.curPerf = v; return this; }
        /**
         * Sets what {@link LoadReport#maxPerf()} returns.
         *
         * @param v the value
         * @return this builder
         */
        public Builder maxPerf(double v) { this.maxPerf = v; return this; }
        /**
         * Sets what {@link LoadReport#errorMsg()} returns.
         *
         * @param v the value
         * @return this builder
         */
        public Builder errorMsg(String v) { this.errorMsg = v; return this; }
        /**
         * Sets what {@link LoadReport#numRequestsWorking()} returns.
         *
         * @param v the value
         * @return this builder
         */
        public Builder numRequestsWorking(long v) { this.numRequestsWorking = v; return this; }
        /**
         * Sets what {@link LoadReport#numRequestsReceived()} returns.
         *
         * @param v the value
         * @return this builder
         */
        public Builder numRequestsReceived(long v) { this.numRequestsReceived = v; return this; }
        /**
         * Sets what {@link LoadReport#workingRequestIdxs()} returns.
         *
         * @param v the value
         * @return this builder
         */
        public Builder workingRequestIdxs(List<Long> v) { this.workingRequestIdxs = v; return this; }
        /**
         * Sets what {@link LoadReport#additionalDiskUsage()} returns.
         *
         * @param v the value
         * @return this builder
         */
        public Builder additionalDiskUsage(double v) { this.additionalDiskUsage = v; return this; }

        /**
         * The report.
         *
         * @return a new report
         */
        public LoadReport build() {
            return new LoadReport(id, mtoken, version, url, loadtime, curLoad, newLoad, rejLoad, curPerf, maxPerf,
                    errorMsg, numRequestsWorking, numRequestsReceived, workingRequestIdxs, additionalDiskUsage, 0, 0);
        }
    }
}
