package dev.autoscaler.core.engine.internal;

import dev.autoscaler.ProviderException;
import dev.autoscaler.spi.CreateInstanceRequest;
import dev.autoscaler.spi.Instance;
import dev.autoscaler.spi.InstanceProvider;
import dev.autoscaler.spi.InstanceStatus;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An in-memory provider for engine tests: instances come up RUNNING at once, every call is
 * recorded, and a test can queue failures per call.
 */
class FakeInstanceProvider implements InstanceProvider {
    enum Call { CREATE, START, STOP, REBOOT, DESTROY, LIST }

    final Map<String, Instance> instances = new LinkedHashMap<>();
    final Map<String, Map<String, String>> envs = new LinkedHashMap<>();
    final List<String> calls = new ArrayList<>();
    final List<String> measured = new ArrayList<>();
    private final Map<Call, Deque<ProviderException>> failures = new EnumMap<>(Call.class);
    private int nextId;
    /** The most instances the account ever held at once. */
    int maxAlive;
    /** GPU name and price for the next creates, in turn; the last one repeats. */
    final Deque<Instance> offers = new ArrayDeque<>();

    FakeInstanceProvider() {
        this(1000);
    }

    /** Instance ids count up from {@code firstId}: two providers of one engine need ids apart. */
    FakeInstanceProvider(int firstId) {
        this.nextId = firstId;
    }

    void failNext(Call call, ProviderException e) {
        failures.computeIfAbsent(call, c -> new ArrayDeque<>()).add(e);
    }

    void clearFailures(Call call) {
        failures.remove(call);
    }

    private void maybeFail(Call call) {
        Deque<ProviderException> queue = failures.get(call);
        if (queue != null && !queue.isEmpty()) {
            throw queue.poll();
        }
    }

    /** Adds an instance as if someone (another engine, a person) had made it. */
    Instance addExternal(String label, InstanceStatus status) {
        Instance instance = new Instance(Integer.toString(nextId++), label, status, "http://10.0.0.9:1", "RTX 4090", 0.5, 1);
        instances.put(instance.id(), instance);
        return instance;
    }

    long count(String prefix) {
        return calls.stream().filter(c -> c.startsWith(prefix)).count();
    }

    @Override
    public Instance create(CreateInstanceRequest request) {
        calls.add("create " + request.group().name());
        maybeFail(Call.CREATE);
        String id = Integer.toString(nextId++);
        Instance offer = offers.size() > 1 ? offers.poll() : offers.peek();
        String gpu = offer == null ? "RTX 4090" : offer.gpuName();
        double price = offer == null ? 0.5 : offer.pricePerHour();
        Instance instance = new Instance(id, request.label(), InstanceStatus.RUNNING, "http://127.0.0.1:" + id, gpu, price, 1);
        instances.put(id, instance);
        maxAlive = Math.max(maxAlive, instances.size());
        envs.put(id, request.env());
        return instance;
    }

    @Override
    public void start(String instanceId) {
        calls.add("start " + instanceId);
        maybeFail(Call.START);
        set(instanceId, InstanceStatus.RUNNING);
    }

    @Override
    public void stop(String instanceId) {
        calls.add("stop " + instanceId);
        maybeFail(Call.STOP);
        set(instanceId, InstanceStatus.STOPPED);
    }

    @Override
    public void reboot(String instanceId) {
        calls.add("reboot " + instanceId);
        maybeFail(Call.REBOOT);
        set(instanceId, InstanceStatus.RUNNING);
    }

    @Override
    public void destroy(String instanceId) {
        calls.add("destroy " + instanceId);
        maybeFail(Call.DESTROY);
        instances.remove(instanceId);
    }

    @Override
    public void recordMeasuredPerf(String group, String gpuName, double perf) {
        measured.add(group + "/" + gpuName + "=" + perf);
    }

    @Override
    public List<Instance> list() {
        calls.add("list");
        maybeFail(Call.LIST);
        return List.copyOf(instances.values());
    }

    private void set(String id, InstanceStatus status) {
        Instance instance = instances.get(id);
        if (instance == null) {
            throw new ProviderException(ProviderException.Kind.NOT_FOUND, "no instance " + id);
        }
        instances.put(id, instance.withStatus(status));
    }
}
