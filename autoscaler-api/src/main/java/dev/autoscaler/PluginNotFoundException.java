package dev.autoscaler;

import java.util.List;

/**
 * A plugin (scaling policy, instance provider, routing strategy, ticket format) was asked for by a
 * name that no provider on the class path has. The message lists the names that were found.
 */
public class PluginNotFoundException extends AutoscalerException {
    private final String kind;
    private final String name;
    private final List<String> available;

    public PluginNotFoundException(String kind, String name, List<String> available) {
        super("no " + kind + " named '" + name + "'; found: "
                + (available.isEmpty() ? "(none)" : String.join(", ", available)));
        this.kind = kind;
        this.name = name;
        this.available = List.copyOf(available);
    }

    public String kind() {
        return kind;
    }

    public String name() {
        return name;
    }

    public List<String> available() {
        return available;
    }
}
