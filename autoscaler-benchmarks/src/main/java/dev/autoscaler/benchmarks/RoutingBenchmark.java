package dev.autoscaler.benchmarks;

import dev.autoscaler.core.router.RouteAnswer;
import dev.autoscaler.core.router.Router;
import dev.autoscaler.core.ticket.TicketFormats;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Routing decisions per second in process (no HTTP), per ticket format, against a baseline measured
 * in the same run:
 * <ul>
 *   <li>{@code route}: one {@link Router#route} on an endpoint of 8 ready workers (choice, versioned
 *       reservation, reqnum, request record, signature, answer) plus the release that a worker's report
 *       would do, so that the store stays the same size; with {@code vast-rsa} the signature comes
 *       from the per-URL cache, with {@code ed25519} it is signed every time;</li>
 *   <li>{@code bareEd25519Sign}: BouncyCastle's Ed25519 over a ticket-sized message, nothing else.</li>
 * </ul>
 * {@code route[ed25519] / bareEd25519Sign} is what routing adds to the signature; {@code route[vast-rsa]}
 * is the router's own cost.
 *
 * <p>Run: {@code mvn -B -q -pl autoscaler-benchmarks -am package -DskipTests && java -jar
 * autoscaler-benchmarks/target/benchmarks.jar Routing -f 1 -wi 2 -i 3 -w 2s -r 2s}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RoutingBenchmark {
    @Param({"vast-rsa", "ed25519"})
    public String format;

    private Router router;
    private Ed25519PrivateKeyParameters bareKey;
    private byte[] bareMessage;

    @Setup
    public void setUp() {
        router = HttpBenchServer.readyRouter(format, TicketFormats.builder().build().signer(format), 8, false);
        bareKey = new Ed25519PrivateKeyParameters(new SecureRandom());
        bareMessage = ("{\"aud\":\"101\",\"cost\":100,\"endpoint\":\"bench\",\"exp\":1767225660,\"iat\":1767225600,"
                + "\"jti\":\"0123456789abcdef0123456789abcdef\",\"kid\":\"abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG\","
                + "\"reqnum\":123456,\"request_idx\":123456,\"url\":\"http://10.0.0.1:4001\"}").getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public Object route() {
        RouteAnswer answer = router.route("bench", 100L, 0);
        router.abandon(answer.requestIdx());
        return answer;
    }

    @Benchmark
    public byte[] bareEd25519Sign() {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, bareKey);
        signer.update(bareMessage, 0, bareMessage.length);
        return signer.generateSignature();
    }
}
