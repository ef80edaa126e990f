package dev.autoscaler.core.ticket;

import static dev.autoscaler.core.ticket.TicketTestSupport.claimsOf;
import static dev.autoscaler.core.ticket.TicketTestSupport.vectorKey;
import static dev.autoscaler.core.ticket.TicketTestSupport.vectors;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autoscaler.spi.TicketClaims;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** PROTOCOL.md: the project's tests MUST reproduce every vector byte for byte, and verify them. */
@DisplayName("Vast signature test vectors (Python json + OpenSSL)")
class VastSignatureVectorsTest {

    static Stream<JsonNode> vectorList() {
        return StreamSupport.stream(vectors().get("vectors").spliterator(), false);
    }

    private static VastMessageFormat formatOf(JsonNode vector) {
        return VastMessageFormat.fromWireName(vector.get("format").textValue());
    }

    @Test
    void bothFormatsAreCovered() {
        assertThat(vectorList().map(v -> v.get("format").textValue()).distinct())
                .containsExactlyInAnyOrder("url-only", "all-fields-sorted");
    }

    @Test
    @DisplayName("the key pair from the vectors loads, and its public PEM is the vectors' public PEM")
    void keyPairMatches() {
        assertThat(vectorKey().publicKeyPem()).isEqualTo(vectors().get("public_key_pem").textValue());
    }

    @ParameterizedTest(name = "{index}: message bytes of {0}")
    @MethodSource("vectorList")
    void messageBytesMatch(JsonNode vector) {
        TicketClaims claims = claimsOf(vector.get("fields"));
        byte[] expected = vector.get("message_utf8").textValue().getBytes(StandardCharsets.UTF_8);
        assertThat(formatOf(vector).message(claims).getBytes(StandardCharsets.UTF_8)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{index}: signature of {0}")
    @MethodSource("vectorList")
    void signatureMatches(JsonNode vector) {
        VastRsaSigner signer = VastRsaSigner.builder(vectorKey()).messageFormat(formatOf(vector)).build();
        assertThat(signer.sign(claimsOf(vector.get("fields")))).isEqualTo(vector.get("signature_base64").textValue());
    }

    @ParameterizedTest(name = "{index}: verifies {0}")
    @MethodSource("vectorList")
    void signatureVerifies(JsonNode vector) {
        VastRsaVerifier verifier = VastRsaVerifier.fromPublicKeyPem(vectors().get("public_key_pem").textValue(), formatOf(vector));
        assertThat(verifier.verify(vector.get("signature_base64").textValue(), claimsOf(vector.get("fields"))).accepted())
                .isTrue();
    }

    @ParameterizedTest(name = "{index}: a different URL fails {0}")
    @MethodSource("vectorList")
    void otherUrlFails(JsonNode vector) {
        VastRsaVerifier verifier = VastRsaVerifier.fromPublicKeyPem(vectors().get("public_key_pem").textValue(), formatOf(vector));
        TicketClaims claims = claimsOf(vector.get("fields"));
        TicketClaims moved = new TicketClaims(claims.endpoint(), claims.url() + "0", claims.cost(), claims.reqnum(),
                claims.requestIdx(), "", claims.issuedAt());
        assertThat(verifier.verify(vector.get("signature_base64").textValue(), moved).accepted()).isFalse();
    }
}
