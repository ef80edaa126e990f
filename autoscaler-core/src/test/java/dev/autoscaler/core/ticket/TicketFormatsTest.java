package dev.autoscaler.core.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autoscaler.InvalidConfigException;
import dev.autoscaler.ManualClock;
import dev.autoscaler.PluginNotFoundException;
import dev.autoscaler.spi.TicketClaims;
import dev.autoscaler.spi.TicketSigner;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TicketFormatsTest {
    private static final RsaSigningKey RSA = TicketTestSupport.vectorKey();
    private final TicketFormats formats = TicketFormats.builder().rsaKey(RSA).build();

    @ParameterizedTest
    @ValueSource(strings = {"vast-rsa", "ed25519"})
    void signerByName(String name) {
        TicketSigner signer = formats.signer(name);
        assertThat(signer.format()).isEqualTo(name);
        assertThat(formats.signer(name)).isSameAs(signer);
    }

    @Test
    void unknownFormatListsTheKnownOnes() {
        assertThatThrownBy(() -> formats.signer("hmac"))
                .isInstanceOf(PluginNotFoundException.class)
                .hasMessage("no ticket format named 'hmac'; found: ed25519, vast-rsa");
    }

    @ParameterizedTest
    @ValueSource(strings = {"vast-rsa", "ed25519"})
    void ownVerifierAcceptsOwnSignature(String name) {
        ManualClock clock = new ManualClock();
        TicketClaims claims = new TicketClaims("e", "http://10.0.0.1:3000", 100, 1, 1, "w1", clock.now());
        assertThat(formats.verifier(name, clock).verify(formats.signer(name).sign(claims), claims).accepted()).isTrue();
    }

    @Test
    void pubkeyIsTheRsaPublicPem() {
        assertThat(formats.rsaPublicKeyPem()).isEqualTo(TicketTestSupport.vectors().get("public_key_pem").textValue());
        assertThat(formats.jwksJson()).contains(formats.ed25519KeyRing().current().kid());
    }

    @Test
    void keyFilesKeepKeysAcrossBuilds(@TempDir Path dir) {
        TicketFormats first = TicketFormats.builder().rsaKeyFile(dir.resolve("rsa.pem"))
                .ed25519KeyFile(dir.resolve("ring.json")).build();
        TicketFormats second = TicketFormats.builder().rsaKeyFile(dir.resolve("rsa.pem"))
                .ed25519KeyFile(dir.resolve("ring.json")).build();
        assertThat(second.rsaPublicKeyPem()).isEqualTo(first.rsaPublicKeyPem());
        assertThat(second.jwksJson()).isEqualTo(first.jwksJson());
    }

    @Test
    void keyAndKeyFileTogetherAreRefused(@TempDir Path dir) {
        assertThatThrownBy(() -> TicketFormats.builder().rsaKey(RSA).rsaKeyFile(dir.resolve("rsa.pem")).build())
                .isInstanceOf(InvalidConfigException.class).hasMessageStartingWith("rsa_key_file: ");
    }
}
