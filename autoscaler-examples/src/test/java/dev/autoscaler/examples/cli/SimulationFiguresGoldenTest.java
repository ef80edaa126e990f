package dev.autoscaler.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The simulator's figures, byte for byte, for every scenario and the bundled trace, as
 * {@code ./autoscaler simulate ... --json} prints them. A change that means to leave behaviour alone
 * (a refactoring, a move) must leave this file as it is; a change that means to alter decisions
 * rewrites it on purpose, and the diff of the golden file shows what moved:
 * {@code mvn -pl autoscaler-examples -am test -Dtest=SimulationFiguresGoldenTest -Dsurefire.failIfNoSpecifiedTests=false -Dfigures.update=true}.
 */
@DisplayName("Simulator figures are what the golden file says")
class SimulationFiguresGoldenTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden/simulate-figures.txt");
    private static final List<String> RUNS = List.of(
            "--trace azure-llm-2023-conv",
            "--scenario step",
            "--scenario spike",
            "--scenario diurnal",
            "--scenario sparse",
            "--scenario spike --seed 7 --policy fixed");

    @Test
    @DisplayName("every scenario and the bundled trace, seed 1, default policy")
    void figuresAreUnchanged() throws IOException {
        StringBuilder actual = new StringBuilder();
        for (String run : RUNS) {
            String[] args = (("simulate " + run + " --json")).split(" ");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int status = new Main().run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            assertThat(status).as(run).isZero();
            actual.append("== simulate ").append(run).append('\n').append(out.toString(StandardCharsets.UTF_8));
        }
        if (Boolean.getBoolean("figures.update")) {
            Files.writeString(GOLDEN, actual.toString());
        }
        assertThat(actual.toString()).isEqualTo(Files.readString(GOLDEN));
    }
}
