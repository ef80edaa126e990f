package dev.autoscaler.core.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autoscaler.InvalidConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Ed25519KeyRingTest {

    @Test
    void jwksListsCurrentThenNextAsOkpKeys() throws Exception {
        Ed25519KeyRing ring = Ed25519KeyRing.generate();
        JsonNode keys = TicketTestSupport.JSON.readTree(ring.jwksJson()).get("keys");
        assertThat(keys).hasSize(2);
        assertThat(keys.get(0).get("kid").textValue()).isEqualTo(ring.current().kid());
        assertThat(keys.get(1).get("kid").textValue()).isEqualTo(ring.next().kid());
        for (JsonNode key : keys) {
            assertThat(key.get("kty").textValue()).isEqualTo("OKP");
            assertThat(key.get("crv").textValue()).isEqualTo("Ed25519");
            assertThat(key.has("d")).as("no private part").isFalse();
            assertThat(Base64.getUrlDecoder().decode(key.get("x").textValue())).hasSize(32);
        }
    }

    @Test
    void kidIsTheRfc7638Thumbprint() {
        // RFC 8037 appendix A.3: the thumbprint of its example Ed25519 key
        byte[] x = HexFormat.of().parseHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        assertThat(Ed25519SigningKey.thumbprint(x)).isEqualTo("kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
    }

    @Test
    void seedGivesTheRfc8032PublicKey() {
        // RFC 8032 section 7.1, TEST 1
        Ed25519SigningKey key = Ed25519SigningKey.fromSeed(
                HexFormat.of().parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
        assertThat(HexFormat.of().formatHex(key.publicKeyBytes()))
                .isEqualTo("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        assertThat(HexFormat.of().formatHex(key.sign(new byte[0], 0))).isEqualTo(
                "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
    }

    @Test
    void fileBackedRingSurvivesRestartAndRotation(@TempDir Path dir) {
        Path file = dir.resolve("ring.json");
        Ed25519KeyRing ring = Ed25519KeyRing.loadOrGenerate(file);
        assertThat(Ed25519KeyRing.loadOrGenerate(file).current()).isEqualTo(ring.current());
        ring.rotate();
        Ed25519KeyRing restarted = Ed25519KeyRing.loadOrGenerate(file);
        assertThat(restarted.current()).isEqualTo(ring.current());
        assertThat(restarted.next()).isEqualTo(ring.next());
        assertThat(restarted.previous()).isEqualTo(ring.previous());
    }

    @Test
    void corruptRingFileNamesTheField(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("ring.json");
        Files.writeString(file, "{\"current\": {\"d\": \"AAAA\"}}");
        assertThatThrownBy(() -> Ed25519KeyRing.loadOrGenerate(file))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith("ed25519_key_file: ")
                .hasMessageContaining("current.d");
    }

    @Test
    void toStringShowsKidsOnly() {
        Ed25519KeyRing ring = Ed25519KeyRing.generate();
        assertThat(ring.toString()).contains(ring.current().kid())
                .doesNotContain(Base64.getUrlEncoder().withoutPadding().encodeToString(ring.current().seed()));
    }

    @Test
    void jwksWithoutEd25519KeysIsRefused() {
        assertThatThrownBy(() -> Ed25519TicketVerifier.builder().trustJwks("{\"keys\":[{\"kty\":\"RSA\"}]}"))
                .isInstanceOf(InvalidConfigException.class).hasMessageStartingWith("jwks: ");
    }

    @Test
    void jwksKeyOfWrongSizeNamesTheKey() {
        assertThatThrownBy(() -> Ed25519TicketVerifier.builder()
                .trustJwks("{\"keys\":[{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"k\",\"x\":\"AAAA\"}]}"))
                .isInstanceOf(InvalidConfigException.class).hasMessageStartingWith("jwks.keys[0].x: ");
    }

    @Test
    void verifierNeedsAKey() {
        assertThatThrownBy(() -> Ed25519TicketVerifier.builder().build())
                .isInstanceOf(InvalidConfigException.class).hasMessageStartingWith("trusted_keys: ");
    }
}
