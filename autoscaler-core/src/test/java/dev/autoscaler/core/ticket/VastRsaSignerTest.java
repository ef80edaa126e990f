package dev.autoscaler.core.ticket;

import static dev.autoscaler.core.ticket.TicketTestSupport.T0;
import static dev.autoscaler.core.ticket.TicketTestSupport.claims;
import static dev.autoscaler.core.ticket.TicketTestSupport.vectorKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autoscaler.InvalidConfigException;
import dev.autoscaler.spi.TicketClaims;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class VastRsaSignerTest {
    private static final RsaSigningKey KEY = vectorKey();

    @Test
    void formatNameIsVastRsa() {
        assertThat(VastRsaSigner.create(KEY).format()).isEqualTo("vast-rsa");
    }

    @Nested
    @DisplayName("url-only signature cache")
    class Cache {
        @Test
        void sameUrlGivesTheSameSignature() {
            VastRsaSigner signer = VastRsaSigner.create(KEY);
            String first = signer.sign(claims("http://10.0.0.1:3000"));
            TicketClaims otherRequest = new TicketClaims("llama3-prod", "http://10.0.0.1:3000", 5, 18, 9002, "w", T0);
            assertThat(signer.sign(otherRequest)).isEqualTo(first);
        }

        @Test
        void signsOncePerUrl() {
            VastRsaSigner signer = VastRsaSigner.create(KEY);
            for (int i = 0; i < 50; i++) {
                signer.sign(claims("http://10.0.0.1:3000"));
                signer.sign(claims("http://10.0.0.2:3000"));
            }
            assertThat(signer.signatureComputations()).isEqualTo(2);
        }

        @Test
        @DisplayName("concurrent first requests for one URL still compute one signature")
        void concurrentMissComputesOnce() throws Exception {
            VastRsaSigner signer = VastRsaSigner.create(KEY);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<String>> results = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    results.add(pool.submit(() -> {
                        start.await();
                        return signer.sign(claims("http://10.0.0.9:3000"));
                    }));
                }
                start.countDown();
                Set<String> distinct = new HashSet<>();
                for (Future<String> f : results) {
                    distinct.add(f.get(30, TimeUnit.SECONDS));
                }
                assertThat(distinct).hasSize(1);
                assertThat(signer.signatureComputations()).isEqualTo(1);
            } finally {
                pool.shutdownNow();
            }
        }

        @Test
        void forgottenUrlIsSignedAgain() {
            VastRsaSigner signer = VastRsaSigner.create(KEY);
            signer.sign(claims("http://10.0.0.1:3000"));
            signer.forget("http://10.0.0.1:3000");
            signer.sign(claims("http://10.0.0.1:3000"));
            assertThat(signer.signatureComputations()).isEqualTo(2);
        }

        @Test
        void cacheSizeMustBePositive() {
            assertThatThrownBy(() -> VastRsaSigner.builder(KEY).cacheSize(0))
                    .isInstanceOf(InvalidConfigException.class)
                    .hasMessageContaining("signature_cache_size");
        }
    }

    @Test
    @DisplayName("all-fields-sorted signs every request (its message changes with reqnum)")
    void allFieldsIsNotCached() {
        VastRsaSigner signer = VastRsaSigner.builder(KEY).messageFormat(VastMessageFormat.ALL_FIELDS_SORTED).build();
        String a = signer.sign(new TicketClaims("e", "http://10.0.0.1:3000", 100, 1, 1, "", T0));
        String b = signer.sign(new TicketClaims("e", "http://10.0.0.1:3000", 100, 2, 1, "", T0));
        assertThat(a).isNotEqualTo(b);
        assertThat(signer.signatureComputations()).isEqualTo(2);
    }

    @Test
    @DisplayName("all-fields-sorted prints an Integer cost as 100 and a Double cost as 100.0")
    void costTypeMatters() {
        VastMessageFormat format = VastMessageFormat.ALL_FIELDS_SORTED;
        assertThat(format.message(new TicketClaims("e", "u", 100, 0, 1, "", T0))).contains("\"cost\": 100,");
        assertThat(format.message(new TicketClaims("e", "u", 100L, 0, 1, "", T0))).contains("\"cost\": 100,");
        assertThat(format.message(new TicketClaims("e", "u", 100.0, 0, 1, "", T0))).contains("\"cost\": 100.0,");
        assertThat(format.message(new TicketClaims("e", "u", 1e16, 0, 1, "", T0))).contains("\"cost\": 1e+16,");
    }

    @Test
    @DisplayName("a fresh key's signature verifies against its public PEM with plain JDK SHA256withRSA")
    void verifiesWithPlainJdk() throws Exception {
        RsaSigningKey fresh = RsaSigningKey.generate();
        String url = "http://203.0.113.7:41234";
        String signature = VastRsaSigner.create(fresh).sign(claims(url));

        String pem = fresh.publicKeyPem();
        String base64 = pem.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        PublicKey publicKey = KeyFactory.getInstance("RSA")
                .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
        Signature jdk = Signature.getInstance("SHA256withRSA");
        jdk.initVerify(publicKey);
        jdk.update(("{\n    \"url\": \"" + url + "\"\n}").getBytes(StandardCharsets.UTF_8));
        assertThat(jdk.verify(Base64.getDecoder().decode(signature))).isTrue();
    }
}
