package dev.autoscaler;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a worker runs: an image with its environment, start script and disk, or a provider-side
 * template named by hash. Providers use what applies to them (the local provider ignores the image).
 *
 * @param image       container image, e.g. {@code vastai/vllm:latest}; may be empty with a template hash
 * @param templateHash the provider's template id ({@code template_hash}), or empty
 * @param env         environment variables for the worker; the engine adds MASTER_TOKEN, REPORT_ADDR, WORKER_PORT
 * @param onstart     shell commands run at container start, or empty
 * @param diskGb      disk to allocate, in GB
 * @param ports       container ports to expose (the worker port is always exposed)
 */
public record WorkerTemplate(String image, String templateHash, Map<String, String> env, String onstart,
                             double diskGb, List<Integer> ports) {

    /** The default disk, in GB. */
    public static final double DEFAULT_DISK_GB = 32;

    public WorkerTemplate {
        image = Objects.requireNonNullElse(image, "");
        templateHash = Objects.requireNonNullElse(templateHash, "");
        env = env == null ? Map.of() : Map.copyOf(env);
        onstart = Objects.requireNonNullElse(onstart, "");
        Validate.positive("template.disk", diskGb);
        ports = ports == null ? List.of() : List.copyOf(ports);
        for (Integer port : ports) {
            if (port == null || port < 1 || port > 65535) {
                throw new InvalidConfigException("template.ports", "must hold ports in 1..65535, got " + port);
            }
        }
    }

    /**
     * A short stable fingerprint of this template: the first 8 hex digits of the SHA-256 of a
     * canonical form (every field, the environment sorted by name, each value length-prefixed so
     * that no two templates share a form). Equal templates have equal revisions, across JVMs and
     * restarts; a worker created from another revision is outdated and is replaced by a rolling
     * update.
     */
    public String revision() {
        StringBuilder canonical = new StringBuilder();
        field(canonical, image);
        field(canonical, templateHash);
        for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
            field(canonical, e.getKey());
            field(canonical, e.getValue());
        }
        canonical.append('|');
        field(canonical, onstart);
        field(canonical, Double.toString(diskGb));
        for (Integer port : ports) {
            field(canonical, port.toString());
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static void field(StringBuilder out, String value) {
        out.append(value.length()).append(':').append(value).append(';');
    }

    /** No image, no template: for providers that need none (simulated, local, static). */
    public static WorkerTemplate none() {
        return new WorkerTemplate("", "", Map.of(), "", DEFAULT_DISK_GB, List.of());
    }

    /**
     * A template that runs an image with the default disk and nothing else.
     *
     * @param image the image, e.g. {@code vastai/vllm:latest}
     * @return the template
     */
    public static WorkerTemplate ofImage(String image) {
        return new WorkerTemplate(image, "", Map.of(), "", DEFAULT_DISK_GB, List.of());
    }
}
