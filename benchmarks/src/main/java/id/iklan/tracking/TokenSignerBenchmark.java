package id.iklan.tracking;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Signing one tracking token, as the answer to an ad request does once per filled slot: the
 * payload encoding, HMAC-SHA256 and base64url. Tokens are cycled from a pre-built array so that
 * the fields differ from one call to the next, as they do between slots. {@link #hmacOnly} is
 * the JDK's HMAC-SHA256 alone over a payload of the same size, the part signing cannot shed.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar TokenSignerBenchmark -prof gc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TokenSignerBenchmark {
  static final int SIZE = 1 << 8;

  TrackingToken[] tokens;
  TokenSigner.Writer writer;
  Mac mac;
  byte[] payload;
  byte[] digest;
  int next;

  @Setup
  public void setUp() throws GeneralSecurityException {
    String secret = "rahasia-benchmark-yang-cukup-panjang";
    writer = TokenSigner.fromText(secret).newWriter();
    mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    payload = new byte[100]; // about a token's payload: ids, section, version and times
    digest = new byte[32];
    tokens = new TrackingToken[SIZE];
    String[] sections = {"nasional", "ekonomi", "olahraga", "teknologi", ""};
    for (int i = 0; i < SIZE; i++) {
      tokens[i] = new TrackingToken(String.format("%032x", i * 7_919L), "slot-" + (i % 6),
          "kampanye-" + (i * 31 % 10_000), "kreatif-" + (i % 3), sections[i % sections.length],
          42 + i % 2, 1_790_000_000L + i, 1_790_086_400L + i);
    }
  }

  @Benchmark
  public int sign() {
    return writer.sign(tokens[next++ & (SIZE - 1)]);
  }

  @Benchmark
  public byte[] hmacOnly() throws ShortBufferException {
    payload[next++ & 63]++;
    mac.update(payload, 0, payload.length);
    mac.doFinal(digest, 0);
    return digest;
  }
}
