package dev.autoscaler.core.engine.internal;

import dev.autoscaler.AutoscalerEvent;
import dev.autoscaler.InstanceAction;
import dev.autoscaler.OrphanInstance;
import dev.autoscaler.OrphanPolicy;
import dev.autoscaler.ProviderException;
import dev.autoscaler.spi.Instance;
import dev.autoscaler.spi.InstanceProvider;
import dev.autoscaler.spi.InstanceStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Instances with our label whose endpoint or group is not configured: without a policy they would
 * bill for ever after an endpoint is removed from the config and the engine restarts. Each is logged
 * at every sync and listed ({@link #list()}, the dashboard) until resolved; once it has been seen for
 * the grace period the policy acts: destroy (default), stop, or keep. The grace period lets a config
 * that comes back (a rollback, a typo fixed) take its instances over again, adopted as usual. A
 * destroy or stop that fails is tried again at the next sync; an orphan is resolved once the provider
 * no longer lists it (destroyed), lists it stopped (stop), or its endpoint is configured again.
 */
final class Orphans {
    private static final Logger log = LoggerFactory.getLogger(Orphans.class);

    private record Seen(String provider, Instance instance, WorkerLabelView label, long firstSeenNanos) {
    }

    /** The parts of a label an orphan report shows. */
    private record WorkerLabelView(String endpoint, String group, String text) {
    }

    private final EngineContext ctx;
    private final OrphanPolicy policy;
    private final long graceNanos;
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();

    Orphans(EngineContext ctx, OrphanPolicy policy, Duration grace) {
        this.ctx = ctx;
        this.policy = policy;
        this.graceNanos = grace.toNanos();
    }

    /** A sync listed an orphan: remember it (first time seen), and log it. */
    void seen(String provider, Instance instance, WorkerLabel label) {
        long now = ctx.clock().nanoTime();
        Seen was = seen.get(key(provider, instance.id()));
        long first = was == null ? now : was.firstSeenNanos;
        seen.put(key(provider, instance.id()), new Seen(provider, instance,
                new WorkerLabelView(label.endpoint(), label.group(), instance.label()), first));
        double age = (now - first) / 1e9;
        log.warn("orphan instance {} on provider {} ({}): labelled ours, but endpoint {} / group {} is not configured; "
                        + "seen for {} s; policy orphans: {}{}", instance.id(), provider, instance.status(), label.endpoint(),
                label.group(), Math.round(age), policy.wireName(),
                policy == OrphanPolicy.KEEP ? " (left as it is, billing)"
                        : ", acting after " + graceNanos / 1_000_000_000L + " s");
    }

    /**
     * After a sync of {@code provider}: forgets orphans it no longer lists (or that are ours again),
     * and applies the policy to those past the grace period.
     */
    void resolve(String provider, Set<String> listed, InstanceProvider api) {
        long now = ctx.clock().nanoTime();
        for (var it = seen.entrySet().iterator(); it.hasNext(); ) {
            Seen s = it.next().getValue();
            if (!s.provider.equals(provider)) {
                continue;
            }
            if (!listed.contains(s.instance.id()) || ctx.store().workerByInstanceId(s.instance.id()).isPresent()) {
                log.info("orphan instance {} on provider {} resolved ({})", s.instance.id(), provider,
                        listed.contains(s.instance.id()) ? "adopted" : "gone");
                it.remove();
                continue;
            }
            if (policy == OrphanPolicy.KEEP || now - s.firstSeenNanos < graceNanos) {
                continue;
            }
            act(s, api, it);
        }
    }

    private void act(Seen s, InstanceProvider api, java.util.Iterator<Map.Entry<String, Seen>> it) {
        String reason = "orphan: endpoint " + s.label.endpoint() + " / group " + s.label.group()
                + " is not configured (orphans: " + policy.wireName() + ")";
        try {
            if (policy == OrphanPolicy.DESTROY) {
                api.destroy(s.instance.id());
                publish(s, InstanceAction.DESTROY, reason);
                log.warn("orphan instance {} destroyed: {}", s.instance.id(), reason);
                // stays listed until the provider no longer lists it: the next sync resolves it
            } else if (s.instance.status() != InstanceStatus.STOPPED) {
                api.stop(s.instance.id());
                publish(s, InstanceAction.STOP, reason);
                log.warn("orphan instance {} stopped: {}", s.instance.id(), reason);
            } else {
                it.remove(); // stopped is what the policy wants: nothing left to do
            }
        } catch (ProviderException e) {
            if (e.kind() == ProviderException.Kind.NOT_FOUND) {
                it.remove();
                return;
            }
            log.warn("acting on orphan instance {} failed: {}; the next sync tries again", s.instance.id(), e.getMessage());
            ctx.events().publish(new AutoscalerEvent.ProviderFailed(ctx.clock().now(), s.label.endpoint(),
                    s.label.group(), "", policy == OrphanPolicy.DESTROY ? InstanceAction.DESTROY : InstanceAction.STOP, e));
        }
    }

    private void publish(Seen s, InstanceAction action, String reason) {
        ctx.events().publish(new AutoscalerEvent.InstanceActionTaken(ctx.clock().now(), s.label.endpoint(),
                s.label.group(), "", s.instance.id(), action, reason));
    }

    /** The orphans not resolved yet, oldest first. */
    List<OrphanInstance> list() {
        long now = ctx.clock().nanoTime();
        List<OrphanInstance> all = new ArrayList<>();
        for (Seen s : seen.values()) {
            double age = (now - s.firstSeenNanos) / 1e9;
            double until = policy == OrphanPolicy.KEEP ? -1 : Math.max(0, graceNanos / 1e9 - age);
            all.add(new OrphanInstance(s.provider, s.instance.id(), s.label.text(),
                    s.instance.status().name().toLowerCase(java.util.Locale.ROOT), age, policy, until));
        }
        all.sort(Comparator.comparingDouble(OrphanInstance::secondsSeen).reversed());
        return all;
    }

    private static String key(String provider, String instanceId) {
        return provider + "/" + instanceId;
    }
}
