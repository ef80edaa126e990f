package dev.autoscaler.core.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("worker URLs the engine can vouch for")
class WorkerUrlCheckTest {
    static final String PROVIDER = "http://203.0.113.7:41234";
    final WorkerUrlCheck strict = WorkerUrlCheck.providerAddresses();

    @ParameterizedTest
    @ValueSource(strings = {"http://203.0.113.7:41234", "http://203.0.113.7:41234/", "https://203.0.113.7:41234",
        "HTTP://203.0.113.7:41234/v1", "http://203.0.113.7:41234/"})
    void the_providers_host_and_port_pass_whatever_the_scheme_case_or_path(String url) {
        assertThat(strict.mismatch(url, PROVIDER)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"javascript:alert(1)//", "ftp://203.0.113.7:41234", "file:///etc/passwd", "203.0.113.7:41234",
        "http://", "http://user@203.0.113.7:41234", "//203.0.113.7:41234", "http://203.0.113.7:41234 x", "data:,x"})
    void anything_but_an_http_url_with_a_host_is_refused(String url) {
        assertThat(strict.mismatch(url, PROVIDER)).startsWith("must be an http or https URL");
    }

    @Test
    void another_host_or_port_is_refused_naming_both() {
        assertThat(strict.mismatch("http://evil.example.com/", PROVIDER))
                .isEqualTo("reported evil.example.com:80 but the provider says this instance is at 203.0.113.7:41234");
        assertThat(strict.mismatch("http://203.0.113.7:41235", PROVIDER)).contains("203.0.113.7:41235");
        assertThat(strict.mismatch("https://203.0.113.7", PROVIDER)).contains("203.0.113.7:443");
    }

    @Test
    void an_instance_without_a_provider_address_cannot_be_vouched_for() {
        assertThat(strict.mismatch("http://203.0.113.7:41234", "")).contains("has given no address");
    }

    @Test
    void the_nat_switch_allows_listed_hosts_and_ports_only() {
        WorkerUrlCheck nat = WorkerUrlCheck.allowedHosts(List.of("gateway.example.net", "198.51.100.4:8443", "[2001:db8::1]"));

        assertThat(nat.mismatch("http://gateway.example.net:30001", "")).isNull();
        assertThat(nat.mismatch("https://198.51.100.4:8443/", PROVIDER)).isNull();
        assertThat(nat.mismatch("http://[2001:db8::1]:9000", PROVIDER)).isNull();
        assertThat(nat.mismatch("http://198.51.100.4:8444", PROVIDER)).isEqualTo("host 198.51.100.4:8444 is not in worker_url_hosts");
        assertThat(nat.mismatch(PROVIDER, PROVIDER)).contains("not in worker_url_hosts");
        assertThat(nat.mismatch("javascript:alert(1)//", PROVIDER)).startsWith("must be an http");
    }

    @Test
    void a_bad_nat_entry_is_an_error_naming_it() {
        assertThatThrownBy(() -> WorkerUrlCheck.allowedHosts(List.of("http://x/path")))
                .hasMessageContaining("'http://x/path' is not a host or host:port");
    }
}
