package dev.autoscaler;

import java.util.List;

/**
 * A plugin (scaling policy, instance provider, routing strategy, ticket format) was asked for by a
 * name that no provider on the class path has. The message lists the names that were found.
 */
public class PluginNotFoundException extends AutoscalerException {
    /** What was looked for. */
    private final String kind;
    /** The name asked for. */
    private final String name;
    /** The names that were found. */
    private final List<String> available;

    /**
     * No plugin of that name was found.
     *
     * @param kind what was looked for, e.g. {@code scaling policy}
     * @param name the name asked for
     * @param available the names that were found
     */
    public PluginNotFoundException(String kind, String name, List<String> available) {
        super("no " + kind + " named '" + name + "'; found: "
                + (available.isEmpty() ? "(none)" : String.join(", ", available)));
        this.kind = kind;
        this.name = name;
        this.available = List.copyOf(available);
    }

    /**
     * What was looked for, e.g. {@code scaling policy}.
     *
     * @return the kind of plugin
     */
    public String kind() {
        return kind;
    }

    /**
     * The name asked for.
     *
     * @return the missing name
     */
    public String name() {
        return name;
    }

    /**
     * The names that were found.
     *
     * @return the available names
     */
    public List<String> available() {
        return available;
    }
}
