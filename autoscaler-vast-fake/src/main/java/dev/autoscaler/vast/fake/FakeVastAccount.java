package dev.autoscaler.vast.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.autoscaler.Clock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The state behind {@link FakeVastServer}: a market of offers and one account's instances, whose
 * lifecycle moves on the injected {@link Clock} (nothing happens between two looks; every look
 * first brings the state up to the clock's time). Thread safe: every method locks the account.
 */
final class FakeVastAccount {
    private static final Pattern PORT_FLAG = Pattern.compile("-p\\s+(\\d+):(\\d+)");

    /** Where an instance is in its lifecycle; each maps to Vast's status fields. */
    enum Phase { PROVISIONING, LOADING, RUNNING, STOPPING, STOPPED, STARTING, REBOOTING, EXITED }

    private final Clock clock;
    private final ObjectMapper json;
    private final Timings timings;
    private final String publicIp;
    private final Map<Long, ObjectNode> offers = new LinkedHashMap<>();
    private final Set<Long> withdrawn = new HashSet<>();
    private final Map<Long, Instance> instances = new TreeMap<>();
    private long nextOfferId = 5_000_001;
    private long nextInstanceId = 20_000_001;
    private int stuckNext;
    private int exitAfterBootNext;
    private int stallStartsNext;
    /** Every instance coming (+1) or going (-1) under a label, in order: for {@link #peak}. */
    private final List<LabelChange> labelChanges = new ArrayList<>();

    private record LabelChange(String label, int delta) {
    }

    /** Lifecycle durations. */
    record Timings(Duration provisioning, Duration boot, Duration stop, Duration start, Duration reboot) {
    }

    FakeVastAccount(Clock clock, ObjectMapper json, Timings timings, String publicIp) {
        this.clock = clock;
        this.json = json;
        this.timings = timings;
        this.publicIp = publicIp;
    }

    // ------------------------------------------------------------------ offers

    synchronized long addOffer(String gpuName, int numGpus, int gpuRamGb, double dphTotal, double dlperf,
                               double reliability, String geolocation) {
        long id = nextOfferId++;
        ObjectNode offer = json.createObjectNode();
        offer.put("id", id);
        offer.put("ask_contract_id", id);
        offer.put("machine_id", 70_000 + id % 10_000);
        offer.put("host_id", 90_000 + id % 1_000);
        offer.put("gpu_name", gpuName);
        offer.put("num_gpus", numGpus);
        offer.put("gpu_ram", gpuRamGb * 1000);
        offer.put("gpu_total_ram", gpuRamGb * 1000 * numGpus);
        offer.put("cpu_ram", 64_000);
        offer.put("cpu_cores", 16);
        offer.put("disk_space", 500.0);
        offer.put("dph_total", dphTotal);
        offer.put("dlperf", dlperf);
        offer.put("dlperf_per_dphtotal", dlperf / dphTotal);
        offer.put("reliability", reliability);
        offer.put("reliability2", reliability);
        offer.put("inet_down", 900.0);
        offer.put("inet_up", 800.0);
        offer.put("cuda_max_good", 12.4);
        offer.put("compute_cap", 890);
        offer.put("geolocation", geolocation);
        offer.put("verified", true);
        offer.put("verification", "verified");
        offer.put("external", false);
        offer.put("rentable", true);
        offer.put("rented", false);
        offers.put(id, offer);
        return id;
    }

    /** Takes an offer off the market (someone else rented it). */
    synchronized void withdrawOffer(long id) {
        ObjectNode offer = offers.get(id);
        if (offer != null) {
            offer.put("rentable", false);
            withdrawn.add(id);
        }
    }

    synchronized List<Long> offerIds() {
        return new ArrayList<>(offers.keySet());
    }

    synchronized boolean isRentable(long offerId) {
        ObjectNode offer = offers.get(offerId);
        return offer != null && offer.get("rentable").asBoolean() && !offer.get("rented").asBoolean();
    }

    synchronized ArrayNode search(JsonNode filter) {
        List<ObjectNode> found = new ArrayList<>();
        for (ObjectNode offer : offers.values()) {
            if (FilterMatcher.matches(filter, offer)) {
                found.add(offer.deepCopy());
            }
        }
        JsonNode order = filter.get("order");
        if (order != null && order.isArray()) {
            Comparator<ObjectNode> comparator = null;
            for (JsonNode term : order) {
                if (!term.isArray() || term.isEmpty()) {
                    continue;
                }
                String field = term.get(0).asText();
                boolean desc = term.size() > 1 && term.get(1).asText().equalsIgnoreCase("desc");
                Comparator<ObjectNode> byField = Comparator.comparingDouble(o -> o.path(field).asDouble());
                byField = desc ? byField.reversed() : byField;
                comparator = comparator == null ? byField : comparator.thenComparing(byField);
            }
            if (comparator != null) {
                found.sort(comparator);
            }
        }
        int limit = filter.path("limit").asInt(64);
        ArrayNode result = json.createArrayNode();
        found.stream().limit(Math.max(0, limit)).forEach(result::add);
        return result;
    }

    // ------------------------------------------------------------------ instances

    /** The outcome of a create. */
    sealed interface Created permits Created.Made, Created.NoSuchOffer, Created.OfferTaken {
        record Made(long id) implements Created {
        }

        record NoSuchOffer() implements Created {
        }

        record OfferTaken() implements Created {
        }
    }

    synchronized Created create(long offerId, JsonNode body) {
        refresh();
        ObjectNode offer = offers.get(offerId);
        if (offer == null) {
            return new Created.NoSuchOffer();
        }
        if (!offer.get("rentable").asBoolean() || offer.get("rented").asBoolean()) {
            return new Created.OfferTaken();
        }
        offer.put("rented", true);
        Instance instance = new Instance(nextInstanceId++, offerId, offer.deepCopy());
        instance.label = body.path("label").asText("");
        instance.image = body.path("image").asText("");
        instance.onstart = body.path("onstart").asText("");
        instance.diskGb = body.path("disk").asDouble(10);
        instance.templateHashId = body.path("template_hash_id").asText("");
        body.path("env").properties().forEach(e -> instance.env.put(e.getKey(), e.getValue().asText()));
        body.path("args").forEach(a -> instance.args.add(a.asText()));
        for (String key : instance.env.keySet()) {
            Matcher m = PORT_FLAG.matcher(key);
            while (m.find()) {
                instance.containerPorts.add(Integer.parseInt(m.group(2)));
            }
        }
        instance.stuck = stuckNext > 0 && stuckNext-- > 0;
        instance.exitAfterBoot = exitAfterBootNext > 0 && exitAfterBootNext-- > 0;
        boolean startStopped = "stopped".equals(body.path("target_state").asText("running"));
        instance.startDate = clock.now().toEpochMilli() / 1000.0;
        instance.phaseSince = clock.nanoTime();
        if (startStopped) {
            instance.intended = "stopped";
            instance.phase = Phase.STOPPED;
        } else {
            instance.phase = Phase.PROVISIONING;
            instance.phaseEnds = clock.nanoTime() + Math.min(timings.provisioning().toNanos(), timings.boot().toNanos());
        }
        instances.put(instance.id, instance);
        labelChanges.add(new LabelChange(instance.label, 1));
        return new Created.Made(instance.id);
    }

    /** An instance that exists on the account without the engine (started by hand): running at once. */
    synchronized long addForeignInstance(String label, String gpuName) {
        ObjectNode offer = json.createObjectNode().put("gpu_name", gpuName).put("num_gpus", 1).put("dph_total", 0.5)
                .put("reliability2", 0.99);
        Instance instance = new Instance(nextInstanceId++, -1, offer);
        instance.label = label;
        instance.image = "hand/made:latest";
        instance.containerPorts.add(22);
        instance.startDate = clock.now().toEpochMilli() / 1000.0;
        enterRunning(instance);
        instances.put(instance.id, instance);
        labelChanges.add(new LabelChange(instance.label, 1));
        return instance.id;
    }

    /** False when there is no such instance. */
    synchronized boolean setState(long id, String state) {
        refresh();
        Instance i = instances.get(id);
        if (i == null) {
            return false;
        }
        long now = clock.nanoTime();
        if (state.equals("stopped")) {
            i.intended = "stopped";
            switch (i.phase) {
                case RUNNING, LOADING, PROVISIONING, STARTING, REBOOTING -> {
                    i.phase = Phase.STOPPING;
                    i.phaseEnds = now + timings.stop().toNanos();
                }
                default -> {
                    // already stopping, stopped or exited
                }
            }
        } else {
            i.intended = "running";
            switch (i.phase) {
                case STOPPED, STOPPING -> {
                    i.phase = Phase.STARTING;
                    i.stallStart = stallStartsNext > 0 && stallStartsNext-- > 0;
                    i.phaseEnds = now + timings.start().toNanos();
                }
                default -> {
                    // running or on its way; an exited container does not come back
                }
            }
        }
        i.phaseSince = now;
        refresh();
        return true;
    }

    /** False when there is no such instance. */
    synchronized boolean setLabel(long id, String label) {
        Instance i = instances.get(id);
        if (i == null) {
            return false;
        }
        labelChanges.add(new LabelChange(i.label, -1));
        labelChanges.add(new LabelChange(label, 1));
        i.label = label;
        return true;
    }

    /** Restarts a running container; a no-op in other states. False when there is no such instance. */
    synchronized boolean reboot(long id) {
        refresh();
        Instance i = instances.get(id);
        if (i == null) {
            return false;
        }
        if (i.phase == Phase.RUNNING) {
            i.phase = Phase.REBOOTING;
            i.hostPorts.clear();
            i.phaseEnds = clock.nanoTime() + timings.reboot().toNanos();
        }
        return true;
    }

    /** Destroys; the offer goes back on the market. False when there was no such instance. */
    synchronized boolean destroy(long id) {
        Instance removed = instances.remove(id);
        if (removed == null) {
            return false;
        }
        labelChanges.add(new LabelChange(removed.label, -1));
        ObjectNode offer = offers.get(removed.offerId);
        if (offer != null && !withdrawn.contains(removed.offerId)) {
            offer.put("rented", false);
        }
        return true;
    }

    /** The most instances with a label {@code labels} accepts that existed at one instant. */
    synchronized int peak(java.util.function.Predicate<String> labels) {
        int now = 0;
        int peak = 0;
        for (LabelChange change : labelChanges) {
            if (labels.test(change.label())) {
                now += change.delta();
                peak = Math.max(peak, now);
            }
        }
        return peak;
    }

    synchronized List<ObjectNode> instancesJson() {
        refresh();
        List<ObjectNode> result = new ArrayList<>();
        for (Instance i : instances.values()) {
            result.add(toJson(i));
        }
        return result;
    }

    synchronized List<FakeInstance> snapshots() {
        refresh();
        List<FakeInstance> result = new ArrayList<>();
        for (Instance i : instances.values()) {
            result.add(new FakeInstance(i.id, i.label, i.offerId, i.offer.path("gpu_name").asText(), actual(i),
                    i.intended, i.image, Map.copyOf(i.env), i.onstart, i.diskGb, List.copyOf(i.args),
                    i.templateHashId, Map.copyOf(i.hostPorts)));
        }
        return result;
    }

    synchronized Optional<FakeInstance> snapshot(long id) {
        return snapshots().stream().filter(s -> s.id() == id).findFirst();
    }

    /** What an emulated worker needs to know about a running instance. */
    record RunningWorker(long id, Map<String, String> env, String publicIp, Map<Integer, Integer> hostPorts,
                         double dlperf) {
    }

    /**
     * The instances whose container runs and is meant to (so not one being stopped): those where a
     * worker would be up and reporting.
     */
    synchronized List<RunningWorker> runningWorkers() {
        refresh();
        List<RunningWorker> result = new ArrayList<>();
        for (Instance i : instances.values()) {
            if (i.phase == Phase.RUNNING && i.intended.equals("running")) {
                result.add(new RunningWorker(i.id, Map.copyOf(i.env), publicIp, Map.copyOf(i.hostPorts),
                        i.offer.path("dlperf").asDouble(0)));
            }
        }
        return result;
    }

    // ------------------------------------------------------------------ faults

    synchronized void stickNextInLoading(int count) {
        stuckNext += count;
    }

    synchronized void exitNextAfterBoot(int count) {
        exitAfterBootNext += count;
    }

    synchronized void stallNextStarts(int count) {
        stallStartsNext += count;
    }

    /** The container dies: the instance turns {@code exited} and never runs again. */
    synchronized void exit(long id) {
        refresh();
        Instance i = instances.get(id);
        if (i != null) {
            i.phase = Phase.EXITED;
            i.hostPorts.clear();
        }
    }

    // ------------------------------------------------------------------ lifecycle

    /** Brings every instance up to the clock's time. */
    private void refresh() {
        long now = clock.nanoTime();
        for (Instance i : instances.values()) {
            boolean moved = true;
            while (moved) {
                moved = step(i, now);
            }
        }
    }

    private boolean step(Instance i, long now) {
        if (now < i.phaseEnds) {
            return false;
        }
        switch (i.phase) {
            case PROVISIONING -> {
                i.phase = Phase.LOADING;
                i.phaseEnds = i.phaseSince + timings.boot().toNanos();
                return true;
            }
            case LOADING -> {
                if (i.stuck) {
                    i.phaseEnds = Long.MAX_VALUE;
                    return false;
                }
                if (i.exitAfterBoot) {
                    i.phase = Phase.EXITED;
                    i.phaseEnds = Long.MAX_VALUE;
                    return false;
                }
                enterRunning(i);
                return false;
            }
            case STARTING -> {
                if (i.stallStart) {
                    i.phaseEnds = Long.MAX_VALUE;
                    return false;
                }
                enterRunning(i);
                return false;
            }
            case REBOOTING -> {
                enterRunning(i);
                return false;
            }
            case STOPPING -> {
                i.phase = Phase.STOPPED;
                i.hostPorts.clear();
                i.phaseEnds = Long.MAX_VALUE;
                return false;
            }
            default -> {
                i.phaseEnds = Long.MAX_VALUE;
                return false;
            }
        }
    }

    /**
     * A host port for an instance's container port: one the OS says is free on loopback now, so
     * that emulated workers can serve on it even while other programs (other tests, another fake)
     * run on this machine; a fixed range collided with them.
     */
    private static int freeHostPort() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on loopback", e);
        }
    }

    private void enterRunning(Instance i) {
        i.phase = Phase.RUNNING;
        i.phaseEnds = Long.MAX_VALUE;
        if (i.hostPorts.isEmpty()) {
            for (Integer port : i.containerPorts) {
                i.hostPorts.put(port, i.reservedHostPorts.computeIfAbsent(port, p -> freeHostPort()));
            }
        }
    }

    private static String actual(Instance i) {
        return switch (i.phase) {
            case PROVISIONING -> "";
            case LOADING -> "loading";
            case RUNNING, STOPPING -> "running";
            case STOPPED -> "stopped";
            case STARTING -> i.stallStart ? "stopped" : "loading";
            case REBOOTING -> "rebooting";
            case EXITED -> "exited";
        };
    }

    private ObjectNode toJson(Instance i) {
        ObjectNode node = json.createObjectNode();
        node.put("id", i.id);
        node.put("label", i.label.isEmpty() ? null : i.label);
        String actual = actual(i);
        if (actual.isEmpty()) {
            node.putNull("actual_status");
        } else {
            node.put("actual_status", actual);
        }
        node.put("intended_status", i.intended);
        node.put("cur_state", i.phase == Phase.STOPPED ? "stopped" : "running");
        node.put("next_state", i.intended);
        node.put("status_msg", statusMessage(i));
        node.put("public_ipaddr", publicIp);
        if (!i.hostPorts.isEmpty()) {
            ObjectNode ports = node.putObject("ports");
            i.hostPorts.forEach((container, host) -> {
                ArrayNode bindings = ports.putArray(container + "/tcp");
                bindings.addObject().put("HostIp", "0.0.0.0").put("HostPort", Integer.toString(host));
                bindings.addObject().put("HostIp", "::").put("HostPort", Integer.toString(host));
            });
        }
        node.put("gpu_name", i.offer.path("gpu_name").asText());
        node.put("num_gpus", i.offer.path("num_gpus").asInt(1));
        node.put("dph_total", i.offer.path("dph_total").asDouble());
        node.put("reliability2", i.offer.path("reliability2").asDouble(1));
        node.put("start_date", i.startDate);
        node.put("machine_id", i.offer.path("machine_id").asLong());
        node.put("image_uuid", i.image);
        node.put("onstart", i.onstart);
        node.put("disk_space", i.diskGb);
        if (!i.templateHashId.isEmpty()) {
            node.put("template_hash_id", i.templateHashId);
        }
        ArrayNode env = node.putArray("extra_env");
        i.env.forEach((k, v) -> env.addArray().add(k).add(v));
        return node;
    }

    private static String statusMessage(Instance i) {
        return switch (i.phase) {
            case PROVISIONING -> "Creating container";
            case LOADING -> "Pulling image " + i.image;
            case RUNNING -> "success, running " + i.image;
            case STOPPING -> "Stopping";
            case STOPPED -> "Stopped";
            case STARTING -> i.stallStart ? "Waiting for GPU to become available" : "Starting";
            case REBOOTING -> "Rebooting";
            case EXITED -> "Error: container exited with code 1";
        };
    }

    /** One instance's mutable state. */
    private static final class Instance {
        final long id;
        final long offerId;
        final ObjectNode offer;
        final Map<String, String> env = new LinkedHashMap<>();
        final List<String> args = new ArrayList<>();
        final List<Integer> containerPorts = new ArrayList<>();
        final Map<Integer, Integer> hostPorts = new TreeMap<>();
        final Map<Integer, Integer> reservedHostPorts = new TreeMap<>();
        String label = "";
        String image = "";
        String onstart = "";
        String templateHashId = "";
        double diskGb;
        double startDate;
        String intended = "running";
        Phase phase;
        long phaseSince;
        long phaseEnds = Long.MAX_VALUE;
        boolean stuck;
        boolean exitAfterBoot;
        boolean stallStart;

        Instance(long id, long offerId, ObjectNode offer) {
            this.id = id;
            this.offerId = offerId;
            this.offer = offer;
        }
    }
}
