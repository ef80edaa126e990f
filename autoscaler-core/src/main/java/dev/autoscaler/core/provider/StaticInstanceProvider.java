package dev.autoscaler.core.provider;

import dev.autoscaler.InvalidConfigException;
import dev.autoscaler.ProviderException;
import dev.autoscaler.Settings;
import dev.autoscaler.spi.CreateInstanceRequest;
import dev.autoscaler.spi.Instance;
import dev.autoscaler.spi.InstanceProvider;
import dev.autoscaler.spi.InstanceStatus;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A fixed fleet declared in configuration: no provisioning at all. The workers run already (started
 * by you, with their own {@code MASTER_TOKEN}); the engine only decides which of them are in use.
 * <ul>
 *   <li>{@link #create} hands out the first declared worker not in use, labelled, and returns its
 *       configured token as {@link Instance#mtoken()} so that the engine authenticates its reports
 *       with it;</li>
 *   <li>{@link #stop} and {@link #start} only mark it stopped or running (the process keeps running;
 *       the engine routes nothing to a stopped worker); {@link #reboot} does nothing;</li>
 *   <li>{@link #destroy} puts it back in the free pool.</li>
 * </ul>
 * State lives in memory: after a restart every worker is free again, and the engine hands them out
 * anew. Settings: {@code workers.<n>.id}, {@code workers.<n>.mtoken}, {@code workers.<n>.url}, and
 * optionally {@code workers.<n>.gpu_name} and {@code workers.<n>.price_per_hour}, for n = 0, 1, 2...
 */
public final class StaticInstanceProvider implements InstanceProvider {
    private final Map<String, StaticWorker> declared = new LinkedHashMap<>();
    private final Map<String, Slot> inUse = new LinkedHashMap<>();

    private record Slot(String label, InstanceStatus status) {
    }

    /**
     * A provider of a fixed fleet.
     *
     * @param workers the workers, already running
     */
    public StaticInstanceProvider(List<StaticWorker> workers) {
        if (workers == null || workers.isEmpty()) {
            throw new InvalidConfigException("workers", "a static fleet needs at least one worker");
        }
        Set<String> urls = new HashSet<>();
        for (int i = 0; i < workers.size(); i++) {
            StaticWorker w = workers.get(i);
            if (declared.putIfAbsent(w.id(), w) != null) {
                throw new InvalidConfigException("workers." + i + ".id", "duplicate worker id " + w.id());
            }
            if (!urls.add(w.url())) {
                throw new InvalidConfigException("workers." + i + ".url", "duplicate worker url " + w.url());
            }
        }
    }

    /** Reads {@code workers.<n>.*} settings; errors name the setting, e.g. {@code workers.2.url}. */
    public static StaticInstanceProvider fromSettings(Settings settings) {
        List<StaticWorker> workers = new ArrayList<>();
        for (int i = 0; settings.get("workers." + i + ".id").isPresent() || settings.get("workers." + i + ".url").isPresent(); i++) {
            String prefix = "workers." + i + ".";
            try {
                workers.add(new StaticWorker(settings.require(prefix + "id"), settings.require(prefix + "mtoken"),
                        settings.require(prefix + "url"), settings.getString(prefix + "gpu_name", ""),
                        settings.getDouble(prefix + "price_per_hour", 0)));
            } catch (InvalidConfigException e) {
                String field = e.field().startsWith(prefix) ? e.field() : prefix + e.field();
                throw new InvalidConfigException(field, e.getMessage().substring(e.field().length() + 2));
            }
        }
        if (workers.isEmpty()) {
            throw new InvalidConfigException("workers", "a static fleet needs at least one worker (workers.0.id, workers.0.mtoken, workers.0.url)");
        }
        return new StaticInstanceProvider(workers);
    }

    @Override
    public synchronized Instance create(CreateInstanceRequest request) {
        for (StaticWorker w : declared.values()) {
            if (!inUse.containsKey(w.id())) {
                inUse.put(w.id(), new Slot(request.label(), InstanceStatus.RUNNING));
                return instance(w);
            }
        }
        throw new ProviderException(ProviderException.Kind.NO_OFFER,
                "all " + declared.size() + " workers of the static fleet are in use");
    }

    @Override
    public synchronized void start(String instanceId) {
        mark(instanceId, InstanceStatus.RUNNING);
    }

    @Override
    public synchronized void stop(String instanceId) {
        mark(instanceId, InstanceStatus.STOPPED);
    }

    @Override
    public synchronized void reboot(String instanceId) {
        slot(instanceId); // the process is not ours to restart: the worker recovers or reports again
    }

    @Override
    public synchronized void destroy(String instanceId) {
        inUse.remove(instanceId); // back to the free pool; a worker not in use is "already gone"
    }

    @Override
    public synchronized List<Instance> list() {
        List<Instance> all = new ArrayList<>(declared.size());
        for (StaticWorker w : declared.values()) {
            all.add(instance(w));
        }
        return all;
    }

    /** {@return how many declared workers are handed out} */
    public synchronized int inUseCount() {
        return inUse.size();
    }

    private Instance instance(StaticWorker w) {
        Slot slot = inUse.get(w.id());
        // A free worker is listed unlabelled: the engine leaves unlabelled instances alone, but knows its
        // token, so that its reports are accepted before a tick hands it out.
        return slot == null
                ? new Instance(w.id(), "", InstanceStatus.RUNNING, w.url(), w.gpuName(), w.pricePerHour(), 1.0, w.mtoken())
                : new Instance(w.id(), slot.label(), slot.status(), w.url(), w.gpuName(), w.pricePerHour(), 1.0, w.mtoken());
    }

    private Slot slot(String instanceId) {
        Slot slot = inUse.get(instanceId);
        if (slot == null) {
            throw new ProviderException(ProviderException.Kind.NOT_FOUND,
                    "static worker " + instanceId + " is not in use (or not declared)");
        }
        return slot;
    }

    private void mark(String instanceId, InstanceStatus status) {
        inUse.put(instanceId, new Slot(slot(instanceId).label(), status));
    }
}
