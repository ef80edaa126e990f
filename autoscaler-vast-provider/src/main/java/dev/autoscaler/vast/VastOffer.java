package dev.autoscaler.vast;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autoscaler.vast.internal.Json;

/**
 * One offer ("ask") of the Vast market, as {@code POST /api/v0/bundles/} returns it (the fields the
 * provider uses; the others are ignored).
 *
 * @param id                the offer id, used to rent it ({@code PUT /api/v0/asks/{id}/})
 * @param gpuName           e.g. {@code RTX 4090}
 * @param numGpus           GPUs in the offer
 * @param gpuRamMb          memory per GPU, in MB
 * @param dphTotal          price in $/h, all included
 * @param dlperf            Vast's deep-learning performance score
 * @param dlperfPerDphtotal {@code dlperf / dph_total}: Vast's price-performance
 * @param reliability       {@code reliability2} in [0, 1] (1 when absent)
 * @param geolocation       e.g. {@code Sweden, SE}, or empty
 */
public record VastOffer(long id, String gpuName, int numGpus, double gpuRamMb, double dphTotal, double dlperf,
                        double dlperfPerDphtotal, double reliability, String geolocation) {

    public static VastOffer fromJson(JsonNode node) {
        double dph = Json.number(node, "dph_total", Double.NaN);
        double dlperf = Json.number(node, "dlperf", 0);
        double perDollar = Json.number(node, "dlperf_per_dphtotal",
                dph > 0 ? dlperf / dph : 0);
        double reliability = Json.number(node, "reliability2", Json.number(node, "reliability", 1));
        return new VastOffer(Json.id(node, "id"), Json.text(node, "gpu_name"),
                (int) Json.number(node, "num_gpus", 1), Json.number(node, "gpu_ram", 0),
                dph, dlperf, perDollar, Math.max(0, Math.min(1, reliability)), Json.text(node, "geolocation"));
    }
}
