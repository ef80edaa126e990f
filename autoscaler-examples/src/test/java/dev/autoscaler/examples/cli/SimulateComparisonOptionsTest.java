package dev.autoscaler.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code simulate}'s options for comparing policies: warm-up, cool-down, --param, --config, --policies, the reference. */
class SimulateComparisonOptionsTest {
    private static final String[] SHORT = {"simulate", "--scenario", "sparse", "--time-scale", "0.2"};

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private String run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = new Main().run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    private String runShort(String... more) {
        String[] args = new String[SHORT.length + more.length];
        System.arraycopy(SHORT, 0, args, 0, SHORT.length);
        System.arraycopy(more, 0, args, SHORT.length, more.length);
        return run(args);
    }

    private static double number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":(-?[0-9.]+)").matcher(json);
        assertThat(m.find()).as(key + " in " + json).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    @DisplayName("the run lasts warm-up + the workload + cool-down, and the warm-up is billed")
    void warmUpAndCoolDown() {
        String none = runShort("--warm-up", "0", "--cool-down", "0", "--json");
        String both = runShort("--warm-up", "300", "--cool-down", "400", "--json");
        String defaults = runShort("--json");

        assertThat(number(both, "simulated_seconds")).isGreaterThanOrEqualTo(number(none, "simulated_seconds") + 300);
        assertThat(number(defaults, "simulated_seconds")).isGreaterThan(number(both, "simulated_seconds"));
        // cold_workers (5) are rented at the start: 5 minutes of warm-up cost more than none
        assertThat(number(both, "cost_usd")).isGreaterThan(number(none, "cost_usd"));
    }

    @Test
    @DisplayName("--param sets endpoint parameters by wire name and policy_params; the run obeys them")
    void params() {
        String capped = runShort("--policy", "fixed", "--param", "max_workers=2", "--param", "cold_workers=0",
                "--param", "policy_params.active=2", "--json");
        assertThat(number(capped, "peak_workers")).isEqualTo(2);
        String one = runShort("--policy", "fixed", "--param", "cold_workers=0", "--param", "fixed:policy_params.active=1",
                "--json");
        assertThat(number(one, "peak_workers")).isEqualTo(1);
    }

    @Test
    @DisplayName("--config simulates an endpoint of a serve config as written: the same run as the same parameters by --param")
    void configAsWritten(@TempDir Path dir) throws IOException {
        Path config = dir.resolve("serve.yaml");
        Files.writeString(config, """
                listen: 127.0.0.1:8080
                public_url: http://127.0.0.1:8080
                engine_secret_env: SOME_UNSET_VARIABLE_FOR_THE_TEST
                provider: {name: vast, settings: {api_key_env: SOME_UNSET_VARIABLE_FOR_THE_TEST}}
                endpoints:
                  - endpoint_name: other
                    groups: [{group_name: gpus}]
                  - endpoint_name: sim
                    cold_workers: 1
                    max_workers: 4
                    policy: fixed
                    policy_params: {active: 2}
                    groups:
                      - group_name: gpus
                        search_params: gpu_name=RTX_4090 num_gpus=1
                        expected_perf: 2000
                """);
        String fromConfig = runShort("--config", config.toString(), "--endpoint", "sim", "--json");
        String fromParams = runShort("--policy", "fixed", "--param", "cold_workers=1", "--param", "max_workers=4",
                "--param", "policy_params.active=2", "--param", "groups.gpus.search_params=gpu_name=RTX_4090 num_gpus=1",
                "--json");

        assertThat(fromConfig).contains("\"policy\":\"fixed\"").isEqualTo(fromParams);
        assertThat(number(fromConfig, "peak_workers")).isLessThanOrEqualTo(4);
    }

    @Test
    @DisplayName("--config with several endpoints and no --endpoint is a usage error naming them")
    void configNeedsEndpoint(@TempDir Path dir) throws IOException {
        Path config = dir.resolve("serve.json");
        Files.writeString(config, "{\"public_url\": \"http://127.0.0.1:1\", \"engine_secret\": \"0123456789abcdef0\","
                + " \"provider\": {\"name\": \"static\"}, \"endpoints\": [{\"endpoint_name\": \"a\", \"groups\":"
                + " [{\"group_name\": \"g\"}]}, {\"endpoint_name\": \"b\", \"groups\": [{\"group_name\": \"g\"}]}]}");
        int status = new Main().run(new String[] {"simulate", "--scenario", "step", "--config", config.toString()},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(Main.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("has 2 endpoints: choose one with --endpoint NAME (a, b)");
    }

    @Test
    @DisplayName("--policies: one run per policy on the same world and seed, side by side with the reference")
    void policiesSideBySide() {
        String table = runShort("--policies", "vast,fixed");
        assertThat(table).contains("comparison on scenario sparse (seed 1) x0.2, seed 1, warm-up 600 s, cool-down 600 s")
                .containsPattern("\\n  vast +[0-9.]+ +[0-9.]+x").containsPattern("\\n  fixed +[0-9.]+ +[0-9.]+x")
                .containsPattern("\\n  oracle +[0-9.]+ +1.00x");

        String json = runShort("--policies", "vast,fixed", "--json");
        String vastAlone = runShort("--policy", "vast", "--json");
        assertThat(json).startsWith("{\"workload\":\"scenario sparse (seed 1) x0.2\",\"seed\":1,\"warm_up_s\":600.000,")
                .contains("\"oracle\":{\"cost_usd\":").contains("\"policies\":[{\"cost_usd\":");
        assertThat(json.lines().count()).isEqualTo(1);
        assertThat(json.indexOf("\"policy\":\"vast\"")).isLessThan(json.indexOf("\"policy\":\"fixed\""));
        // the vast entry is vast's run alone, reference included
        assertThat(json).contains(vastAlone.strip());
        assertThat(runShort("--policies", "vast,fixed", "--json")).isEqualTo(json);
    }

    @Test
    @DisplayName("every single-policy report carries the reference and the cost ratio")
    void referenceInEveryReport() {
        String json = runShort("--json");
        double ratio = number(json, "cost_vs_oracle");
        assertThat(ratio).isCloseTo(number(json, "cost_usd") / number(json, "oracle_cost_usd"),
                org.assertj.core.data.Offset.offset(1e-3));
        assertThat(runShort()).contains("perfect-foresight reference").contains("cost vs the reference");
    }
}
