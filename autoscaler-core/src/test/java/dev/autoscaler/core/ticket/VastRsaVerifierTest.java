package dev.autoscaler.core.ticket;

import static dev.autoscaler.core.ticket.TicketTestSupport.claims;
import static dev.autoscaler.core.ticket.TicketTestSupport.vectorKey;
import static org.assertj.core.api.Assertions.assertThat;

import dev.autoscaler.spi.TicketVerdict;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class VastRsaVerifierTest {
    private static final RsaSigningKey KEY = vectorKey();
    private static final VastRsaVerifier VERIFIER = VastRsaVerifier.of(KEY.publicKey());

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"not base64 !!", "AAAA", "====", "Zm9v.YmFy"})
    void garbageIsRejectedNotThrown(String garbage) {
        assertThat(VERIFIER.verify(garbage, claims("http://10.0.0.1:3000")).accepted()).isFalse();
    }

    @Test
    void hugeInputIsRejected() {
        assertThat(VERIFIER.verify("A".repeat(100_000), claims("http://10.0.0.1:3000")).reason()).contains("too long");
    }

    @Test
    void signatureOfAnotherKeyIsRejected() {
        String foreign = VastRsaSigner.create(RsaSigningKey.generate()).sign(claims("http://10.0.0.1:3000"));
        assertThat(VERIFIER.verify(foreign, claims("http://10.0.0.1:3000")).reason()).isEqualTo("bad signature");
    }

    @Test
    void goodSignatureStillVerifiesAfterGarbage() {
        String good = VastRsaSigner.create(KEY).sign(claims("http://10.0.0.1:3000"));
        VERIFIER.verify("garbage", claims("http://10.0.0.1:3000"));
        VERIFIER.verify(good.substring(1), claims("http://10.0.0.1:3000"));
        TicketVerdict verdict = VERIFIER.verify(good, claims("http://10.0.0.1:3000"));
        assertThat(verdict.accepted()).isTrue();
    }
}
