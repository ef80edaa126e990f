package dev.autoscaler.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@code autoscaler bench}: its options, its table and its determinism. */
class BenchCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        return new Main().run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @DisplayName("a bad command line exits 2 with a message naming the option")
    @CsvSource(delimiter = '|', value = {
            "bench --seeds 0                      | --seeds must be a whole number >= 1, got '0'",
            "bench --seeds many                   | --seeds must be a whole number >= 1, got 'many'",
            "bench --threads -1                   | --threads must be a whole number >= 1, got '-1'",
            "bench --warm-up -1                   | --warm-up must be a number of seconds >= 0, got '-1'",
            "bench --cool-down x                  | --cool-down must be a number of seconds >= 0, got 'x'",
            "bench --workloads step,weekly        | --workloads must name some of azure-llm-2023-conv, step, spike, diurnal, sparse; got 'weekly'",
            "bench --policies vast,nope           | --policies: no scaling policy named 'nope'",
            "bench --param max_workers=-2         | --param max_workers: ",
            "bench --seeds 1 --seeds 2            | --seeds is given twice",
            "bench --frobnicate                   | unknown option '--frobnicate'",
    })
    void badArgument(String commandLine, String message) {
        assertThat(run(commandLine.trim().split("\\s+"))).isEqualTo(Main.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(message).contains("usage: autoscaler");
        assertThat(out()).isEmpty();
    }

    @Test
    @DisplayName("the means table names each workload once, each policy and the reference, the same bytes on 1 or 2 threads")
    void tableIsDeterministic() {
        String[] args = {"bench", "--workloads", "sparse", "--seeds", "2", "--policies", "vast,fixed", "--threads", "2"};
        assertThat(run(args)).isZero();
        String two = out();
        args[args.length - 1] = "1";
        assertThat(run(args)).isZero();
        assertThat(out()).isEqualTo(two);
        assertThat(two).startsWith("bench: means of 2 seeds (1-2), warm-up 600 s, cool-down 600 s")
                .contains("| workload | policy | cost $ | SLO violations | flaps | queue p99 s | cost / oracle |")
                .containsPattern("\\| sparse \\| vast \\| [0-9.]+ \\| [0-9.]+% \\|")
                .containsPattern("\\|  \\| fixed \\| ").containsPattern("\\|  \\| oracle \\| [0-9.]+ .* \\| 1.00x \\|");
    }

    @Test
    @DisplayName("--json: one document with the means and every run, each with the reference's figures")
    void json() {
        assertThat(run("bench", "--workloads", "sparse", "--seeds", "1", "--policies", "fixed", "--json")).isZero();
        assertThat(out()).startsWith("{\"seeds\":[1],\"warm_up_s\":600.000,\"cool_down_s\":600.000,\"means\":[")
                .contains("{\"workload\":\"sparse\",\"policy\":\"fixed\",\"cost_usd\":")
                .contains("{\"workload\":\"sparse\",\"policy\":\"oracle\",")
                .contains("\"runs\":[{\"bench_workload\":\"sparse\",\"cost_usd\":").contains("\"cost_vs_oracle\":");
        assertThat(out().lines().count()).isEqualTo(1);
    }

    @Test
    @DisplayName("without --policies every policy on the class path is played, vast first")
    void everyPolicy() {
        assertThat(BenchCommand.everyPolicy()).startsWith("vast").contains("fixed");
    }
}
