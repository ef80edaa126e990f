package dev.autoscaler.vast.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ErrorBodyTest {
    private final ObjectMapper json = Json.mapper();

    @ParameterizedTest(name = "body [{0}]")
    @CsvSource(delimiter = '|', value = {
            "{\"success\":false,\"error\":\"no_such_ask\",\"msg\":\"gone\"} | no_such_ask | gone",
            "{\"msg\":\"only msg\"} | | only msg",
            "{\"message\":\"only message\"} | | only message",
            "{\"detail\":\"Not Found\"} | | Not Found",
            "{\"error\":\"invalid_args\"} | invalid_args |",
            "{\"error\":\"Something went wrong here\"} | | Something went wrong here",
            "API requests too frequent | | API requests too frequent",
            "{not json | | {not json",
            "'' | | ''"})
    void shapes(String body, String code, String message) {
        ErrorBody parsed = ErrorBody.parse(json, body);
        assertThat(parsed.code()).isEqualTo(code == null ? "" : code);
        assertThat(parsed.message()).isEqualTo(message == null ? "" : message);
    }
}
