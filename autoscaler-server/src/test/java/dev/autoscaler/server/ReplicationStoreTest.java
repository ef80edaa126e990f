package dev.autoscaler.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoscaler.spi.StateStore;
import dev.autoscaler.store.postgres.PostgresTestServer;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The store a replica's engine uses")
class ReplicationStoreTest {

    @Test
    @DisplayName("passes every StateStore method on to the replica's view (a default left to the interface would skip what the view does), but the fenced updates and close")
    void delegatesEveryMethod() throws Exception {
        PostgresTestServer pg = PostgresTestServer.get();
        PostgresSettings settings = new PostgresSettings(pg.url, Optional.ofNullable(pg.user).or(() -> Optional.of("postgres")),
                Optional.ofNullable(pg.password), PostgresTestServer.freshSchema(), 2, PostgresSettings.DEFAULT_LEASE_TTL,
                PostgresSettings.DEFAULT_REFRESH_INTERVAL, PostgresSettings.DEFAULT_FLUSH_INTERVAL,
                PostgresSettings.DEFAULT_MAX_STALENESS, "test-replica");
        try (Replication replication = new Replication(settings)) {
            Class<?> engineStore = replication.engineStore().getClass();
            List<String> missing = Arrays.stream(StateStore.class.getMethods())
                    .filter(m -> !Modifier.isStatic(m.getModifiers()))
                    .filter(m -> !declares(engineStore, m))
                    // built on this store's own replaceWorker, so that the control loop's updates are fenced
                    .filter(m -> !m.getName().equals("updateWorker") && !m.getName().equals("updateWorkerIf"))
                    // the replication owns the view's life, not the engine
                    .filter(m -> !m.getName().equals("close"))
                    .map(Method::getName).toList();
            assertThat(missing).isEmpty();
        }
    }

    private static boolean declares(Class<?> type, Method m) {
        try {
            type.getDeclaredMethod(m.getName(), m.getParameterTypes());
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }
}
