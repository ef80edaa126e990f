package dev.autoscaler.core.engine.internal;

import dev.autoscaler.spi.CreateInstanceRequest;
import dev.autoscaler.spi.Instance;
import dev.autoscaler.spi.InstanceProvider;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the providers last said about each instance's address: the URL of every instance they
 * returned from a create or a list, by instance id. A worker's report may overwrite the URL the
 * engine routes to, never this: {@link WorkerUrlCheck} compares the report with it. Thread safe.
 */
public final class InstanceAddresses {
    private final Map<String, String> urlByInstance = new ConcurrentHashMap<>();

    /** The provider's URL of the instance; empty when it gave none (yet). */
    public String urlOf(String instanceId) {
        return urlByInstance.getOrDefault(instanceId, "");
    }

    /** Wraps a provider so that what its creates and lists return is recorded here. */
    public InstanceProvider recording(InstanceProvider provider) {
        return new Recording(provider);
    }

    private void record(Instance instance) {
        if (instance.url().isEmpty()) {
            urlByInstance.remove(instance.id());
        } else {
            urlByInstance.put(instance.id(), instance.url());
        }
    }

    /** Passes every call through, recording the addresses it sees. */
    private final class Recording implements InstanceProvider {
        private final InstanceProvider delegate;
        /** The ids this provider returned, so that a list can forget those it no longer has. */
        private final Set<String> seen = ConcurrentHashMap.newKeySet();

        Recording(InstanceProvider delegate) {
            this.delegate = delegate;
        }

        @Override
        public Instance create(CreateInstanceRequest request) {
            Instance created = delegate.create(request);
            seen.add(created.id());
            record(created);
            return created;
        }

        @Override
        public List<Instance> list() {
            List<Instance> instances = delegate.list();
            Set<String> listed = new HashSet<>();
            for (Instance i : instances) {
                record(i);
                listed.add(i.id());
            }
            // instances gone without our destroy (vanished, destroyed by hand): forget their addresses
            for (String id : seen) {
                if (!listed.contains(id)) {
                    seen.remove(id);
                    urlByInstance.remove(id);
                }
            }
            seen.addAll(listed);
            return instances;
        }

        @Override
        public void start(String instanceId) {
            delegate.start(instanceId);
        }

        @Override
        public void stop(String instanceId) {
            delegate.stop(instanceId);
        }

        @Override
        public void reboot(String instanceId) {
            delegate.reboot(instanceId);
        }

        @Override
        public void destroy(String instanceId) {
            delegate.destroy(instanceId);
            seen.remove(instanceId);
            urlByInstance.remove(instanceId);
        }

        @Override
        public void recordMeasuredPerf(String group, String gpuName, double perf) {
            delegate.recordMeasuredPerf(group, gpuName, perf);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
