package dev.autoscaler.core.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autoscaler.InvalidConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RsaSigningKeyTest {
    private static final RsaSigningKey KEY = TicketTestSupport.vectorKey();

    @Test
    void privatePemRoundTrips() {
        RsaSigningKey again = RsaSigningKey.fromPrivateKeyPem(KEY.privateKeyPem());
        assertThat(again.publicKeyPem()).isEqualTo(KEY.publicKeyPem());
        assertThat(again.bits()).isEqualTo(2048);
    }

    @Test
    void publicPemParses() {
        assertThat(RsaSigningKey.parsePublicKeyPem(KEY.publicKeyPem())).isEqualTo(KEY.publicKey());
    }

    @Test
    void loadOrGenerateKeepsTheKeyAcrossRestarts(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("keys/rsa.pem");
        RsaSigningKey first = RsaSigningKey.loadOrGenerate(file);
        RsaSigningKey afterRestart = RsaSigningKey.loadOrGenerate(file);
        assertThat(afterRestart.publicKeyPem()).isEqualTo(first.publicKeyPem());
        assertThat(Files.readString(file)).startsWith("-----BEGIN PRIVATE KEY-----");
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            assertThat(Files.getPosixFilePermissions(file))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        }
    }

    @Test
    void unreadableKeyFileNamesTheField(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("rsa.pem");
        Files.writeString(file, "hello");
        assertThatThrownBy(() -> RsaSigningKey.loadOrGenerate(file))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith("rsa_key_file: ");
    }

    @Test
    void pkcs1KeyGetsAConversionHint() {
        String pkcs1 = "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n";
        assertThatThrownBy(() -> RsaSigningKey.fromPrivateKeyPem(pkcs1))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("rsa_private_key")
                .hasMessageContaining("openssl pkcs8");
    }

    @Test
    void publicKeyPemIsNotAPrivateKey() {
        assertThatThrownBy(() -> RsaSigningKey.fromPrivateKeyPem(KEY.publicKeyPem()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("expected a PEM block 'PRIVATE KEY', found 'PUBLIC KEY'");
    }

    @Test
    void smallKeysAreRefused() {
        assertThatThrownBy(() -> RsaSigningKey.generate(1024))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("rsa_key_bits");
    }

    @Test
    void toStringHidesThePrivateKey() {
        assertThat(KEY.toString()).startsWith("RsaSigningKey[2048 bit, sha256:")
                .doesNotContain(KEY.privateKeyPem().substring(40, 80));
    }
}
