package dev.autoscaler.core.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.autoscaler.EndpointConfig;
import dev.autoscaler.InvalidConfigException;
import dev.autoscaler.core.json.ConfigNode;
import dev.autoscaler.core.json.EndpointConfigJson;
import dev.autoscaler.core.ticket.internal.SecretFiles;
import dev.autoscaler.spi.EndpointConfigStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Keeps the endpoint set in one JSON file ({@code endpoints.json} in a state directory), written
 * atomically (a temporary file, flushed to disk, moved into place) and readable by its owner only,
 * since it holds the endpoints' API keys. A missing file means nothing was saved yet; a file that
 * cannot be read or parsed is an error naming it, never taken for an empty set.
 *
 * <pre>{@code
 * {"format": 1, "endpoints": [ {"endpoint_name": "llama", ..., "groups": [...]} ]}
 * }</pre>
 */
public final class FileEndpointConfigStore implements EndpointConfigStore {
    /** The file's name in its directory. */
    public static final String FILE_NAME = "endpoints.json";
    private static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final EndpointConfigJson reader;

    /**
     * @param directory the state directory (created on the first save)
     * @param reader    reads the stored endpoints back; its environment is not consulted, as stored
     *                  endpoints carry their keys themselves
     */
    public FileEndpointConfigStore(Path directory, EndpointConfigJson reader) {
        this.file = Objects.requireNonNull(directory, "directory").resolve(FILE_NAME);
        this.reader = Objects.requireNonNull(reader, "reader");
    }

    /** Where the set is kept. */
    public Path file() {
        return file;
    }

    @Override
    public Optional<List<EndpointConfig>> load() {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException nothingSavedYet) {
            return Optional.empty();
        } catch (IOException e) {
            throw new InvalidConfigException("state_dir", "cannot read " + file + ": " + e.getMessage());
        }
        try {
            JsonNode tree = JSON.readTree(text);
            ConfigNode root = new ConfigNode(tree, "");
            int format = root.integer("format").orElse(-1);
            if (format != FORMAT) {
                throw new InvalidConfigException("format", "is " + format + "; this version reads format " + FORMAT);
            }
            List<EndpointConfig> endpoints = new ArrayList<>();
            for (ConfigNode e : root.objects("endpoints")) {
                endpoints.add(reader.readEndpoint(e, EndpointConfig.DEFAULT_TICKET_FORMAT));
            }
            root.rejectUnknown();
            return Optional.of(List.copyOf(endpoints));
        } catch (JsonProcessingException e) {
            throw new InvalidConfigException("state_dir", file + " is corrupt (" + e.getOriginalMessage()
                    + "): repair it, or delete it to start from the configuration file's endpoints");
        } catch (InvalidConfigException e) {
            throw new InvalidConfigException("state_dir", file + " cannot be read back: " + e.getMessage()
                    + "; repair it, or delete it to start from the configuration file's endpoints");
        }
    }

    @Override
    public void save(List<EndpointConfig> endpoints) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        ArrayNode list = root.putArray("endpoints");
        endpoints.forEach(e -> list.add(EndpointConfigJson.toStoredJson(e)));
        try {
            SecretFiles.writeAtomically(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the endpoints to " + file + ": " + e.getMessage(), e);
        }
    }
}
