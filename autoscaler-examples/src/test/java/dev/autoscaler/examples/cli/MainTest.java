package dev.autoscaler.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return new Main().run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Nested
    @DisplayName("a bad command line exits 2 with a message naming what is wrong, then the usage")
    class BadArguments {
        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
                "simulate                                          | give exactly one of --trace FILE and --scenario NAME",
                "simulate --trace t.csv --scenario step            | give exactly one of --trace FILE and --scenario NAME",
                "simulate --scenario weekly                        | --scenario must be one of step, spike, diurnal, sparse; got 'weekly'",
                "simulate --scenario step --seed abc               | --seed must be an integer, got 'abc'",
                "simulate --scenario step --time-scale -1          | --time-scale must be a positive number, got '-1'",
                "simulate --scenario step --time-scale 0           | --time-scale must be a positive number, got '0'",
                "simulate --scenario step --time-scale fast        | --time-scale must be a positive number, got 'fast'",
                "simulate --scenario step --policy nope            | --policy: no scaling policy named 'nope'; found: fixed, frugal, hpa, knative, ray, vast",
                "simulate --scenario step --frobnicate             | unknown option '--frobnicate'",
                "simulate --scenario step --seed                   | --seed needs a value",
                "simulate --scenario step --seed 1 --seed 2        | --seed is given twice",
                "simulate --scenario step --rollout --overflow     | give at most one of --compare, --rollout, --overflow and --rolling-update",
                "simulate --scenario step --compare --rollout      | give at most one of --compare, --rollout, --overflow and --rolling-update",
                "simulate --scenario step --cost context           | --cost applies to --trace only",
                "simulate --trace t.csv --cost tokens              | --cost must be one of total, context, generated; got 'tokens'",
                "simulate --trace /no/such/trace.csv               | --trace: no such file '/no/such/trace.csv' (bundled: azure-llm-2023-conv)",
                "simulate step                                     | unexpected argument 'step'",
                "simulate --scenario step --warm-up -5             | --warm-up must be a number of seconds >= 0, got '-5'",
                "simulate --scenario step --warm-up soon           | --warm-up must be a number of seconds >= 0, got 'soon'",
                "simulate --scenario step --cool-down Infinity     | --cool-down must be a number of seconds >= 0, got 'Infinity'",
                "simulate --scenario step --cool-down              | --cool-down needs a value",
                "simulate --scenario step --param cold_workers     | --param must be KEY=VALUE",
                "simulate --scenario step --param =1               | --param must be KEY=VALUE",
                "simulate --scenario step --param cold_workers=-1  | --param cold_workers: must be >= 0",
                "simulate --scenario step --param max_workers=many | --param max_workers: ",
                "simulate --scenario step --param colde_workers=1  | --param colde_workers: ",
                "simulate --scenario step --param policy=fixed     | --param policy: choose the policy with --policy or --policies",
                "simulate --scenario step --param policy_params.x=1 | --param policy_params.x: is not a parameter of the vast policy",
                "simulate --scenario step --param vast:cold_workers=1 | only policy_params take a policy prefix",
                "simulate --scenario step --param groups.big.expected_perf=1 | no group 'big' (groups: gpus)",
                "simulate --scenario step --param groups.gpus.expected_perf=-1 | --param groups[0].expected_perf: ",
                "simulate --scenario step --policies vast,,fixed   | --policies must be a comma-separated list of policy names, got 'vast,,fixed'",
                "simulate --scenario step --policies vast,vast     | --policies names 'vast' twice",
                "simulate --scenario step --policies vast,nope     | --policies: no scaling policy named 'nope'",
                "simulate --scenario step --policies vast,oracle   | --policies: oracle is the perfect-foresight reference",
                "simulate --scenario step --policy vast --policies vast,fixed | give --policy NAME or --policies A,B,..., not both",
                "simulate --scenario step --policies vast,fixed --compare | --policies cannot be combined with --compare",
                "simulate --scenario step --config /no/such.yaml   | --config: no such file '/no/such.yaml'",
                "simulate --scenario step --config c.yaml --rollout | --config gives the endpoint: it cannot be combined",
                "simulate --scenario step --endpoint llama         | --endpoint applies to --config only",
                "policies --all                                    | policies takes no option, got '--all'",
        })
        void badArgument(String commandLine, String message) {
            assertThat(run(commandLine.trim().split("\\s+"))).isEqualTo(Main.USAGE);
            assertThat(err()).contains(message).contains("usage: autoscaler");
            assertThat(out()).isEmpty();
        }

        @Test
        @DisplayName("a usage error prints the one line that matters and that command's usage, not every command's")
        void ownUsageOnly() {
            assertThat(run("validate", "--confg", "x.yaml")).isEqualTo(Main.USAGE);
            assertThat(err().lines().toList()).containsExactly(
                    "autoscaler validate: unknown option '--confg'",
                    "usage: autoscaler validate --config FILE [--check-provider]",
                    "      check a serve config: every error at once, with its path; --check-provider also lists the",
                    "      provider's instances (API key, base URL); starts and rents nothing");
            assertThat(err()).doesNotContain("simulate");
        }

        @Test
        @DisplayName("status needs --url")
        void statusWithoutUrl() {
            assertThat(run("status")).isEqualTo(Main.USAGE);
            assertThat(err()).startsWith("autoscaler status: --url URL is required").contains("usage: autoscaler status --url URL");
        }

        @Test
        void unknownCommand() {
            assertThat(run("simulat")).isEqualTo(Main.USAGE);
            assertThat(err()).contains("unknown command 'simulat'");
        }

        @Test
        void noCommand() {
            assertThat(run()).isEqualTo(Main.USAGE);
            assertThat(err()).contains("a command is required");
        }
    }

    @Test
    @DisplayName("--help prints the usage on stdout and exits 0")
    void help() {
        assertThat(run("--help")).isZero();
        assertThat(out()).contains("simulate (--trace FILE | --scenario NAME)").contains("policies");
    }

    @Test
    @DisplayName("--version prints the version and the Java it runs on")
    void version() {
        assertThat(run("--version")).isZero();
        assertThat(out()).startsWith("autoscaler ").contains("(Java 17");
    }

    @Test
    @DisplayName("COMMAND --help prints that command's usage only")
    void commandHelp() {
        assertThat(run("serve", "--help")).isZero();
        assertThat(out()).startsWith("usage: autoscaler serve --config FILE [--log-format text|json]").doesNotContain("simulate");
    }

    @Test
    @DisplayName("policies lists the built-in policies with their descriptions")
    void policies() {
        assertThat(run("policies")).isZero();
        assertThat(out().lines()).anySatisfy(l -> assertThat(l).startsWith("vast ").contains("Vast"))
                .anySatisfy(l -> assertThat(l).startsWith("fixed "));
    }

    @Nested
    @DisplayName("simulate")
    class Simulate {
        @Test
        @DisplayName("a scenario with --json prints one JSON object whose keys start with DESIGN.md's, the same twice")
        void scenarioJson() {
            assertThat(run("simulate", "--scenario", "sparse", "--time-scale", "0.2", "--json")).isZero();
            String first = out();
            out.reset();
            assertThat(run("simulate", "--scenario", "sparse", "--time-scale", "0.2", "--json")).isZero();

            assertThat(first).startsWith("{\"cost_usd\":").endsWith("}" + System.lineSeparator())
                    .contains("\"policy\":\"vast\"").contains("\"workload\":\"scenario sparse (seed 1) x0.2\"");
            assertThat(out()).isEqualTo(first);
        }

        @Test
        @DisplayName("--compare prints the hardware comparison with the groups ranked and the best named")
        void compareTable() {
            assertThat(run("simulate", "--scenario", "sparse", "--time-scale", "0.2", "--compare", "--warm-up", "0",
                    "--cool-down", "0")).isZero();

            assertThat(out()).contains("max_workers respected").contains("hardware comparison of sim")
                    .contains("best group: rtx-4090").containsPattern("1 +rtx-4090 ");
        }

        @Test
        @DisplayName("--compare --json puts the comparison under an extra key after DESIGN.md's, the same twice")
        void compareJson() {
            assertThat(run("simulate", "--scenario", "sparse", "--time-scale", "0.2", "--compare", "--json", "--warm-up", "0",
                    "--cool-down", "0")).isZero();
            String first = out();
            out.reset();
            assertThat(run("simulate", "--scenario", "sparse", "--time-scale", "0.2", "--compare", "--json", "--warm-up", "0",
                    "--cool-down", "0")).isZero();

            assertThat(first).startsWith("{\"cost_usd\":").contains("\"seed\":1,\"comparison\":{\"endpoint\":\"sim\"")
                    .contains("\"best_group\":\"rtx-4090\"").containsPattern("]},\"oracle_cost_usd\":[0-9.]+,"
                            + "\"oracle_slo_violation_fraction\":[0-9.]+,\"cost_vs_oracle\":[0-9.]+}\\R$");
            assertThat(out()).isEqualTo(first);
        }

        @Test
        @DisplayName("--rollout prints what the stable and canary groups served and their shares")
        void rolloutTable() {
            assertThat(run("simulate", "--scenario", "sparse", "--time-scale", "0.2", "--rollout")).isZero();

            assertThat(out()).contains("max_workers respected").contains("served by group")
                    .containsPattern("stable +\\d+ +\\d+\\.\\d\\d%").containsPattern("canary +\\d+ +\\d+\\.\\d\\d%");
        }

        @Test
        @DisplayName("--overflow --json puts the groups' service under an extra key, the same twice")
        void overflowJson() {
            assertThat(run("simulate", "--scenario", "spike", "--time-scale", "0.2", "--overflow", "--json")).isZero();
            String first = out();
            out.reset();
            assertThat(run("simulate", "--scenario", "spike", "--time-scale", "0.2", "--overflow", "--json")).isZero();

            assertThat(first).startsWith("{\"cost_usd\":").contains("\"seed\":1,\"groups\":[{\"group\":\"fast\"")
                    .contains("{\"group\":\"cheap\",\"served\":").containsPattern("}],\"oracle_cost_usd\":[0-9.]+,"
                            + "\"oracle_slo_violation_fraction\":[0-9.]+,\"cost_vs_oracle\":[0-9.]+}\\R$");
            assertThat(out()).isEqualTo(first);
        }

        @Test
        @DisplayName("--rolling-update prints the update: nothing routed to a draining worker, no failed request")
        void rollingUpdateTable() {
            assertThat(run("simulate", "--scenario", "step", "--rolling-update")).isZero();

            assertThat(out()).contains("max_workers respected").containsPattern("rolling update of group +gpus: ")
                    .containsPattern("requests routed to draining +0\\R").containsPattern("failed requests \\(update's doing\\) +0\\R");
        }

        @Test
        @DisplayName("--rolling-update --json puts the update under an extra key, the same twice")
        void rollingUpdateJson() {
            assertThat(run("simulate", "--scenario", "step", "--rolling-update", "--json")).isZero();
            String first = out();
            out.reset();
            assertThat(run("simulate", "--scenario", "step", "--rolling-update", "--json")).isZero();

            assertThat(first).contains("\"seed\":1,\"rolling_update\":{\"group\":\"gpus\"")
                    .contains("\"routed_to_draining\":0,\"failed_during_update\":0")
                    .containsPattern("},\"oracle_cost_usd\":[0-9.]+,\"oracle_slo_violation_fraction\":[0-9.]+,"
                            + "\"cost_vs_oracle\":[0-9.]+}\\R$");
            assertThat(out()).isEqualTo(first);
        }

        @Test
        @DisplayName("a trace file given by path, as a table")
        void traceTable(@TempDir Path dir) throws IOException {
            Path trace = dir.resolve("tiny.csv");
            Files.writeString(trace, "TIMESTAMP,ContextTokens,GeneratedTokens\n"
                    + "2023-11-16 18:15:46.6805900,374,44\n2023-11-16 18:15:50.9951690,396,109\n");

            assertThat(run("simulate", "--trace", trace.toString(), "--policy", "fixed", "--seed", "2")).isZero();
            assertThat(out()).contains("simulation of trace tiny.csv, policy fixed, seed 2").contains("requests")
                    .contains("max_workers respected");
        }

        @Test
        @DisplayName("a bad trace line fails with exit 1, naming the file and the line")
        void badTrace(@TempDir Path dir) throws IOException {
            Path trace = dir.resolve("bad.csv");
            Files.writeString(trace, "TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46.68,12\n");

            assertThat(run("simulate", "--trace", trace.toString())).isEqualTo(Main.FAILED);
            assertThat(err()).contains("bad.csv line 2: expected 3 columns");
        }

        @Test
        @DisplayName("the bundled trace is found by name, with no file on disk")
        void bundledTraceByName() {
            var o = SimulateCommand.parse(new String[] {"--trace", "azure-llm-2023-conv", "--cost", "generated"});

            var w = SimulateCommand.workload(o);
            assertThat(w.size()).isEqualTo(19_366);
            assertThat(w.cost(0)).isEqualTo(44);
            assertThat(w.name()).isEqualTo("trace azure-llm-2023-conv.csv");
        }
    }
}
