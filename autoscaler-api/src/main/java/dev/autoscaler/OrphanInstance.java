package dev.autoscaler;

/**
 * An instance with this engine's label whose endpoint or group is not configured (see
 * {@link OrphanPolicy}), as the last provider sync saw it.
 *
 * @param provider         the provider it lives on
 * @param instanceId       its instance id
 * @param label            its label
 * @param status           what the provider said of it ({@code running}, {@code stopped}, ...)
 * @param secondsSeen      how long the engine has seen it as an orphan
 * @param policy           what will be done with it
 * @param secondsUntilAction how long until the policy acts on it (0: due or done; -1 for {@code keep})
 */
public record OrphanInstance(String provider, String instanceId, String label, String status, double secondsSeen,
                             OrphanPolicy policy, double secondsUntilAction) {
}
