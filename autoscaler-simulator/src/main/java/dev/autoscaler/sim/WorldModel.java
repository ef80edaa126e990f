package dev.autoscaler.sim;

import dev.autoscaler.InvalidConfigException;
import dev.autoscaler.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The simulated world: how instances boot, fail and bill, and how workers serve and report
 * (DESIGN.md "Simulation"). Every figure is a parameter; {@link #defaults()} holds DESIGN.md's.
 *
 * @param boot                     new instance, create to ready (image pull, model load, benchmark)
 * @param resume                   stopped instance, start to ready
 * @param stuckLoadingFraction     share of new instances that never become ready (they report
 *                                 {@code max_perf} 0 until destroyed)
 * @param errorAfterReadyFraction  share of new instances that report an error some time after they
 *                                 become ready
 * @param meanSecondsToError       for those, the mean of the exponential delay from ready to the error
 * @param errorRecursFraction      share of errored workers whose fault survives a reboot (they report
 *                                 the error again when they come back)
 * @param rebootSeconds            a reboot's duration; the worker then comes back with its cached benchmark
 * @param resumeStallFraction      share of resumes that stall: the stopped instance's GPU was rented by
 *                                 someone else, so it stays starting (no reports) until the engine gives up
 * @param maxInFlight              requests a worker serves at once (processor sharing); more wait in its queue
 * @param busyReportSeconds        report interval while requests are in flight
 * @param idleReportSeconds        report interval while idle or loading
 * @param firstReportSeconds       delay from power-on to the first (loading, {@code max_perf} 0) report
 * @param offers                   the GPU types on the market; the provider rents the best perf per dollar
 *                                 among those a group's filters allow
 * @param storagePriceFraction     share of the full price billed while stopped
 */
public record WorldModel(Lognormal boot, Lognormal resume, double stuckLoadingFraction,
                         double errorAfterReadyFraction, double meanSecondsToError, double errorRecursFraction,
                         double rebootSeconds, double resumeStallFraction, int maxInFlight, double busyReportSeconds,
                         double idleReportSeconds, double firstReportSeconds, List<GpuOffer> offers,
                         double storagePriceFraction) {

    public WorldModel {
        Objects.requireNonNull(boot, "boot");
        Objects.requireNonNull(resume, "resume");
        fraction("stuck_loading_fraction", stuckLoadingFraction);
        fraction("error_after_ready_fraction", errorAfterReadyFraction);
        positive("mean_seconds_to_error", meanSecondsToError);
        fraction("error_recurs_fraction", errorRecursFraction);
        positive("reboot_seconds", rebootSeconds);
        fraction("resume_stall_fraction", resumeStallFraction);
        if (maxInFlight < 1) {
            throw new InvalidConfigException("max_in_flight", "must be >= 1, got " + maxInFlight);
        }
        positive("busy_report_seconds", busyReportSeconds);
        positive("idle_report_seconds", idleReportSeconds);
        positive("first_report_seconds", firstReportSeconds);
        offers = List.copyOf(offers);
        if (offers.isEmpty()) {
            throw new InvalidConfigException("offers", "must hold at least one GPU offer");
        }
        fraction("storage_price_fraction", storagePriceFraction);
    }

    /** DESIGN.md's world: two GPU types, 2,000 perf/s at $0.40/h and 3,500 perf/s at $0.90/h. */
    public static WorldModel defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.boot = boot;
        b.resume = resume;
        b.stuckLoadingFraction = stuckLoadingFraction;
        b.errorAfterReadyFraction = errorAfterReadyFraction;
        b.meanSecondsToError = meanSecondsToError;
        b.errorRecursFraction = errorRecursFraction;
        b.rebootSeconds = rebootSeconds;
        b.resumeStallFraction = resumeStallFraction;
        b.maxInFlight = maxInFlight;
        b.busyReportSeconds = busyReportSeconds;
        b.idleReportSeconds = idleReportSeconds;
        b.firstReportSeconds = firstReportSeconds;
        b.offers = new ArrayList<>(offers);
        b.storagePriceFraction = storagePriceFraction;
        return b;
    }

    /**
     * The defaults overridden by settings (e.g. a {@code simulated} provider's configuration):
     * {@code boot_median_s}, {@code boot_p95_s}, {@code resume_median_s}, {@code resume_p95_s},
     * {@code stuck_loading_fraction}, {@code error_after_ready_fraction}, {@code mean_seconds_to_error},
     * {@code error_recurs_fraction}, {@code reboot_seconds}, {@code resume_stall_fraction},
     * {@code max_in_flight}, {@code busy_report_seconds}, {@code idle_report_seconds},
     * {@code first_report_seconds}, {@code storage_price_fraction}, and {@code offers} as
     * {@code name:perf:price[:reliability]} items separated by commas ({@code _} in a name is a space).
     */
    public static WorldModel fromSettings(Settings s) {
        WorldModel d = defaults();
        Builder b = d.toBuilder()
                .boot(new Lognormal(s.getDouble("boot_median_s", d.boot.medianSeconds()),
                        s.getDouble("boot_p95_s", d.boot.p95Seconds())))
                .resume(new Lognormal(s.getDouble("resume_median_s", d.resume.medianSeconds()),
                        s.getDouble("resume_p95_s", d.resume.p95Seconds())))
                .stuckLoadingFraction(s.getDouble("stuck_loading_fraction", d.stuckLoadingFraction))
                .errorAfterReadyFraction(s.getDouble("error_after_ready_fraction", d.errorAfterReadyFraction))
                .meanSecondsToError(s.getDouble("mean_seconds_to_error", d.meanSecondsToError))
                .errorRecursFraction(s.getDouble("error_recurs_fraction", d.errorRecursFraction))
                .rebootSeconds(s.getDouble("reboot_seconds", d.rebootSeconds))
                .resumeStallFraction(s.getDouble("resume_stall_fraction", d.resumeStallFraction))
                .maxInFlight(s.getInt("max_in_flight", d.maxInFlight))
                .busyReportSeconds(s.getDouble("busy_report_seconds", d.busyReportSeconds))
                .idleReportSeconds(s.getDouble("idle_report_seconds", d.idleReportSeconds))
                .firstReportSeconds(s.getDouble("first_report_seconds", d.firstReportSeconds))
                .storagePriceFraction(s.getDouble("storage_price_fraction", d.storagePriceFraction));
        s.get("offers").ifPresent(raw -> b.offers(parseOffers(raw)));
        return b.build();
    }

    static List<GpuOffer> parseOffers(String raw) {
        List<GpuOffer> offers = new ArrayList<>();
        for (String item : raw.split(",")) {
            String[] parts = item.trim().split(":");
            if (parts.length < 3 || parts.length > 4) {
                throw new InvalidConfigException("offers", "each offer is name:perf:price[:reliability], got '"
                        + item.trim() + "'");
            }
            try {
                offers.add(new GpuOffer(parts[0].replace('_', ' '), Double.parseDouble(parts[1]),
                        Double.parseDouble(parts[2]), parts.length == 4 ? Double.parseDouble(parts[3]) : 1.0));
            } catch (NumberFormatException e) {
                throw new InvalidConfigException("offers", "perf, price and reliability must be numbers, got '"
                        + item.trim() + "'");
            }
        }
        return offers;
    }

    private static void fraction(String field, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new InvalidConfigException(field, "must be in [0, 1], got " + value);
        }
    }

    private static void positive(String field, double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new InvalidConfigException(field, "must be > 0, got " + value);
        }
    }

    /** Builder with DESIGN.md's defaults. */
    public static final class Builder {
        private Lognormal boot = new Lognormal(120, 300);
        private Lognormal resume = new Lognormal(15, 40);
        private double stuckLoadingFraction = 0.02;
        private double errorAfterReadyFraction = 0.005;
        private double meanSecondsToError = 1800;
        private double errorRecursFraction = 0.5;
        private double rebootSeconds = 20;
        private double resumeStallFraction = 0.05;
        private int maxInFlight = 16;
        private double busyReportSeconds = 1;
        private double idleReportSeconds = 10;
        private double firstReportSeconds = 1;
        private List<GpuOffer> offers = new ArrayList<>(List.of(
                new GpuOffer("RTX 4090", 2000, 0.40, 1.0),
                new GpuOffer("H100 SXM", 3500, 0.90, 1.0)));
        private double storagePriceFraction = 0.05;

        private Builder() {
        }

        public Builder boot(Lognormal v) { this.boot = v; return this; }
        public Builder resume(Lognormal v) { this.resume = v; return this; }
        public Builder stuckLoadingFraction(double v) { this.stuckLoadingFraction = v; return this; }
        public Builder errorAfterReadyFraction(double v) { this.errorAfterReadyFraction = v; return this; }
        public Builder meanSecondsToError(double v) { this.meanSecondsToError = v; return this; }
        public Builder errorRecursFraction(double v) { this.errorRecursFraction = v; return this; }
        public Builder rebootSeconds(double v) { this.rebootSeconds = v; return this; }
        public Builder resumeStallFraction(double v) { this.resumeStallFraction = v; return this; }
        public Builder maxInFlight(int v) { this.maxInFlight = v; return this; }
        public Builder busyReportSeconds(double v) { this.busyReportSeconds = v; return this; }
        public Builder idleReportSeconds(double v) { this.idleReportSeconds = v; return this; }
        public Builder firstReportSeconds(double v) { this.firstReportSeconds = v; return this; }
        public Builder offers(List<GpuOffer> v) { this.offers = new ArrayList<>(v); return this; }
        public Builder storagePriceFraction(double v) { this.storagePriceFraction = v; return this; }

        /** A world with no faults at all: nothing stuck, no errors, no stalled resume. For hand-checked tests. */
        public Builder withoutFaults() {
            return stuckLoadingFraction(0).errorAfterReadyFraction(0).resumeStallFraction(0);
        }

        public WorldModel build() {
            return new WorldModel(boot, resume, stuckLoadingFraction, errorAfterReadyFraction, meanSecondsToError,
                    errorRecursFraction, rebootSeconds, resumeStallFraction, maxInFlight, busyReportSeconds,
                    idleReportSeconds, firstReportSeconds, offers, storagePriceFraction);
        }
    }
}
