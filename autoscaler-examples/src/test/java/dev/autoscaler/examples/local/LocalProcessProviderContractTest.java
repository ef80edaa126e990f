package dev.autoscaler.examples.local;

import dev.autoscaler.Settings;
import dev.autoscaler.spi.InstanceProvider;
import dev.autoscaler.testkit.InstanceProviderContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;

/**
 * The local provider passes the provider contract kit. Its state changes are synchronous (create
 * returns once the process runs, stop once it is gone), so the kit never has to let time pass:
 * {@link #letTimePass} does nothing, and a state that is not reached at once fails after a few
 * polls instead of hanging.
 */
@DisplayName("LocalProcessProvider contract")
class LocalProcessProviderContractTest extends InstanceProviderContract {
    private Path stateDir;

    @Override
    protected void setUpWorld() throws IOException {
        stateDir = Files.createTempDirectory("local-contract-");
    }

    @Override
    protected void tearDownWorld() throws IOException {
        InstanceProvider cleaner = newProvider();
        cleaner.list().forEach(i -> cleaner.destroy(i.id()));
        try (Stream<Path> all = Files.walk(stateDir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    protected InstanceProvider newProvider() {
        return LocalProcessProvider.create(Settings.of(LocalProcessProviderTest.shortMode(stateDir)));
    }

    @Override
    protected void letTimePass(Duration duration) {
        // nothing to wait for: every transition completed inside the provider call
    }

    @Override
    protected Duration pollStep() {
        return Duration.ofSeconds(1);
    }

    @Override
    protected Duration maxTransitionTime() {
        return Duration.ofSeconds(5);
    }
}
