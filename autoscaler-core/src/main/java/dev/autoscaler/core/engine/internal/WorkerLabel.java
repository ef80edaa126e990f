package dev.autoscaler.core.engine.internal;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The label the engine puts on every instance it creates: {@code owner:endpoint:group:uid}. It is
 * how a restarted engine finds its own instances in the provider's list, and how it knows to leave
 * every other instance alone. Names cannot contain ':' (they match {@code ^[A-Za-z0-9_-]+$}), so the
 * format parses without ambiguity.
 *
 * <p>The uid of a worker created since template revisions exist ends with {@code -r<revision>}
 * (8 hex digits, see {@link dev.autoscaler.WorkerTemplate#revision()}), so that a restarted engine,
 * without any database, still knows which template each adopted instance runs. A uid without that
 * suffix (a label written before) has no known revision.
 */
public record WorkerLabel(String owner, String endpoint, String group, String uid) {
    private static final Pattern PART = Pattern.compile("^[A-Za-z0-9_-]+$");
    private static final Pattern REVISION_SUFFIX = Pattern.compile("-r([0-9a-f]{8})$");

    /** The uid of a new worker: a random hex id, then the template revision it is created from. */
    public static String uid(String randomHex, String templateRevision) {
        return templateRevision.isEmpty() ? randomHex : randomHex + "-r" + templateRevision;
    }

    /** The template revision carried by the uid; empty for a label without one. */
    public Optional<String> templateRevision() {
        var m = REVISION_SUFFIX.matcher(uid);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

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
