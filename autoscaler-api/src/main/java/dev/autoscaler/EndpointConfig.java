package dev.autoscaler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * An endpoint: a named service with scaling parameters and one or more worker groups
 * (docs/PROTOCOL.md#endpoint-parameters). Defaults are Vast's. Immutable; build with
 * {@link #builder(String)}, change with {@link #toBuilder()}. Every rejected value throws
 * {@link InvalidConfigException} whose {@link InvalidConfigException#field() field} is the wire name.
 */
public final class EndpointConfig {
    /** The default of {@code target_util}. */
    public static final double DEFAULT_TARGET_UTIL = 0.9;
    /** The default of {@code cold_mult}. */
    public static final double DEFAULT_COLD_MULT = 2.5;
    /** The default of {@code cold_workers}. */
    public static final int DEFAULT_COLD_WORKERS = 5;
    /** The default of {@code max_workers}. */
    public static final int DEFAULT_MAX_WORKERS = 20;
    /** The default of {@code max_queue_time}. */
    public static final double DEFAULT_MAX_QUEUE_TIME = 30;
    /**
     * The default {@code max_cost}: far above any real request (a million perf units: minutes of a
     * fast GPU's work), far below what could overflow the load windows.
     */
    public static final double DEFAULT_MAX_COST = 1_000_000;
    /** No {@code max_cost} may exceed this: the load windows add up costs, and must stay finite. */
    public static final double MAX_COST_LIMIT = 1e12;
    /** The default of {@code target_queue_time}. */
    public static final double DEFAULT_TARGET_QUEUE_TIME = 10;
    /** The default of {@code policy}. */
    public static final String DEFAULT_POLICY = "vast";
    /** The default of {@code ticket_format}. */
    public static final String DEFAULT_TICKET_FORMAT = "vast-rsa";
    /** The default of {@code loading_timeout}. */
    public static final Duration DEFAULT_LOADING_TIMEOUT = Duration.ofMinutes(10);
    /** The default of {@code resume_timeout}. */
    public static final Duration DEFAULT_RESUME_TIMEOUT = Duration.ofMinutes(2);
    /** The default of {@code cold_destroy_delay}. */
    public static final Duration DEFAULT_COLD_DESTROY_DELAY = Duration.ofMinutes(10);
    /** The default of {@code drain_timeout}. */
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofMinutes(10);
    /** The default of {@code stale_after}: three of the 10 s idle report intervals of Vast's worker library. */
    public static final Duration DEFAULT_STALE_AFTER = Duration.ofSeconds(30);
    /** The default of {@code silent_after}. */
    public static final Duration DEFAULT_SILENT_AFTER = Duration.ofSeconds(90);

    private final String name;
    private final double minLoad;
    private final double minColdLoad;
    private final double targetUtil;
    private final double coldMult;
    private final int coldWorkers;
    private final int maxWorkers;
    private final double maxQueueTime;
    private final double maxCost;
    private final double targetQueueTime;
    private final Double inactivityTimeout;
    private final EndpointState state;
    private final String policy;
    private final Settings policyParams;
    private final String ticketFormat;
    private final String apiKey;
    private final Duration loadingTimeout;
    private final Duration resumeTimeout;
    private final Duration coldDestroyDelay;
    private final Duration drainTimeout;
    private final Double maxCostPerHour;
    private final Duration staleAfter;
    private final Duration silentAfter;
    private final List<WorkerGroupConfig> groups;

    private EndpointConfig(Builder b) {
        this.name = Validate.name("endpoint_name", b.name);
        this.minLoad = Validate.nonNegative("min_load", b.minLoad);
        this.minColdLoad = Validate.nonNegative("min_cold_load", b.minColdLoad);
        Validate.finite("target_util", b.targetUtil);
        if (b.targetUtil <= 0 || b.targetUtil > 1) {
            throw new InvalidConfigException("target_util", "must be in (0, 1], got " + b.targetUtil);
        }
        this.targetUtil = b.targetUtil;
        this.coldMult = Validate.atLeast("cold_mult", b.coldMult, 1.0);
        this.coldWorkers = Validate.nonNegative("cold_workers", b.coldWorkers);
        this.maxWorkers = Validate.nonNegative("max_workers", b.maxWorkers);
        this.maxQueueTime = Validate.positive("max_queue_time", b.maxQueueTime);
        this.maxCost = Validate.positive("max_cost", b.maxCost);
        if (maxCost > MAX_COST_LIMIT) {
            throw new InvalidConfigException("max_cost", "must be <= " + MAX_COST_LIMIT + ", got " + maxCost);
        }
        this.targetQueueTime = Validate.positive("target_queue_time", b.targetQueueTime);
        if (b.inactivityTimeout != null) {
            Validate.finite("inactivity_timeout", b.inactivityTimeout);
        }
        this.inactivityTimeout = b.inactivityTimeout;
        this.state = Objects.requireNonNull(b.state, "endpoint_state");
        if (b.policy == null || b.policy.isBlank()) {
            throw new InvalidConfigException("policy", "is required");
        }
        this.policy = b.policy;
        this.policyParams = Objects.requireNonNullElse(b.policyParams, Settings.empty());
        if (b.ticketFormat == null || b.ticketFormat.isBlank()) {
            throw new InvalidConfigException("ticket_format", "is required");
        }
        this.ticketFormat = b.ticketFormat;
        if (b.apiKey != null && b.apiKey.isEmpty()) {
            throw new InvalidConfigException("api_key", "must not be empty when given");
        }
        this.apiKey = b.apiKey;
        this.loadingTimeout = positive("loading_timeout", b.loadingTimeout);
        this.resumeTimeout = positive("resume_timeout", b.resumeTimeout);
        if (b.coldDestroyDelay == null || b.coldDestroyDelay.isNegative()) {
            throw new InvalidConfigException("cold_destroy_delay", "must be a duration >= 0, got " + b.coldDestroyDelay);
        }
        this.coldDestroyDelay = b.coldDestroyDelay;
        this.drainTimeout = positive("drain_timeout", b.drainTimeout);
        this.groups = List.copyOf(b.groups);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < groups.size(); i++) {
            WorkerGroupConfig group = Objects.requireNonNull(groups.get(i), "groups[" + i + "]");
            if (!seen.add(group.name())) {
                throw new InvalidConfigException("groups[" + i + "].group_name",
                        "duplicate group name '" + group.name() + "'");
            }
        }
        if (b.maxCostPerHour != null) {
            Validate.positive("max_cost_per_hour", b.maxCostPerHour);
            for (int i = 0; i < groups.size(); i++) {
                // a new instance's price is unknown until the provider answers: the cap counts it at this bound
                if (groups.get(i).maxPricePerHour().isEmpty()) {
                    throw new InvalidConfigException("groups[" + i + "].max_price_per_hour",
                            "is required when max_cost_per_hour is set: an instance being created counts at it");
                }
            }
        }
        this.maxCostPerHour = b.maxCostPerHour;
        this.staleAfter = positive("stale_after", b.staleAfter);
        this.silentAfter = positive("silent_after", b.silentAfter);
        if (silentAfter.compareTo(staleAfter) <= 0) {
            throw new InvalidConfigException("silent_after", "must be more than stale_after (" + staleAfter.toSeconds()
                    + " s), got " + silentAfter.toSeconds() + " s");
        }
    }

    private static Duration positive(String field, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new InvalidConfigException(field, "must be a positive duration, got " + value);
        }
        return value;
    }

    /**
     * A builder with Vast's defaults.
     *
     * @param name the {@code endpoint_name}
     * @return a new builder
     */
    public static Builder builder(String name) {
        return new Builder().name(name);
    }

    /**
     * A builder holding this config's values, to change some of them.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.name = name;
        b.minLoad = minLoad;
        b.minColdLoad = minColdLoad;
        b.targetUtil = targetUtil;
        b.coldMult = coldMult;
        b.coldWorkers = coldWorkers;
        b.maxWorkers = maxWorkers;
        b.maxQueueTime = maxQueueTime;
        b.maxCost = maxCost;
        b.targetQueueTime = targetQueueTime;
        b.inactivityTimeout = inactivityTimeout;
        b.state = state;
        b.policy = policy;
        b.policyParams = policyParams;
        b.ticketFormat = ticketFormat;
        b.apiKey = apiKey;
        b.loadingTimeout = loadingTimeout;
        b.resumeTimeout = resumeTimeout;
        b.coldDestroyDelay = coldDestroyDelay;
        b.drainTimeout = drainTimeout;
        b.maxCostPerHour = maxCostPerHour;
        b.staleAfter = staleAfter;
        b.silentAfter = silentAfter;
        b.groups = new ArrayList<>(groups);
        return b;
    }

    /** {@return {@code endpoint_name}} */
    public String name() {
        return name;
    }

    /** {@return {@code min_load}: floor on the load forecast, perf units/s (default 0)} */
    public double minLoad() {
        return minLoad;
    }

    /** {@return {@code min_cold_load}: floor on total (active + stopped) capacity, perf units/s (default 0)} */
    public double minColdLoad() {
        return minColdLoad;
    }

    /** {@return {@code target_util}: active capacity = anticipated load / target_util; in (0, 1] (default 0.9)} */
    public double targetUtil() {
        return targetUtil;
    }

    /** {@return {@code cold_mult}: total capacity = active load x cold_mult; at least 1 (default 2.5)} */
    public double coldMult() {
        return coldMult;
    }

    /** {@return {@code cold_workers}: floor on loaded (ready or stopped) workers (default 5)} */
    public int coldWorkers() {
        return coldWorkers;
    }

    /** {@return {@code max_workers}: hard cap on the endpoint's workers in every state but destroyed (default 20)} */
    public int maxWorkers() {
        return maxWorkers;
    }

    /**
     * {@return {@code max_cost_per_hour}: the most the endpoint's instances may cost together, in $/h, at
     * any instant (every state but destroyed: stopped ones at their storage price, ones being created at
     * their group's {@code max_price_per_hour}); empty (the default): no cap but {@code max_workers}}
     */
    public OptionalDouble maxCostPerHour() {
        return maxCostPerHour == null ? OptionalDouble.empty() : OptionalDouble.of(maxCostPerHour);
    }

    /**
     * {@return {@code stale_after}: a ready worker silent (no {@code /worker_status/}) this long makes the
     * endpoint's figures stale: the engine scales nothing down on them, whatever the policy asks (default 30 s)}
     */
    public Duration staleAfter() {
        return staleAfter;
    }

    /**
     * {@return {@code silent_after}: a ready worker silent this long is routed nothing more, and silent twice as
     * long it is treated as failed (rebooted, then replaced, as a worker that reports an error); more than
     * {@code stale_after} (default 90 s)}
     */
    public Duration silentAfter() {
        return silentAfter;
    }

    /** {@return {@code max_queue_time}: seconds of queued work one worker may hold before routing skips it (default 30)} */
    public double maxQueueTime() {
        return maxQueueTime;
    }

    /**
     * {@code max_cost}: the largest {@code cost} a client may give one {@code /route/} call (default
     * {@link #DEFAULT_MAX_COST}); a larger one is refused with 400 naming {@code cost}. One request's
     * claimed cost is what the scaling signal adds up: unbounded, one request could hold the endpoint
     * at {@code max_workers} for minutes.
     */
    public double maxCost() {
        return maxCost;
    }

    /** {@return {@code target_queue_time}: observed queue time above it scales up at once (default 10)} */
    public double targetQueueTime() {
        return targetQueueTime;
    }

    /**
     * {@code inactivity_timeout}: seconds without traffic before the endpoint may scale to zero;
     * empty (unset) or 0 disables the gate, negative never allows zero.
     */
    public OptionalDouble inactivityTimeout() {
        return inactivityTimeout == null ? OptionalDouble.empty() : OptionalDouble.of(inactivityTimeout);
    }

    /** {@return {@code endpoint_state} (default active)} */
    public EndpointState state() {
        return state;
    }

    /** {@return {@code policy}: the name of the scaling policy (default {@code vast})} */
    public String policy() {
        return policy;
    }

    /** {@return {@code policy_params}: settings handed to the policy} */
    public Settings policyParams() {
        return policyParams;
    }

    /** {@return {@code ticket_format}: {@code vast-rsa} (default, for Vast's worker library) or {@code ed25519}} */
    public String ticketFormat() {
        return ticketFormat;
    }

    /** {@return {@code api_key}: the key clients present to {@code /route/}; empty when the engine's keys apply} */
    public Optional<String> apiKey() {
        return Optional.ofNullable(apiKey);
    }

    /** {@return {@code loading_timeout}: a new or rebooting worker not ready after this is destroyed and replaced (default 10 min)} */
    public Duration loadingTimeout() {
        return loadingTimeout;
    }

    /** {@return {@code resume_timeout}: a resuming worker not ready after this is destroyed and replaced (default 2 min)} */
    public Duration resumeTimeout() {
        return resumeTimeout;
    }

    /**
     * {@code cold_destroy_delay}: how long a worker must have been stopped before it may be destroyed
     * as surplus of the cold pool (default 10 min). A stopped worker costs about 5% of its price,
     * while renting and loading a new one costs minutes at full price: destroying the moment the
     * cold target dips, and renting again when it rises, is the churn this prevents. The
     * {@code max_workers} cap is enforced at once regardless.
     */
    public Duration coldDestroyDelay() {
        return coldDestroyDelay;
    }

    /**
     * {@code drain_timeout}: how long a draining worker (no new requests: replaced by a rolling
     * update, or stopped by a scale-down while busy) may keep working before it goes anyway
     * (default 10 min). Requests it still holds then fail, as on a worker that dies: set it above
     * your longest request.
     */
    public Duration drainTimeout() {
        return drainTimeout;
    }

    /** {@return the worker groups, in order} */
    public List<WorkerGroupConfig> groups() {
        return groups;
    }

    /**
     * One group, by name.
     *
     * @param groupName the {@code group_name}
     * @return the group, or empty when the endpoint has none of that name
     */
    public Optional<WorkerGroupConfig> group(String groupName) {
        for (WorkerGroupConfig group : groups) {
            if (group.name().equals(groupName)) {
                return Optional.of(group);
            }
        }
        return Optional.empty();
    }

    /** {@return the {@code cold_workers} floor that applies to a group: its override, else the endpoint's} */
    public int coldWorkersFor(WorkerGroupConfig group) {
        return group.coldWorkers().orElse(coldWorkers);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof EndpointConfig other)) {
            return false;
        }
        return name.equals(other.name) && minLoad == other.minLoad && minColdLoad == other.minColdLoad
                && targetUtil == other.targetUtil && coldMult == other.coldMult && coldWorkers == other.coldWorkers
                && maxWorkers == other.maxWorkers && maxQueueTime == other.maxQueueTime && maxCost == other.maxCost
                && targetQueueTime == other.targetQueueTime && Objects.equals(inactivityTimeout, other.inactivityTimeout)
                && state == other.state && policy.equals(other.policy) && policyParams.equals(other.policyParams)
                && ticketFormat.equals(other.ticketFormat) && Objects.equals(apiKey, other.apiKey)
                && loadingTimeout.equals(other.loadingTimeout) && resumeTimeout.equals(other.resumeTimeout)
                && coldDestroyDelay.equals(other.coldDestroyDelay) && drainTimeout.equals(other.drainTimeout)
                && Objects.equals(maxCostPerHour, other.maxCostPerHour) && staleAfter.equals(other.staleAfter)
                && silentAfter.equals(other.silentAfter) && groups.equals(other.groups);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, targetUtil, coldMult, coldWorkers, maxWorkers, state, policy, groups);
    }

    @Override
    public String toString() {
        return "EndpointConfig{" + name + ", state=" + state.wireName() + ", policy=" + policy
                + ", target_util=" + targetUtil + ", cold_mult=" + coldMult + ", cold_workers=" + coldWorkers
                + ", max_workers=" + maxWorkers + ", groups=" + groups + "}";
    }

    /** Builder with Vast's defaults. */
    public static final class Builder {
        private String name;
        private double minLoad;
        private double minColdLoad;
        private double targetUtil = DEFAULT_TARGET_UTIL;
        private double coldMult = DEFAULT_COLD_MULT;
        private int coldWorkers = DEFAULT_COLD_WORKERS;
        private int maxWorkers = DEFAULT_MAX_WORKERS;
        private double maxQueueTime = DEFAULT_MAX_QUEUE_TIME;
        private double maxCost = DEFAULT_MAX_COST;
        private double targetQueueTime = DEFAULT_TARGET_QUEUE_TIME;
        private Double inactivityTimeout;
        private EndpointState state = EndpointState.ACTIVE;
        private String policy = DEFAULT_POLICY;
        private Settings policyParams = Settings.empty();
        private String ticketFormat = DEFAULT_TICKET_FORMAT;
        private String apiKey;
        private Duration loadingTimeout = DEFAULT_LOADING_TIMEOUT;
        private Duration resumeTimeout = DEFAULT_RESUME_TIMEOUT;
        private Duration coldDestroyDelay = DEFAULT_COLD_DESTROY_DELAY;
        private Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;
        private Double maxCostPerHour;
        private Duration staleAfter = DEFAULT_STALE_AFTER;
        private Duration silentAfter = DEFAULT_SILENT_AFTER;
        private List<WorkerGroupConfig> groups = new ArrayList<>();

        private Builder() {
        }

        /**
         * Sets what {@link EndpointConfig#name()} returns.
         *
         * @param name the value
         * @return this builder
         */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /**
         * Sets what {@link EndpointConfig#minLoad()} returns.
         *
         * @param minLoad the value
         * @return this builder
         */
        public Builder minLoad(double minLoad) {
            this.minLoad = minLoad;
            return this;
        }

        /**
         * Sets what {@link EndpointConfig#minColdLoad()} returns.
         *
         * @param minColdLoad the value
         * @return this builder
         */
        public Builder minColdLoad(double minColdLoad) {
            this.minColdLoad = minColdLoad;
            return this;
        }

        /**
         * Sets what {@link EndpointConfig#targetUtil()} returns.
         *
         * @param targetUtil the value
         * @return this builder
         */
        public Builder targetUtil(double targetUtil) {
            this.targetUtil = targetUtil;
            return this;
        }

        /**
         * Sets what {@link EndpointConfig#coldMult()} returns.
         *
         * @param coldMult the value
         * @return this builder
         */
        public Builder coldMult(double coldMult) {
            this.coldMult = coldMult;
            return this;
        }

        /**
         * Sets what {@link EndpointConfig#coldWorkers()} returns.
         *
         * @param coldWorkers the value
         * @return this builder
         */
        public Builder coldWorkers(int coldWorkers) {
            this.coldWorkers = coldWorkers;
            return this;
        }

        /**
         * Sets what {@link EndpointConfig#maxWorkers()} returns.
         *
         * @param maxWorkers the value
         * @return this builder
         */
        public Builder maxWorkers(int maxWorkers) {
            this.maxWorkers = maxWorkers;
            return this;
        }

        /**
         * See {@link EndpointConfig#maxCostPerHour()}; positive, or null for no spend cap.
         *
         * @param maxCostPerHour the cap in $/h, or null
         * @return this builder
         */
        public Builder maxCostPerHour(Double maxCostPerHour) {
            this.maxCostPerHour = maxCostPerHour;
            return this;
        }

        /**
         * See {@link EndpointConfig#staleAfter()}; positive.
         *
         * @param staleAfter the new value
         * @return this builder
         */
        public Builder staleAfter(Duration staleAfter) {
            this.staleAfter = staleAfter;
            return this;
        }

        /**
         * See {@link EndpointConfig#silentAfter()}; more than {@code stale_after}.
         *
         * @param silentAfter the new value
         * @return this builder
         */
        public Builder silentAfter(Duration silentAfter) {
            this.silentAfter = silentAfter;
            return this;
        }

        /** See {@link EndpointConfig#maxCost()}; positive, at most {@link #MAX_COST_LIMIT}. */
        public Builder maxCost(double maxCost) {
            this.maxCost = maxCost;
            return this;
        }

        /**
         * Sets what {@link EndpointConfig#maxQueueTime()} returns.
         *
         * @param maxQueueTime the value
         * @return this builder
         */
        public Builder maxQueueTime(double maxQueueTime) {
            this.maxQueueTime = maxQueueTime;
            return this;
        }

        /**
         * Sets what {@link EndpointConfig#targetQueueTime()} returns.
         *
         * @param targetQueueTime the value
         * @return this builder
         */
        public Builder targetQueueTime(double targetQueueTime) {
            this.targetQueueTime = targetQueueTime;
            return this;
        }

        /**
         * Seconds; null unsets it.
         *
         * @param inactivityTimeout the new value
         * @return this builder
         */
        public Builder inactivityTimeout(Double inactivityTimeout) {
            this.inactivityTimeout = inactivityTimeout;
            return this;
        }

        /**
         * Sets what {@link EndpointConfig#state()} returns.
         *
         * @param state the {@code endpoint_state}
         * @return this builder
         */
        public Builder state(EndpointState state) {
            this.state = state;
            return this;
        }

        /**
         * Sets what {@link EndpointConfig#policy()} returns.
         *
         * @param policy the value
         * @return this builder
         */
        public Builder policy(String policy) {
            this.policy = policy;
            return this;
        }

        /**
         * Sets what {@link EndpointConfig#policyParams()} holds.
         *
         * @param policyParams the policy's parameters, by name
         * @return this builder
         */
        public Builder policyParams(Map<String, String> policyParams) {
            this.policyParams = Settings.of("policy_params", policyParams);
            return this;
        }

        /**
         * Sets what {@link EndpointConfig#ticketFormat()} returns.
         *
         * @param ticketFormat the value
         * @return this builder
         */
        public Builder ticketFormat(String ticketFormat) {
            this.ticketFormat = ticketFormat;
            return this;
        }

        /**
         * Sets a key for this endpoint alone, accepted on top of the server's keys.
         *
         * @param apiKey the key, or null for none
         * @return this builder
         */
        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        /**
         * Sets what {@link EndpointConfig#loadingTimeout()} returns.
         *
         * @param loadingTimeout the value
         * @return this builder
         */
        public Builder loadingTimeout(Duration loadingTimeout) {
            this.loadingTimeout = loadingTimeout;
            return this;
        }

        /**
         * Sets what {@link EndpointConfig#resumeTimeout()} returns.
         *
         * @param resumeTimeout the value
         * @return this builder
         */
        public Builder resumeTimeout(Duration resumeTimeout) {
            this.resumeTimeout = resumeTimeout;
            return this;
        }

        /**
         * See {@link EndpointConfig#drainTimeout()}; must be positive.
         *
         * @param drainTimeout the new value
         * @return this builder
         */
        public Builder drainTimeout(Duration drainTimeout) {
            this.drainTimeout = drainTimeout;
            return this;
        }

        /**
         * Sets what {@link EndpointConfig#coldDestroyDelay()} returns.
         *
         * @param coldDestroyDelay the value
         * @return this builder
         */
        public Builder coldDestroyDelay(Duration coldDestroyDelay) {
            this.coldDestroyDelay = coldDestroyDelay;
            return this;
        }

        /**
         * Adds a worker group.
         *
         * @param group the group; its name must be new in this endpoint
         * @return this builder
         */
        public Builder addGroup(WorkerGroupConfig group) {
            this.groups.add(Objects.requireNonNull(group, "group"));
            return this;
        }

        /**
         * Replaces every worker group.
         *
         * @param groups the groups, with distinct names
         * @return this builder
         */
        public Builder groups(List<WorkerGroupConfig> groups) {
            this.groups = new ArrayList<>(groups);
            return this;
        }

        /** Validates and copies. */
        public EndpointConfig build() {
            return new EndpointConfig(this);
        }
    }
}
