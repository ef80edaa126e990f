package dev.autoscaler.core.internal.engine;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The label the engine puts on every instance it creates: {@code owner:endpoint:group:uid}. It is
 * how a restarted engine finds its own instances in the provider's list, and how it knows to leave
 * every other instance alone. Names cannot contain ':' (they match {@code ^[A-Za-z0-9_-]+$}), so the
 * format parses without ambiguity.
 */
public record WorkerLabel(String owner, String endpoint, String group, String uid) {
    private static final Pattern PART = Pattern.compile("^[A-Za-z0-9_-]+$");

    public WorkerLabel {
        for (String part : new String[] {owner, endpoint, group, uid}) {
            if (part == null || !PART.matcher(part).matches()) {
                throw new IllegalArgumentException("bad label part: '" + part + "'");
            }
        }
    }

    /** Parses a label; empty for anything that is not one of ours in form. */
    public static Optional<WorkerLabel> parse(String label) {
        if (label == null) {
            return Optional.empty();
        }
        String[] parts = label.split(":", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        for (String part : parts) {
            if (!PART.matcher(part).matches()) {
                return Optional.empty();
            }
        }
        return Optional.of(new WorkerLabel(parts[0], parts[1], parts[2], parts[3]));
    }

    @Override
    public String toString() {
        return owner + ":" + endpoint + ":" + group + ":" + uid;
    }
}
