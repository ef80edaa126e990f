package dev.autoscaler.examples.local;

import dev.autoscaler.Settings;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.spi.CreateInstanceRequest;
import dev.autoscaler.spi.Instance;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A stand-in "engine" process for {@link WorkerLifetimeTest}: starts one worker through the local
 * provider, prints {@code WORKER_PID <pid>}, then either waits to be killed ({@code wait}) or exits
 * normally ({@code exit}, which runs the shutdown hooks).
 */
public final class EngineProcessMain {
    private EngineProcessMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Path stateDir = Path.of(args[0]);
        String reportAddr = args[1];
        Map<String, String> settings = new HashMap<>(LocalProcessProviderTest.shortMode(stateDir));
        LocalProcessProvider provider = LocalProcessProvider.create(Settings.of(settings));
        Instance created = provider.create(new CreateInstanceRequest("demo", WorkerGroupConfig.builder("g").build(),
                "lifetime", Map.of("MASTER_TOKEN", "t", "REPORT_ADDR", reportAddr, "WORKER_PORT", "3000")));
        System.out.println("WORKER_PID " + provider.workerPid(created.id()).orElseThrow());
        System.out.flush();
        if (args[2].equals("exit")) {
            System.exit(0);
        }
        new CountDownLatch(1).await();
    }
}
