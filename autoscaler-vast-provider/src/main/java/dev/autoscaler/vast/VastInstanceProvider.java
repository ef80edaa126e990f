package dev.autoscaler.vast;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.autoscaler.ProviderException;
import dev.autoscaler.ProviderException.Kind;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.WorkerTemplate;
import dev.autoscaler.spi.CreateInstanceRequest;
import dev.autoscaler.spi.Instance;
import dev.autoscaler.spi.InstanceProvider;
import dev.autoscaler.spi.ProviderMutations;
import dev.autoscaler.spi.InstanceStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GPU instances rented on Vast.ai.
 *
 * <p><b>Create</b> searches the offers that match the group's {@code search_params} (the Vast CLI
 * query language, see {@link VastQuery}) and {@code gpu_ram}, under the group's
 * {@code max_price_per_hour}, ranks them by price-performance ({@link OfferRanker}: the group's
 * own measured perf per dollar once {@link #recordMeasuredPerf} was fed, else Vast's
 * {@code dlperf_per_dphtotal}) and rents the best; when that offer is gone by the time we ask
 * (404/410), it takes the next, up to {@code max_offer_attempts}. The instance runs the group's
 * template (image, env, onstart, disk, template hash, ports; the worker port always exposed as
 * {@code -p PORT:PORT}) with the request's env and label.
 *
 * <p>A create whose answer was lost is resolved by label, never repeated blindly (see
 * {@link VastApiClient#createInstance}); when even that stays unknown, the label is remembered and
 * the next create with the same label looks for it first.
 *
 * <p><b>List</b> returns every instance of the account (the engine keeps to its own labels); status
 * per {@link VastStatusMapper}; the worker URL is {@code http://public_ipaddr:HostPort} of the
 * worker port, known while the instance runs. The worker port of an instance is read from its
 * {@code WORKER_PORT} env when the API returns it, else remembered from its create, else the
 * {@code worker_port} setting.
 *
 * <p><b>Destroy</b> of an instance that is already gone succeeds; start, stop and reboot of an
 * unknown instance fail with {@link Kind#NOT_FOUND}.
 */
public final class VastInstanceProvider implements InstanceProvider {
    private static final Logger log = LoggerFactory.getLogger(VastInstanceProvider.class);
    private static final Pattern GPU_RAM_CLAUSE = Pattern.compile("(^|\\s)gpu_ram(\\s|[=<>!]|$)");

    private final VastApiClient client;
    private final int searchLimit;
    private final int maxOfferAttempts;
    private final int defaultWorkerPort;
    private final Map<String, Map<String, PerfMean>> measured = new ConcurrentHashMap<>();
    private final Map<Long, Integer> workerPorts = new ConcurrentHashMap<>();
    private final Set<String> uncertainLabels = ConcurrentHashMap.newKeySet();

    /**
     * @param client           the API client (the provider closes it)
     * @param searchLimit      offers fetched per search
     * @param maxOfferAttempts offers tried per create when they turn out gone
     * @param defaultWorkerPort the worker port of instances whose env does not tell
     */
    public VastInstanceProvider(VastApiClient client, int searchLimit, int maxOfferAttempts, int defaultWorkerPort) {
        this.client = Objects.requireNonNull(client, "client");
        if (searchLimit < 1 || maxOfferAttempts < 1 || defaultWorkerPort < 1 || defaultWorkerPort > 65535) {
            throw new IllegalArgumentException("searchLimit and maxOfferAttempts must be >= 1 and the port valid");
        }
        this.searchLimit = searchLimit;
        this.maxOfferAttempts = maxOfferAttempts;
        this.defaultWorkerPort = defaultWorkerPort;
    }

    /** A provider with the given settings' search limit, offer attempts and worker port. */
    public VastInstanceProvider(VastApiClient client, VastProviderSettings settings) {
        this(client, settings.searchLimit(), settings.maxOfferAttempts(), settings.workerPort());
    }

    public VastApiClient client() {
        return client;
    }

    // ------------------------------------------------------------ price-performance

    /**
     * Feeds a worker's measured perf (its benchmark {@code max_perf}, perf units/s) for a group and
     * GPU type, so that offers are ranked by this group's real perf per dollar from now on. Values
     * for the same pair are averaged. Non-positive or non-finite values are ignored.
     */
    @Override
    public void recordMeasuredPerf(String group, String gpuName, double perf) {
        if (group == null || gpuName == null || gpuName.isBlank() || !(perf > 0) || !Double.isFinite(perf)) {
            return;
        }
        measured.computeIfAbsent(group, g -> new ConcurrentHashMap<>())
                .computeIfAbsent(gpuName, n -> new PerfMean())
                .add(perf);
    }

    /** {@return the group's measured perf per GPU name (means), as the ranking uses them} */
    public Map<String, Double> measuredPerf(String group) {
        Map<String, Double> result = new LinkedHashMap<>();
        Map<String, PerfMean> byGpu = measured.get(group);
        if (byGpu != null) {
            byGpu.forEach((gpu, mean) -> result.put(gpu, mean.mean()));
        }
        return result;
    }

    /** {@return the search filter for a group: its query, its gpu_ram, its price limit, best dlperf/$ first} */
    public ObjectNode offerFilter(WorkerGroupConfig group) {
        ObjectNode filter = VastQuery.parse(group.searchParams());
        if (!GPU_RAM_CLAUSE.matcher(group.searchParams()).find()) {
            filter.putObject("gpu_ram").put("gte", Math.round(group.gpuRamGb() * 1000));
        }
        OptionalDouble maxPrice = group.maxPricePerHour();
        if (maxPrice.isPresent()) {
            JsonNode existing = filter.get("dph_total");
            ObjectNode price = existing instanceof ObjectNode o ? o : filter.putObject("dph_total");
            JsonNode lte = price.get("lte");
            double limit = lte != null && lte.isNumber() ? Math.min(lte.asDouble(), maxPrice.getAsDouble())
                    : maxPrice.getAsDouble();
            price.put("lte", limit);
        }
        return VastQuery.withOrder(filter, "dlperf_per_dphtotal", true, searchLimit);
    }

    /** {@return the offers a create for this group would try, best first} */
    public List<VastOffer> rankedOffers(WorkerGroupConfig group) {
        List<VastOffer> offers = client.searchOffers(offerFilter(group));
        return OfferRanker.rank(offers, measuredPerf(group.name()), group.maxPricePerHour());
    }

    // ------------------------------------------------------------ InstanceProvider

    @Override
    public Instance create(CreateInstanceRequest request) {
        WorkerGroupConfig group = request.group();
        String label = request.label();
        if (uncertainLabels.contains(label)) {
            Optional<VastInstance> earlier = client.findByLabel(label).stream().findFirst();
            if (earlier.isPresent()) {
                uncertainLabels.remove(label);
                log.info("Vast: instance {} labelled {} exists after all (an earlier create's answer was lost)",
                        earlier.get().id(), label);
                return toInstance(earlier.get());
            }
        }
        VastCreateRequest body = createBody(request);
        List<VastOffer> offers = rankedOffers(group);
        if (offers.isEmpty()) {
            throw new ProviderException(Kind.NO_OFFER, "no Vast offer matches group " + group.name()
                    + " (search_params '" + group.searchParams() + "', gpu_ram " + group.gpuRamGb() + " GB"
                    + priceText(group) + ")");
        }
        int attempts = 0;
        List<Long> gone = new ArrayList<>();
        for (VastOffer offer : offers) {
            if (attempts++ >= maxOfferAttempts) {
                break;
            }
            if (attempts > 1) {
                // the host may have lost the right to rent since the first offer (a paused replica)
                ProviderMutations.checkAllowed();
            }
            try {
                long id = client.createInstance(offer.id(), body);
                uncertainLabels.remove(label);
                workerPorts.put(id, group.workerPort());
                log.info("Vast: rented offer {} ({} x{}, ${}/h) as instance {} labelled {}", offer.id(),
                        offer.gpuName(), offer.numGpus(), offer.dphTotal(), id, label);
                return new Instance(Long.toString(id), label, InstanceStatus.PROVISIONING, "", offer.gpuName(),
                        offer.dphTotal(), offer.reliability());
            } catch (ProviderException e) {
                if (e.kind() == Kind.OFFER_GONE) {
                    log.info("Vast: offer {} is gone ({}); trying the next one", offer.id(), e.getMessage());
                    gone.add(offer.id());
                    continue;
                }
                if (e.kind() == Kind.TIMEOUT) {
                    uncertainLabels.add(label);
                }
                throw e;
            }
        }
        throw new ProviderException(Kind.NO_OFFER, "the " + gone.size() + " best Vast offers for group "
                + group.name() + " were gone by the time we asked: " + gone);
    }

    private static String priceText(WorkerGroupConfig group) {
        return group.maxPricePerHour().isPresent() ? ", at most $" + group.maxPricePerHour().getAsDouble() + "/h" : "";
    }

    /** What to run: the group's template, the request's env and label, the worker port exposed. */
    VastCreateRequest createBody(CreateInstanceRequest request) {
        WorkerGroupConfig group = request.group();
        WorkerTemplate template = group.template();
        if (template.image().isEmpty() && template.templateHash().isEmpty()) {
            throw new ProviderException(Kind.INVALID, "group " + group.name()
                    + ": the vast provider needs template.image or template_hash");
        }
        Map<String, String> env = new LinkedHashMap<>(new java.util.TreeMap<>(template.env()));
        env.putAll(new java.util.TreeMap<>(request.env()));
        env.put(portFlag(group.workerPort()), "1");
        for (Integer port : template.ports()) {
            env.put(portFlag(port), "1");
        }
        return new VastCreateRequest(template.image(), template.diskGb(), request.label(), env, template.onstart(),
                LaunchArgs.split(group.launchArgs()), template.templateHash(), "running", true);
    }

    private static String portFlag(int port) {
        return "-p " + port + ":" + port;
    }

    @Override
    public void start(String instanceId) {
        client.startInstance(parseId(instanceId));
    }

    @Override
    public void stop(String instanceId) {
        client.stopInstance(parseId(instanceId));
    }

    @Override
    public void reboot(String instanceId) {
        client.reboot(parseId(instanceId));
    }

    @Override
    public void destroy(String instanceId) {
        long id;
        try {
            id = parseId(instanceId);
        } catch (ProviderException notAVastId) {
            return;
        }
        try {
            client.destroy(id);
        } catch (ProviderException e) {
            if (e.kind() != Kind.NOT_FOUND) {
                throw e;
            }
            log.debug("Vast: instance {} was already gone", id);
        }
        workerPorts.remove(id);
    }

    @Override
    public List<Instance> list() {
        List<Instance> result = new ArrayList<>();
        for (VastInstance instance : client.listInstances()) {
            result.add(toInstance(instance));
        }
        return result;
    }

    /** Relabels an instance (for an engine that adopts an unlabelled instance). */
    public void relabel(String instanceId, String label) {
        client.setLabel(parseId(instanceId), label);
    }

    Instance toInstance(VastInstance v) {
        return new Instance(Long.toString(v.id()), v.label(), VastStatusMapper.map(v), workerUrl(v), v.gpuName(),
                v.dphTotal(), v.reliability());
    }

    /** {@code http://public_ipaddr:HostPort}, or empty while the port is not mapped. */
    String workerUrl(VastInstance v) {
        String ip = v.publicIp();
        String hostPort = v.hostPorts().get(workerPortOf(v) + "/tcp");
        if (ip.isEmpty() || hostPort == null || hostPort.isEmpty()) {
            return "";
        }
        String host = ip.contains(":") && !ip.startsWith("[") ? "[" + ip + "]" : ip;
        return "http://" + host + ":" + hostPort;
    }

    private int workerPortOf(VastInstance v) {
        String fromEnv = v.env().get("WORKER_PORT");
        if (fromEnv != null) {
            try {
                int port = Integer.parseInt(fromEnv.trim());
                if (port >= 1 && port <= 65535) {
                    return port;
                }
            } catch (NumberFormatException ignored) {
                // fall back to what we know
            }
        }
        return workerPorts.getOrDefault(v.id(), defaultWorkerPort);
    }

    private static long parseId(String instanceId) {
        try {
            long id = Long.parseLong(Objects.requireNonNull(instanceId, "instanceId").trim());
            if (id >= 0) {
                return id;
            }
        } catch (NumberFormatException ignored) {
            // not an id Vast could have given
        }
        throw new ProviderException(Kind.NOT_FOUND, "no Vast instance '" + instanceId + "' (ids are numbers)");
    }

    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return "VastInstanceProvider{" + client + "}";
    }

    /** A running mean, updated atomically. */
    private static final class PerfMean {
        private double sum;
        private long count;

        synchronized void add(double value) {
            sum += value;
            count++;
        }

        synchronized double mean() {
            return count == 0 ? 0 : sum / count;
        }
    }
}
