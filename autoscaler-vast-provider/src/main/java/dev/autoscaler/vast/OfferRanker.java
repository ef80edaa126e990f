package dev.autoscaler.vast;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Orders offers best price-performance first: expected capacity per dollar,
 * {@code perf x reliability / dph_total}.
 *
 * <p>{@code perf} is the group's own measured perf for the offer's GPU type once known (the
 * worker's benchmark, in the endpoint's perf units). Before that, Vast's {@code dlperf} stands in,
 * scaled into perf units by the ratio perf/dlperf seen on the GPU types that were measured (when at
 * least one of them is among the offers), so measured and unmeasured types compare fairly. With
 * nothing measured the order is Vast's {@code dlperf_per_dphtotal} (times reliability).
 *
 * <p>Offers above the price limit, or without a usable price, are dropped. Ties keep the order
 * of the search answer.
 */
public final class OfferRanker {
    private OfferRanker() {
    }

    /**
     * @param offers       as the search returned them
     * @param measuredPerf measured perf per GPU name for this group (may be empty)
     * @param maxPrice     the group's price limit in $/h, or empty
     */
    public static List<VastOffer> rank(List<VastOffer> offers, Map<String, Double> measuredPerf,
                                       OptionalDouble maxPrice) {
        List<VastOffer> usable = new ArrayList<>();
        for (VastOffer offer : offers) {
            if (!(offer.dphTotal() > 0) || !Double.isFinite(offer.dphTotal())) {
                continue;
            }
            if (maxPrice.isPresent() && offer.dphTotal() > maxPrice.getAsDouble()) {
                continue;
            }
            usable.add(offer);
        }
        double perfPerDlperf = calibration(usable, measuredPerf);
        Map<VastOffer, Double> score = new HashMap<>();
        for (VastOffer offer : usable) {
            score.put(offer, score(offer, measuredPerf, perfPerDlperf));
        }
        List<VastOffer> ranked = new ArrayList<>(usable);
        ranked.sort(Comparator.comparingDouble((VastOffer o) -> score.get(o)).reversed());
        return ranked;
    }

    /** Expected perf per $/h of one offer, in the units described above. */
    static double score(VastOffer offer, Map<String, Double> measuredPerf, double perfPerDlperf) {
        Double measured = measuredPerf.get(offer.gpuName());
        double perDollar;
        if (measured != null) {
            perDollar = measured / offer.dphTotal();
        } else {
            double dlperfPerDollar = offer.dlperfPerDphtotal() > 0 ? offer.dlperfPerDphtotal()
                    : offer.dlperf() / offer.dphTotal();
            perDollar = perfPerDlperf * dlperfPerDollar;
        }
        return perDollar * offer.reliability();
    }

    /**
     * The mean, over the measured GPU types among the offers, of measured perf / mean dlperf of
     * that type's offers; 1 when no measured type is offered (then everything is in dlperf units).
     */
    static double calibration(List<VastOffer> offers, Map<String, Double> measuredPerf) {
        Map<String, double[]> dlperfByGpu = new HashMap<>();
        for (VastOffer offer : offers) {
            if (measuredPerf.containsKey(offer.gpuName()) && offer.dlperf() > 0) {
                double[] sumCount = dlperfByGpu.computeIfAbsent(offer.gpuName(), g -> new double[2]);
                sumCount[0] += offer.dlperf();
                sumCount[1]++;
            }
        }
        if (dlperfByGpu.isEmpty()) {
            return 1;
        }
        double sum = 0;
        for (Map.Entry<String, double[]> e : dlperfByGpu.entrySet()) {
            double meanDlperf = e.getValue()[0] / e.getValue()[1];
            sum += measuredPerf.get(e.getKey()) / meanDlperf;
        }
        return sum / dlperfByGpu.size();
    }
}
