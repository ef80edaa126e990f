package dev.autoscaler.core.http.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.autoscaler.EndpointConfig;
import dev.autoscaler.InvalidConfigException;
import dev.autoscaler.InvalidRequestException;
import dev.autoscaler.NotFoundException;
import dev.autoscaler.PluginNotFoundException;
import dev.autoscaler.RolloutStatus;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.core.AutoscalerAdmin;
import dev.autoscaler.core.json.EndpointConfigJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin routes under {@code /admin/endpoints}, once authenticated. Bodies are the endpoint and
 * group objects of the serve config, read by {@link EndpointConfigJson} (same wire names, same
 * checks). Failures are thrown: {@link InvalidConfigException} / {@link InvalidRequestException}
 * (400, naming the field), {@link NotFoundException} (404),
 * {@link dev.autoscaler.AlreadyExistsException} (409), {@link MethodNotAllowed} (405).
 *
 * <table>
 *   <caption>Admin routes</caption>
 *   <tr><td>{@code GET  /admin/endpoints}</td><td>every endpoint's configuration</td></tr>
 *   <tr><td>{@code POST /admin/endpoints}</td><td>create an endpoint (201; 409 when it exists)</td></tr>
 *   <tr><td>{@code GET|PUT|DELETE /admin/endpoints/{e}}</td><td>read, replace, remove an endpoint</td></tr>
 *   <tr><td>{@code GET|POST /admin/endpoints/{e}/groups}</td><td>its groups; create a group (201; 409)</td></tr>
 *   <tr><td>{@code GET|PUT|DELETE /admin/endpoints/{e}/groups/{g}}</td><td>read, replace, remove a group; the
 *       group object has a read-only {@code rollout} (template {@code revision}, workers {@code current},
 *       {@code outdated}, {@code draining}, {@code in_progress}); a changed {@code template} rolls out
 *       without downtime</td></tr>
 *   <tr><td>{@code PUT /admin/endpoints/{e}/groups/{g}/weight}</td><td>{@code {"weight": 10}}</td></tr>
 * </table>
 * A group object may carry its own {@code max_workers} (a cap on that group's workers in all states,
 * under the endpoint's); a replace without it removes the group's cap.
 */
public final class AdminRoutes {
    private static final Logger log = LoggerFactory.getLogger(AdminRoutes.class);
    public static final String PREFIX = "/admin/";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String ROLLOUT = "rollout";

    /** A route's answer: a status and a JSON body. */
    public record Result(int status, JsonNode body) {
    }

    /** The path exists but not with this method. */
    public static final class MethodNotAllowed extends RuntimeException {
        private final String allow;

        MethodNotAllowed(String allow) {
            super("Method not allowed", null, false, false);
            this.allow = allow;
        }

        public String allow() {
            return allow;
        }
    }

    private final AutoscalerAdmin admin;
    private final EndpointConfigJson reader;
    private final String defaultTicketFormat;
    private final Consumer<String> ticketFormatCheck;

    /**
     * @param ticketFormatCheck throws {@link PluginNotFoundException} for a ticket format the router cannot sign
     */
    public AdminRoutes(AutoscalerAdmin admin, EndpointConfigJson reader, String defaultTicketFormat,
                       Consumer<String> ticketFormatCheck) {
        this.admin = Objects.requireNonNull(admin, "admin");
        this.reader = Objects.requireNonNull(reader, "reader");
        this.defaultTicketFormat = Objects.requireNonNull(defaultTicketFormat, "defaultTicketFormat");
        this.ticketFormatCheck = Objects.requireNonNull(ticketFormatCheck, "ticketFormatCheck");
    }

    /** Answers one authenticated admin request; {@code path} starts with {@link #PREFIX}. */
    public Result handle(String method, String path, byte[] body) {
        List<String> parts = segments(path);
        if (parts.isEmpty() || !parts.get(0).equals("endpoints") || parts.size() > 5
                || (parts.size() >= 3 && !parts.get(2).equals("groups"))
                || (parts.size() == 5 && !parts.get(4).equals("weight"))) {
            throw new NotFoundException("Not found: " + path);
        }
        return switch (parts.size()) {
            case 1 -> endpoints(method, body);
            case 2 -> endpoint(method, parts.get(1), body);
            case 3 -> groups(method, parts.get(1), body);
            case 4 -> group(method, parts.get(1), parts.get(3), body);
            default -> weight(method, parts.get(1), parts.get(3), body);
        };
    }

    private Result endpoints(String method, byte[] body) {
        switch (method) {
            case "GET", "HEAD" -> {
                ObjectNode out = NODES.objectNode();
                ArrayNode list = out.putArray("endpoints");
                for (String name : admin.engine().endpointNames()) {
                    try {
                        list.add(EndpointConfigJson.toJson(admin.engine().endpoint(name)));
                    } catch (NotFoundException removedMeanwhile) {
                        // listed, then removed: not there any more
                    }
                }
                return new Result(200, out);
            }
            case "POST" -> {
                EndpointConfig config = readEndpoint(JsonBodies.object(body), null);
                admin.createEndpoint(config);
                log.info("admin: created endpoint {} with groups {}", config.name(), groupNames(config));
                return new Result(201, EndpointConfigJson.toJson(config));
            }
            default -> throw new MethodNotAllowed("GET, HEAD, POST");
        }
    }

    private Result endpoint(String method, String name, byte[] body) {
        switch (method) {
            case "GET", "HEAD" -> {
                return new Result(200, EndpointConfigJson.toJson(admin.engine().endpoint(name)));
            }
            case "PUT" -> {
                EndpointConfig config = readEndpoint(JsonBodies.object(body), name);
                admin.replaceEndpoint(config);
                log.info("admin: replaced endpoint {}, now with groups {}", name, groupNames(config));
                return new Result(200, EndpointConfigJson.toJson(config));
            }
            case "DELETE" -> {
                admin.removeEndpoint(name);
                log.info("admin: removed endpoint {}; its workers are drained, then destroyed", name);
                ObjectNode out = NODES.objectNode();
                out.put("deleted", name);
                out.put("message", "no new requests are routed to it; its workers are drained, then destroyed");
                return new Result(200, out);
            }
            default -> throw new MethodNotAllowed("GET, HEAD, PUT, DELETE");
        }
    }

    private Result groups(String method, String endpoint, byte[] body) {
        switch (method) {
            case "GET", "HEAD" -> {
                ObjectNode out = NODES.objectNode();
                ArrayNode list = out.putArray("groups");
                admin.engine().endpoint(endpoint).groups().forEach(g -> list.add(EndpointConfigJson.toJson(g)));
                return new Result(200, out);
            }
            case "POST" -> {
                admin.engine().endpoint(endpoint); // 404 for an unknown endpoint before any 400 for the body
                WorkerGroupConfig group = reader.readGroup(JsonBodies.object(body));
                EndpointConfig after = admin.createGroup(endpoint, group);
                log.info("admin: added group {} to endpoint {}", group.name(), endpoint);
                return new Result(201, EndpointConfigJson.toJson(after.group(group.name()).orElseThrow()));
            }
            default -> throw new MethodNotAllowed("GET, HEAD, POST");
        }
    }

    private Result group(String method, String endpoint, String name, byte[] body) {
        switch (method) {
            case "GET", "HEAD" -> {
                return new Result(200, withRollout(endpoint, EndpointConfigJson.toJson(requireGroup(endpoint, name))));
            }
            case "PUT" -> {
                WorkerGroupConfig before = requireGroup(endpoint, name);
                ObjectNode node = JsonBodies.object(body);
                node.remove(ROLLOUT); // read-only: a group read with GET can be sent back as is
                nameFromPath(node, "group_name", name);
                WorkerGroupConfig group = reader.readGroup(node);
                EndpointConfig after = admin.replaceGroup(endpoint, group);
                boolean rolls = !before.templateRevision().equals(group.templateRevision());
                log.info("admin: replaced group {} of endpoint {}{}", name, endpoint,
                        rolls ? "; template revision " + group.templateRevision() + " rolls out" : "");
                return new Result(200, withRollout(endpoint, EndpointConfigJson.toJson(after.group(name).orElseThrow())));
            }
            case "DELETE" -> {
                admin.removeGroup(endpoint, name);
                log.info("admin: removed group {} of endpoint {}; its workers are drained, then destroyed", name, endpoint);
                ObjectNode out = NODES.objectNode();
                out.put("deleted", name);
                out.put("endpoint", endpoint);
                out.put("message", "no new requests are routed to it; its workers are drained, then destroyed");
                return new Result(200, out);
            }
            default -> throw new MethodNotAllowed("GET, HEAD, PUT, DELETE");
        }
    }

    private Result weight(String method, String endpoint, String name, byte[] body) {
        if (!method.equals("PUT")) {
            throw new MethodNotAllowed("PUT");
        }
        requireGroup(endpoint, name);
        JsonFields f = new JsonFields(JsonBodies.object(body));
        if (!f.has("weight")) {
            throw new InvalidRequestException("weight", "is required");
        }
        double weight = f.optionalNumber("weight").orElseThrow();
        EndpointConfig after = admin.setWeight(endpoint, name, weight);
        log.info("admin: weight of group {} of endpoint {} set to {}", name, endpoint, weight);
        return new Result(200, EndpointConfigJson.toJson(after.group(name).orElseThrow()));
    }

    /** Adds the group's read-only rolling-update progress to its JSON. */
    private ObjectNode withRollout(String endpoint, ObjectNode group) {
        RolloutStatus r = admin.rollout(endpoint, group.get("group_name").textValue());
        ObjectNode o = group.putObject(ROLLOUT);
        o.put("revision", r.revision());
        o.put("current", r.current());
        o.put("outdated", r.outdated());
        o.put("draining", r.draining());
        o.put("in_progress", r.inProgress());
        return group;
    }

    /** Reads an endpoint body; for a PUT, the name comes from the path when the body gives none. */
    private EndpointConfig readEndpoint(ObjectNode node, String pathName) {
        ObjectNode copy = EndpointConfigJson.withoutReadOnlyFields(node);
        if (pathName != null) {
            nameFromPath(copy, "endpoint_name", pathName);
        }
        EndpointConfig config = reader.readEndpoint(copy, defaultTicketFormat);
        try {
            ticketFormatCheck.accept(config.ticketFormat());
        } catch (PluginNotFoundException e) {
            throw new InvalidConfigException("ticket_format", e.getMessage());
        }
        return config;
    }

    private static List<String> groupNames(EndpointConfig config) {
        return config.groups().stream().map(WorkerGroupConfig::name).toList();
    }

    private static void nameFromPath(ObjectNode node, String field, String pathName) {
        JsonNode given = node.get(field);
        if (given == null || given.isNull()) {
            node.put(field, pathName);
        } else if (!given.isTextual() || !given.textValue().equals(pathName)) {
            throw new InvalidConfigException(field, "must be '" + pathName + "' as in the path, got " + given);
        }
    }

    private WorkerGroupConfig requireGroup(String endpoint, String group) {
        return admin.engine().endpoint(endpoint).group(group).orElseThrow(() ->
                new NotFoundException("endpoint '" + endpoint + "' has no group named '" + group + "'"));
    }

    private static List<String> segments(String path) {
        List<String> parts = new ArrayList<>();
        for (String part : path.substring(PREFIX.length()).split("/")) {
            if (!part.isEmpty()) {
                parts.add(part);
            }
        }
        return parts;
    }
}
