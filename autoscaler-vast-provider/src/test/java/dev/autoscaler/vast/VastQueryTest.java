package dev.autoscaler.vast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.autoscaler.InvalidConfigException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class VastQueryTest {
    private final ObjectMapper json = new ObjectMapper();

    private JsonNode parse(String query) {
        return VastQuery.parse(query);
    }

    private JsonNode expected(String text) throws Exception {
        return json.readTree(text);
    }

    @Nested
    @DisplayName("defaults")
    class Defaults {
        @Test
        @DisplayName("an empty query gives verified, rentable, not rented")
        void empty() throws Exception {
            assertThat(parse("")).isEqualTo(expected(
                    "{\"verified\":{\"eq\":true},\"rentable\":{\"eq\":true},\"rented\":{\"eq\":false}}"));
        }

        @Test
        @DisplayName("a query overrides a default")
        void override() {
            assertThat(parse("verified=false").get("verified")).isEqualTo(json.createObjectNode().put("eq", false));
        }

        @Test
        @DisplayName("field=any drops the default filter on that field")
        void anyDropsDefault() {
            assertThat(parse("verified=any").has("verified")).isFalse();
        }
    }

    @Test
    @DisplayName("the brief's example converts as the CLI does")
    void fullExample() throws Exception {
        JsonNode filter = parse("gpu_ram>=24 num_gpus=1 gpu_name=RTX_4090 dph<1.5 reliability>0.98");

        assertThat(filter.get("gpu_ram")).isEqualTo(expected("{\"gte\":24000}"));
        assertThat(filter.get("num_gpus")).isEqualTo(expected("{\"eq\":1}"));
        assertThat(filter.get("gpu_name")).isEqualTo(expected("{\"eq\":\"RTX 4090\"}"));
        assertThat(filter.get("dph_total")).isEqualTo(expected("{\"lt\":1.5}"));
        assertThat(filter.get("reliability")).isEqualTo(expected("{\"gt\":0.98}"));
        assertThat(filter.has("dph")).isFalse();
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource({
            "gpu_ram>=24, gpu_ram, 24000",
            "gpu_total_ram>=48, gpu_total_ram, 48000",
            "cpu_ram>=32, cpu_ram, 32000",
            "gpu_ram>=23.5, gpu_ram, 23500",
            "duration>=2, duration, 172800"})
    @DisplayName("memory is given in GB and sent in MB; duration in days and sent in seconds")
    void multipliers(String query, String field, long expected) {
        assertThat(parse(query).get(field).get("gte").asLong()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "'gpu_name=RTX_4090', eq",
            "'gpu_name==RTX_4090', eq",
            "'gpu_name eq RTX_4090', eq",
            "'gpu_name!=RTX_4090', neq",
            "'gpu_name neq RTX_4090', neq",
            "'gpu_name noteq RTX_4090', neq",
            "'gpu_name not eq RTX_4090', neq"})
    @DisplayName("every spelling of equals and not-equals")
    void equalities(String query, String op) {
        assertThat(parse(query).get("gpu_name").get(op).asText()).isEqualTo("RTX 4090");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "'num_gpus>1', gt", "'num_gpus gt 1', gt", "'num_gpus>=1', gte", "'num_gpus gte 1', gte",
            "'num_gpus<1', lt", "'num_gpus lt 1', lt", "'num_gpus<=1', lte", "'num_gpus lte 1', lte"})
    @DisplayName("every spelling of the comparisons")
    void comparisons(String query, String op) {
        assertThat(parse(query).get("num_gpus").get(op).asInt()).isEqualTo(1);
    }

    @Test
    @DisplayName("in takes a bracketed list, underscores become spaces")
    void inList() throws Exception {
        assertThat(parse("gpu_name in [RTX_4090,RTX_3090]").get("gpu_name"))
                .isEqualTo(expected("{\"in\":[\"RTX 4090\",\"RTX 3090\"]}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpu_name notin [A100_SXM4, H100_SXM]", "gpu_name not in [A100_SXM4,H100_SXM]",
            "gpu_name nin [A100_SXM4,H100_SXM]"})
    @DisplayName("notin and its spellings")
    void notIn(String query) throws Exception {
        assertThat(parse(query).get("gpu_name")).isEqualTo(expected("{\"notin\":[\"A100 SXM4\",\"H100 SXM\"]}"));
    }

    @Test
    @DisplayName("a double-quoted value keeps its spaces")
    void quoted() {
        assertThat(parse("gpu_name=\"RTX 4090\"").get("gpu_name").get("eq").asText()).isEqualTo("RTX 4090");
    }

    @Test
    @DisplayName("two clauses on a field combine into one range")
    void range() throws Exception {
        assertThat(parse("gpu_ram>=24 gpu_ram<=48").get("gpu_ram")).isEqualTo(expected("{\"gte\":24000,\"lte\":48000}"));
    }

    @Test
    @DisplayName("aliases: dph, dlperf_usd, flops_usd, cuda_vers")
    void aliases() {
        ObjectNode filter = VastQuery.parse("dph<=2 dlperf_usd>10 flops_usd>1 cuda_vers>=12");
        assertThat(filter.has("dph_total")).isTrue();
        assertThat(filter.has("dlperf_per_dphtotal")).isTrue();
        assertThat(filter.has("flops_per_dphtotal")).isTrue();
        assertThat(filter.has("cuda_max_good")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpu_name=any", "gpu_name=*", "gpu_name=?"})
    @DisplayName("a wildcard drops the filter set before it")
    void wildcard(String wildcard) {
        assertThat(parse("gpu_name=RTX_4090 " + wildcard).has("gpu_name")).isFalse();
    }

    @Test
    @DisplayName("true, false and null become JSON literals")
    void literals() {
        JsonNode filter = parse("static_ip=true external=false cluster_id=null");
        assertThat(filter.get("static_ip").get("eq").isBoolean()).isTrue();
        assertThat(filter.get("external").get("eq").asBoolean()).isFalse();
        assertThat(filter.get("cluster_id").get("eq").isNull()).isTrue();
    }

    @Test
    @DisplayName("text fields keep numeric-looking values as strings")
    void textFields() {
        assertThat(parse("ubuntu_version=22.04").get("ubuntu_version").get("eq").isTextual()).isTrue();
        assertThat(parse("gpu_name=4090").get("gpu_name").get("eq").isTextual()).isTrue();
    }

    @Test
    @DisplayName("spaces around symbolic operators are allowed")
    void spacedOperators() {
        assertThat(parse("num_gpus >= 2").get("num_gpus").get("gte").asInt()).isEqualTo(2);
    }

    @Test
    @DisplayName("withOrder adds the CLI's order, type and limit")
    void order() throws Exception {
        ObjectNode filter = VastQuery.withOrder(VastQuery.parse(""), "dlperf_per_dphtotal", true, 10);
        assertThat(filter.get("order")).isEqualTo(expected("[[\"dlperf_per_dphtotal\",\"desc\"]]"));
        assertThat(filter.get("type").asText()).isEqualTo("on-demand");
        assertThat(filter.get("limit").asInt()).isEqualTo(10);
    }

    @Nested
    @DisplayName("bad queries name the offending clause")
    class Errors {
        @ParameterizedTest(name = "''{0}'' mentions ''{1}''")
        @CsvSource(delimiter = '|', value = {
                "gpu_ram=>24 | gpu_ram=>24",
                "gpu_rma>=24 | gpu_rma",
                "gpu_ram>=lots | lots",
                "num_gpus | num_gpus",
                "num_gpus= | num_gpus=",
                "gpu_name in [] | gpu_name in []",
                "gpu_name in [RTX_4090 | gpu_name in [RTX_4090",
                "gpu_name>=any | gpu_name>=any",
                ">=24 | >=24",
                "gpu_name=\"RTX 4090 | gpu_name=\"RTX 4090"})
        void named(String query, String token) {
            assertThatThrownBy(() -> VastQuery.parse(query))
                    .isInstanceOf(InvalidConfigException.class)
                    .hasMessageStartingWith("search_params: ")
                    .hasMessageContaining(token)
                    .extracting(e -> ((InvalidConfigException) e).field()).isEqualTo("search_params");
        }
    }
}
