package dev.autoscaler.core.engine.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether the engine can vouch for the {@code url} a worker reports: clients are sent to it with a
 * signed ticket, so it must be an {@code http}/{@code https} URL whose host and port are the ones the
 * provider gives for that instance (Vast: the public IP and the host port mapped to the worker port;
 * a static fleet: the configured URL; the local provider: loopback and its port). Behind NAT the
 * provider's address is not the one clients use: there, an explicit list of allowed hosts
 * ({@code worker_url_hosts}: {@code host} for any port of it, {@code host:port} for one) replaces the
 * comparison. Immutable.
 */
public final class WorkerUrlCheck {
    /** One allowed host, with a port or any ({@code -1}). */
    private record Allowed(String host, int port) {
    }

    private final List<Allowed> allowedHosts;

    private WorkerUrlCheck(List<Allowed> allowedHosts) {
        this.allowedHosts = List.copyOf(allowedHosts);
    }

    /** Host and port must agree with the provider's URL of the instance. */
    public static WorkerUrlCheck providerAddresses() {
        return new WorkerUrlCheck(List.of());
    }

    /**
     * The NAT switch: the reported host must be one of these ({@code host} or {@code host:port};
     * IPv6 in brackets), whatever the provider says.
     *
     * @throws IllegalArgumentException naming an entry that is not a host or host:port
     */
    public static WorkerUrlCheck allowedHosts(List<String> hosts) {
        if (hosts.isEmpty()) {
            return providerAddresses();
        }
        List<Allowed> allowed = new ArrayList<>();
        for (String entry : hosts) {
            Optional<HostPort> parsed = HostPort.parse("http://" + entry.trim(), false);
            if (parsed.isEmpty() || !parsed.get().path.isEmpty()) {
                throw new IllegalArgumentException("'" + entry + "' is not a host or host:port");
            }
            allowed.add(new Allowed(parsed.get().host, parsed.get().explicitPort));
        }
        return new WorkerUrlCheck(allowed);
    }

    /** Whether the NAT switch is on. */
    public boolean usesAllowedHosts() {
        return !allowedHosts.isEmpty();
    }

    /**
     * Null when {@code reported} can be routed to; otherwise what is wrong with it, for the worker's
     * 400 and the event.
     *
     * @param providerUrl the instance's URL as its provider last gave it; empty when it gave none
     */
    public String mismatch(String reported, String providerUrl) {
        Optional<HostPort> parsed = HostPort.parse(reported, true);
        if (parsed.isEmpty()) {
            return "must be an http or https URL with a host (and no user info), got '" + abbreviate(reported) + "'";
        }
        HostPort url = parsed.get();
        if (!allowedHosts.isEmpty()) {
            for (Allowed a : allowedHosts) {
                if (a.host.equals(url.host) && (a.port < 0 || a.port == url.port)) {
                    return null;
                }
            }
            return "host " + url.hostAndPort() + " is not in worker_url_hosts";
        }
        if (providerUrl == null || providerUrl.isEmpty()) {
            return "the provider has given no address for this instance yet, so " + url.hostAndPort()
                    + " cannot be vouched for (it is asked again; report again shortly)";
        }
        Optional<HostPort> expected = HostPort.parse(providerUrl, true);
        if (expected.isEmpty()) {
            return "the provider's address for this instance ('" + abbreviate(providerUrl) + "') is not a URL";
        }
        if (!expected.get().host.equals(url.host) || expected.get().port != url.port) {
            return "reported " + url.hostAndPort() + " but the provider says this instance is at "
                    + expected.get().hostAndPort();
        }
        return null;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }

    /** The parts of a URL that say where a connection goes. */
    private record HostPort(String host, int port, int explicitPort, String path) {
        String hostAndPort() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }

        static Optional<HostPort> parse(String text, boolean schemeMatters) {
            if (text == null || text.isBlank()) {
                return Optional.empty();
            }
            URI uri;
            try {
                uri = new URI(text.trim());
            } catch (URISyntaxException e) {
                return Optional.empty();
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                return Optional.empty();
            }
            String host = uri.getHost();
            if (host == null || host.isEmpty() || uri.getRawUserInfo() != null) {
                return Optional.empty(); // no host, a registry-based authority, or user@host
            }
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int explicit = uri.getPort();
            int port = explicit >= 0 ? explicit : scheme.equals("https") ? 443 : 80;
            String path = uri.getRawPath() == null ? "" : uri.getRawPath();
            return Optional.of(new HostPort(host.toLowerCase(Locale.ROOT), port, explicit, path.equals("/") ? "" : path));
        }
    }
}
