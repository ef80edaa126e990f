package dev.autoscaler.core.ticket.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PythonJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static List<JsonNode> lines(String resource) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
                PythonJsonTest.class.getResourceAsStream(resource)), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                out.add(JSON.readTree(line));
            }
        }
        return out;
    }

    /** Jackson keeps 100 as an int and 100.0 as a double, as Python does. */
    static Map<String, Object> fields(JsonNode node) {
        Map<String, Object> out = new LinkedHashMap<>();
        node.properties().forEach(e -> {
            JsonNode v = e.getValue();
            out.put(e.getKey(), v.isTextual() ? v.textValue() : v.isIntegralNumber() ? (Object) v.longValue() : v.doubleValue());
        });
        return out;
    }

    @Test
    @DisplayName("escapes strings as Python's json.dumps (ensure_ascii) does, on 210 cases")
    void stringEscapes() throws IOException {
        for (JsonNode line : lines("/python-json/string-escapes.jsonl")) {
            StringBuilder s = new StringBuilder();
            line.get("utf16").forEach(unit -> s.append((char) unit.intValue()));
            StringBuilder out = new StringBuilder();
            PythonJson.appendString(out, s.toString());
            assertThat(out.toString()).as(line.get("utf16").toString()).isEqualTo(line.get("dumps").textValue());
        }
    }

    @Test
    @DisplayName("non-BMP characters become a surrogate pair, '/' stays as it is")
    void surrogatesAndSlash() {
        StringBuilder out = new StringBuilder();
        PythonJson.appendString(out, "a/\uD83D\uDE00\u007f");
        assertThat(out.toString()).isEqualTo("\"a/\\ud83d\\ude00\\u007f\"");
    }

    @Test
    @DisplayName("indented and compact objects match Python byte for byte, keys sorted")
    void objectsMatchPython() throws IOException {
        for (JsonNode line : lines("/python-json/canonical-payloads.jsonl")) {
            Map<String, Object> fields = fields(line.get("fields"));
            assertThat(PythonJson.dumpsIndented(fields)).isEqualTo(line.get("indented").textValue());
            assertThat(PythonJson.dumpsCompact(fields)).isEqualTo(line.get("compact").textValue());
        }
    }

    @Test
    @DisplayName("Python's spellings of booleans, null, non-finite floats and the empty object")
    void specialValues() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("t", true);
        fields.put("n", null);
        fields.put("nan", Double.NaN);
        fields.put("inf", Double.NEGATIVE_INFINITY);
        fields.put("i", 7);
        assertThat(PythonJson.dumpsCompact(fields)).isEqualTo("{\"i\":7,\"inf\":-Infinity,\"n\":null,\"nan\":NaN,\"t\":true}");
        assertThat(PythonJson.dumpsIndented(Map.of())).isEqualTo("{}");
    }

    @Test
    void nestedValuesAreRefused() {
        assertThatThrownBy(() -> PythonJson.dumpsCompact(Map.of("a", List.of(1))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("flat");
    }
}
