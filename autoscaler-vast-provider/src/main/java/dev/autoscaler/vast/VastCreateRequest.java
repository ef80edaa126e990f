package dev.autoscaler.vast;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The body of {@code PUT /api/v0/asks/{offer_id}/}: what to run on a rented offer.
 *
 * @param image          the container image; may be empty with a template hash
 * @param diskGb         disk to allocate, GB
 * @param label          the instance's label (how the engine re-adopts it)
 * @param env            environment; port mappings ride along as {@code "-p 3000:3000": "1"} entries
 * @param onstart        shell commands run at start, or empty
 * @param args           launch arguments ({@code runtype: "args"}), possibly empty
 * @param templateHashId the Vast template hash, or empty
 * @param targetState    {@code running} or {@code stopped}
 * @param cancelUnavail  cancel rather than create a stopped instance when the GPU cannot start now
 */
public record VastCreateRequest(String image, double diskGb, String label, Map<String, String> env, String onstart,
                                List<String> args, String templateHashId, String targetState,
                                boolean cancelUnavail) {

    public VastCreateRequest {
        image = Objects.requireNonNullElse(image, "");
        label = Objects.requireNonNullElse(label, "");
        env = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env));
        onstart = Objects.requireNonNullElse(onstart, "");
        args = List.copyOf(args);
        templateHashId = Objects.requireNonNullElse(templateHashId, "");
        targetState = Objects.requireNonNullElse(targetState, "running");
    }

    public ObjectNode toJson(ObjectMapper json) {
        ObjectNode body = json.createObjectNode();
        body.put("client_id", "me");
        if (!image.isEmpty()) {
            body.put("image", image);
        }
        body.put("disk", diskGb);
        body.put("label", label);
        ObjectNode envNode = body.putObject("env");
        env.forEach(envNode::put);
        if (!onstart.isEmpty()) {
            body.put("onstart", onstart);
        }
        body.put("runtype", "args");
        if (!args.isEmpty()) {
            ArrayNode argsNode = body.putArray("args");
            args.forEach(argsNode::add);
        }
        if (!templateHashId.isEmpty()) {
            body.put("template_hash_id", templateHashId);
        }
        body.put("target_state", targetState);
        body.put("cancel_unavail", cancelUnavail);
        return body;
    }
}
