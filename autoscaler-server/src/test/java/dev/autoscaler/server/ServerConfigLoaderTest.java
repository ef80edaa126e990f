package dev.autoscaler.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autoscaler.EndpointConfig;
import dev.autoscaler.EndpointState;
import dev.autoscaler.InvalidConfigException;
import dev.autoscaler.WorkerGroupConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigLoaderTest {
    static final String FULL = """
            {
              "listen": "127.0.0.1:9090",
              "public_url": "https://scaler.example.com/",
              "api_keys": ["k1"],
              "engine_secret": "0123456789abcdef-secret",
              "tick_interval": 2.5,
              "rsa_key_file": "/tmp/rsa.pem",
              "routing_strategy": "power-of-two",
              "provider": {"name": "static", "settings": {"workers": [{"id": 7, "mtoken": "t", "url": "http://h:1"}]}},
              "endpoints": [{
                "endpoint_name": "llama", "min_load": 100, "min_cold_load": 50, "target_util": 0.8, "cold_mult": 3,
                "cold_workers": 2, "max_workers": 9, "max_queue_time": 20, "target_queue_time": 5,
                "inactivity_timeout": 600, "endpoint_state": "suspended", "policy": "vast",
                "policy_params": {"window": 30}, "ticket_format": "ed25519", "api_key": "ep-key",
                "loading_timeout": 900, "resume_timeout": 60, "cold_destroy_delay": 300, "drain_timeout": 120,
                "groups": [
                  {"group_name": "main", "template_hash": "abc", "search_params": "gpu_ram>=24", "gpu_ram": 48,
                   "cold_workers": 1, "weight": 2, "max_price_per_hour": 1.5, "expected_perf": 2000, "worker_port": 3001},
                  {"group_name": "spill", "overflow": true, "max_workers": 3,
                   "template": {"image": "vllm:latest", "env": {"MODEL": "x"}, "onstart": "run.sh", "disk": 64, "ports": [8000]}}
                ]
              }]
            }
            """;

    final ServerConfigLoader loader = new ServerConfigLoader(Map.of("SECRET", "env-secret-0123456789", "KEY", "env-key")::get);

    @Test
    void reads_every_parameter_by_its_wire_name() {
        ServerConfig c = loader.parseJson(FULL);

        assertThat(c.listenHost()).isEqualTo("127.0.0.1");
        assertThat(c.listenPort()).isEqualTo(9090);
        assertThat(c.publicUrl()).isEqualTo("https://scaler.example.com");
        assertThat(c.apiKeys()).containsExactly("k1");
        assertThat(new String(c.engineSecret(), StandardCharsets.UTF_8)).isEqualTo("0123456789abcdef-secret");
        assertThat(c.tickInterval()).isEqualTo(Duration.ofMillis(2500));
        assertThat(c.rsaKeyFile()).hasValue(Path.of("/tmp/rsa.pem"));
        assertThat(c.routingStrategy()).isEqualTo("power-of-two");
        assertThat(c.providerName()).isEqualTo("static");
        assertThat(c.providerSettings().asMap()).containsEntry("workers.0.id", "7").containsEntry("workers.0.url", "http://h:1");
        EndpointConfig e = c.endpoints().get(0);
        assertThat(e.name()).isEqualTo("llama");
        assertThat(e.minLoad()).isEqualTo(100);
        assertThat(e.minColdLoad()).isEqualTo(50);
        assertThat(e.targetUtil()).isEqualTo(0.8);
        assertThat(e.coldMult()).isEqualTo(3);
        assertThat(e.coldWorkers()).isEqualTo(2);
        assertThat(e.maxWorkers()).isEqualTo(9);
        assertThat(e.maxQueueTime()).isEqualTo(20);
        assertThat(e.targetQueueTime()).isEqualTo(5);
        assertThat(e.inactivityTimeout()).hasValue(600);
        assertThat(e.state()).isEqualTo(EndpointState.SUSPENDED);
        assertThat(e.policyParams().asMap()).containsEntry("window", "30");
        assertThat(e.ticketFormat()).isEqualTo("ed25519");
        assertThat(e.apiKey()).hasValue("ep-key");
        assertThat(e.coldDestroyDelay()).isEqualTo(Duration.ofSeconds(300));
        assertThat(e.drainTimeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(e.loadingTimeout()).isEqualTo(Duration.ofSeconds(900));
        assertThat(e.resumeTimeout()).isEqualTo(Duration.ofSeconds(60));
        WorkerGroupConfig main = e.groups().get(0);
        assertThat(main.template().templateHash()).isEqualTo("abc");
        assertThat(main.searchParams()).isEqualTo("gpu_ram>=24");
        assertThat(main.gpuRamGb()).isEqualTo(48);
        assertThat(main.coldWorkers()).hasValue(1);
        assertThat(main.weight()).isEqualTo(2);
        assertThat(main.maxPricePerHour()).hasValue(1.5);
        assertThat(main.expectedPerf()).hasValue(2000);
        assertThat(main.workerPort()).isEqualTo(3001);
        assertThat(main.maxWorkers()).as("absent: no cap of the group's own").isEmpty();
        WorkerGroupConfig spill = e.groups().get(1);
        assertThat(spill.overflow()).isTrue();
        assertThat(spill.maxWorkers()).hasValue(3);
        assertThat(spill.template().image()).isEqualTo("vllm:latest");
        assertThat(spill.template().env()).containsEntry("MODEL", "x");
        assertThat(spill.template().diskGb()).isEqualTo(64);
        assertThat(spill.template().ports()).containsExactly(8000);
    }

    @Test
    void reads_yaml_like_json(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("serve.yaml");
        Files.writeString(file, """
                public_url: http://10.0.0.2:8080
                engine_secret_env: SECRET
                provider: {name: vast}
                endpoints:
                  - endpoint_name: llm
                    api_key_env: KEY
                    groups:
                      - group_name: main
                """);

        ServerConfig c = loader.load(file);

        assertThat(c.listenPort()).isEqualTo(8080);
        assertThat(new String(c.engineSecret(), StandardCharsets.UTF_8)).isEqualTo("env-secret-0123456789");
        assertThat(c.endpoints().get(0).apiKey()).hasValue("env-key");
        assertThat(c.endpoints().get(0).ticketFormat()).isEqualTo("vast-rsa");
    }

    @Test
    void reads_a_group_max_workers_from_yaml(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("serve.yml");
        Files.writeString(file, """
                public_url: http://10.0.0.2:8080
                engine_secret_env: SECRET
                provider: {name: vast}
                endpoints:
                  - endpoint_name: llm
                    max_workers: 10
                    groups:
                      - group_name: h100
                        max_workers: 2
                      - group_name: spill
                        overflow: true
                """);

        EndpointConfig e = loader.load(file).endpoints().get(0);

        assertThat(e.maxWorkers()).isEqualTo(10);
        assertThat(e.groups().get(0).maxWorkers()).hasValue(2);
        assertThat(e.groups().get(1).maxWorkers()).isEmpty();
    }

    @Test
    void a_bad_group_max_workers_is_named_by_its_full_path() {
        assertField(FULL.replace("\"max_workers\": 3", "\"max_workers\": -1"), "endpoints[0].groups[1].max_workers");
        assertField(FULL.replace("\"max_workers\": 3", "\"max_workers\": \"three\""), "endpoints[0].groups[1].max_workers");
    }

    @Test
    void errors_name_the_field_by_its_full_path() {
        assertField(FULL.replace("\"gpu_ram\": 48", "\"gpu_ram\": -1"), "endpoints[0].groups[0].gpu_ram");
        assertField(FULL.replace("\"target_util\": 0.8", "\"target_util\": 1.5"), "endpoints[0].target_util");
        assertField(FULL.replace("\"max_workers\": 9", "\"max_workers\": \"nine\""), "endpoints[0].max_workers");
        assertField(FULL.replace("\"endpoint_state\": \"suspended\"", "\"endpoint_state\": \"paused\""),
                "endpoints[0].endpoint_state");
        assertField(FULL.replace("\"min_load\"", "\"min_lod\""), "endpoints[0].min_lod");
        assertField(FULL.replace("\"disk\": 64", "\"disk\": 0"), "endpoints[0].groups[1].template.disk");
        assertField(FULL.replace("\"group_name\": \"spill\"", "\"group_name\": \"main\""), "endpoints[0].groups[1].group_name");
        assertField(FULL.replace("\"listen\": \"127.0.0.1:9090\"", "\"listen\": \"nope\""), "listen");
        assertField(FULL.replace("\"engine_secret\": \"0123456789abcdef-secret\"", "\"engine_secret\": \"short\""),
                "engine_secret");
        assertField(FULL.replace("\"provider\": {\"name\": \"static\"", "\"provider\": {\"nam\": \"static\""), "provider.name");
        assertField("{\"public_url\": \"http://x\", \"engine_secret\": \"0123456789abcdef\", \"provider\": {\"name\": \"v\"}}",
                "endpoints");
        assertField("{ not json", "config");
    }

    void assertField(String json, String field) {
        assertThatThrownBy(() -> loader.parseJson(json)).isInstanceOf(InvalidConfigException.class)
                .extracting(e -> ((InvalidConfigException) e).field()).isEqualTo(field);
    }

    @Test
    void a_postgres_store_reads_its_url_and_password_from_the_environment() {
        ServerConfigLoader withDb = new ServerConfigLoader(Map.of("DB", "jdbc:postgresql://db:5432/a", "PW", "pw")::get);
        assertThat(withDb.parseJson(FULL).postgres()).isEmpty();

        ServerConfig c = withDb.parseJson(FULL.replaceFirst("\\{", "{\"store\": {\"postgres\": {\"url_env\": \"DB\", "
                + "\"user\": \"scaler\", \"password_env\": \"PW\", \"schema\": \"prod\", \"pool_size\": 4, "
                + "\"lease_ttl\": 6, \"refresh_interval\": 0.5, \"flush_interval\": 0.25, \"max_staleness\": 2, "
                + "\"replica_id\": \"r1\"}},"));

        PostgresSettings pg = c.postgres().orElseThrow();
        assertThat(pg.url()).isEqualTo("jdbc:postgresql://db:5432/a");
        assertThat(pg.user()).hasValue("scaler");
        assertThat(pg.password()).hasValue("pw");
        assertThat(pg.schema()).isEqualTo("prod");
        assertThat(pg.poolSize()).isEqualTo(4);
        assertThat(pg.leaseTtl()).isEqualTo(Duration.ofSeconds(6));
        assertThat(pg.refreshInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(pg.flushInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(pg.maxStaleness()).isEqualTo(Duration.ofSeconds(2));
        PostgresSettings defaults = withDb.parseJson(FULL.replaceFirst("\\{",
                "{\"store\": {\"postgres\": {\"url_env\": \"DB\"}},")).postgres().orElseThrow();
        assertThat(defaults.flushInterval()).isEqualTo(PostgresSettings.DEFAULT_FLUSH_INTERVAL);
        assertThat(defaults.maxStaleness()).isEqualTo(PostgresSettings.DEFAULT_MAX_STALENESS);
        assertThat(pg.replicaId()).isEqualTo("r1");
        assertThat(c.toString()).contains("store=postgres").doesNotContain("db:5432");
    }

    @Test
    void a_bad_postgres_store_is_an_error_naming_the_field() {
        assertField(FULL.replaceFirst("\\{", "{\"store\": {\"postgres\": {}},"), "store.postgres.url_env");
        assertField(FULL.replaceFirst("\\{", "{\"store\": {\"postgres\": {\"url_env\": \"UNSET\"}},"),
                "store.postgres.url_env");
        assertField(FULL.replaceFirst("\\{", "{\"store\": {\"postgres\": {\"url\": \"jdbc:postgresql://h/d\"}},"),
                "store.postgres.url");
        assertField(FULL.replaceFirst("\\{", "{\"store\": {\"redis\": {}},"), "store.postgres");
        ServerConfigLoader withDb = new ServerConfigLoader(Map.of("DB", "jdbc:postgresql://db/a", "SECRET", "x")::get);
        for (String bad : new String[] {"\"lease_ttl\": 0", "\"pool_size\": 1", "\"schema\": \"Bad-Name\"",
                "\"refresh_interval\": -1", "\"lease\": 5", "\"flush_interval\": 0",
                "\"max_staleness\": 0.05", "\"max_staleness\": 1, \"flush_interval\": 1"}) {
            String field = bad.substring(1, bad.indexOf('"', 1));
            assertThatThrownBy(() -> withDb.parseJson(FULL.replaceFirst("\\{",
                    "{\"store\": {\"postgres\": {\"url_env\": \"DB\", " + bad + "}},")))
                    .isInstanceOf(InvalidConfigException.class).as(bad)
                    .hasMessageContaining("store.postgres." + field);
        }
    }

    @Test
    void the_dashboard_is_on_unless_the_config_says_dashboard_false() {
        assertThat(loader.parseJson(FULL).dashboard()).isTrue();

        ServerConfig off = loader.parseJson(FULL.replaceFirst("\\{", "{\"dashboard\": false,"));

        assertThat(off.dashboard()).isFalse();
    }

    @Test
    void serve_hardening_keys_default_to_netty_no_rotation_and_the_providers_addresses() {
        ServerConfig c = loader.parseJson(FULL);

        assertThat(c.httpServer()).isEqualTo("default");
        assertThat(c.httpOptions().headerTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.httpOptions().maxConnectionsPerAddress()).isEqualTo(256);
        assertThat(c.ed25519Rotation()).isEmpty();
        assertThat(c.workerUrlHosts()).isEmpty();
        assertThat(dev.autoscaler.core.http.ApiServers.factory(c.httpServer()).name()).isEqualTo("netty");
    }

    @Test
    void reads_the_http_server_its_limits_the_rotation_and_the_nat_switch() {
        ServerConfig c = loader.parseJson(FULL.replaceFirst("\\{", """
                {"http_server": "jdk", "http_header_timeout": 2, "http_body_timeout": 3.5, "http_idle_timeout": 30,
                 "http_max_connections_per_address": 64, "http_max_header_bytes": 8192, "http_io_threads": 3,
                 "ed25519_rotation_interval": 86400, "worker_url_hosts": ["gw.example.net", "198.51.100.4:8443"],"""));

        assertThat(c.httpServer()).isEqualTo("jdk");
        assertThat(c.httpOptions().headerTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.httpOptions().bodyTimeout()).isEqualTo(Duration.ofMillis(3500));
        assertThat(c.httpOptions().idleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.httpOptions().maxConnectionsPerAddress()).isEqualTo(64);
        assertThat(c.httpOptions().maxHeaderBytes()).isEqualTo(8192);
        assertThat(c.httpOptions().ioThreads()).isEqualTo(3);
        assertThat(c.ed25519Rotation()).hasValue(Duration.ofDays(1));
        assertThat(c.workerUrlHosts()).containsExactly("gw.example.net", "198.51.100.4:8443");
    }

    @Test
    void a_rotation_within_the_overlap_or_a_bad_limit_is_an_error_naming_it() {
        assertField(FULL.replaceFirst("\\{", "{\"ed25519_rotation_interval\": 60,"), "ed25519_rotation_interval");
        assertField(FULL.replaceFirst("\\{", "{\"http_header_timeout\": 0,"), "http_header_timeout");
        assertField(FULL.replaceFirst("\\{", "{\"http_max_connections_per_address\": 0,"), "http_max_connections_per_address");
        assertField(FULL.replaceFirst("\\{", "{\"http_max_header_bytes\": 100,"), "http_max_header_bytes");
    }
}
