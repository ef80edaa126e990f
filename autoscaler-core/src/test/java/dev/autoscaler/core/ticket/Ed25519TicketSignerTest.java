package dev.autoscaler.core.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autoscaler.InvalidConfigException;
import dev.autoscaler.core.ticket.internal.PythonJson;
import dev.autoscaler.spi.TicketClaims;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class Ed25519TicketSignerTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00.750Z");
    private final Ed25519KeyRing ring = Ed25519KeyRing.generate();
    private final Ed25519TicketSigner signer = Ed25519TicketSigner.create(ring);

    private static String payloadOf(String ticket) {
        String[] parts = ticket.split("\\.");
        assertThat(parts).hasSize(2);
        assertThat(Base64.getUrlDecoder().decode(parts[1])).hasSize(64);
        return new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.US_ASCII);
    }

    @Test
    void ticketIsBase64UrlPayloadDotSignatureWithoutPadding() {
        String ticket = signer.sign(new TicketClaims("e", "http://10.0.0.1:3000", 100, 1, 2, "w1", T0));
        assertThat(ticket).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{86}");
    }

    @Test
    void payloadIsCanonicalCompactJsonWithEveryClaim() throws Exception {
        String ticket = signer.sign(new TicketClaims("llama3-prod", "http://10.0.0.1:3000", 242.0, 17, 9001, "w1", T0));
        String payload = payloadOf(ticket);
        JsonNode node = TicketTestSupport.JSON.readTree(payload);
        Map<String, Object> fields = new TreeMap<>();
        node.properties().forEach(e -> fields.put(e.getKey(),
                e.getValue().isTextual() ? e.getValue().textValue()
                        : e.getValue().isIntegralNumber() ? (Object) e.getValue().longValue() : e.getValue().doubleValue()));
        assertThat(fields).containsOnlyKeys("aud", "cost", "endpoint", "exp", "iat", "jti", "kid", "reqnum",
                "request_idx", "url");
        assertThat(payload).isEqualTo(PythonJson.dumpsCompact(fields));
        assertThat(fields).containsEntry("aud", "w1").containsEntry("cost", 242.0).containsEntry("kid", ring.current().kid())
                .containsEntry("iat", T0.getEpochSecond()).containsEntry("exp", T0.getEpochSecond() + 60);
        assertThat(payload).contains("\"cost\":242.0");
    }

    @Test
    void lifetimeIsConfigurable() {
        Ed25519TicketSigner shortLived = Ed25519TicketSigner.builder(ring).lifetime(Duration.ofSeconds(10)).build();
        String payload = payloadOf(shortLived.sign(new TicketClaims("e", "u", 1, 1, 1, "w", T0)));
        assertThat(payload).contains("\"exp\":" + (T0.getEpochSecond() + 10) + ",");
    }

    @Test
    void lifetimeBelowOneSecondIsRefused() {
        assertThatThrownBy(() -> Ed25519TicketSigner.builder(ring).lifetime(Duration.ofMillis(500)))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("ticket_lifetime");
    }

    @Test
    void everyTicketHasItsOwnJti() throws Exception {
        Set<String> jtis = new HashSet<>();
        Ed25519TicketSigner other = Ed25519TicketSigner.create(ring);
        for (int i = 0; i < 2_000; i++) {
            TicketClaims same = new TicketClaims("e", "u", 1, 1, 1, "w", T0);
            jtis.add(TicketTestSupport.JSON.readTree(payloadOf(signer.sign(same))).get("jti").textValue());
            jtis.add(TicketTestSupport.JSON.readTree(payloadOf(other.sign(same))).get("jti").textValue());
        }
        assertThat(jtis).hasSize(4_000);
    }

    @Test
    void ticketWithoutAudienceIsRefused() {
        assertThatThrownBy(() -> signer.sign(new TicketClaims("e", "u", 1, 1, 1, null, T0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("audience:");
    }

    @Test
    void signsWithTheCurrentKeyAfterRotation() throws Exception {
        ring.rotate();
        String payload = payloadOf(signer.sign(new TicketClaims("e", "u", 1, 1, 1, "w", T0)));
        assertThat(TicketTestSupport.JSON.readTree(payload).get("kid").textValue()).isEqualTo(ring.current().kid());
    }

    @Test
    void formatNameIsEd25519() {
        assertThat(signer.format()).isEqualTo("ed25519");
    }
}
