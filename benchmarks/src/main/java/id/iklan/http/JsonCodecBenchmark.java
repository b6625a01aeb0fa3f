package id.iklan.http;

import id.iklan.JsonMapper;
import id.iklan.delivery.InMemoryDeliveryCounters;
import id.iklan.selection.CompiledRules;
import id.iklan.selection.Location;
import id.iklan.selection.PageDecision;
import id.iklan.selection.PageRequest;
import id.iklan.selection.Selector;
import id.iklan.tracking.TokenSigner;
import id.iklan.workload.RequestBodies;
import id.iklan.workload.Workload;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
 * Request parsing and response writing (Jackson) for a typical 5-slot page, as the server does
 * them: the body bytes into a validated request, and a filled decision into response bytes with
 * signed tracking links.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar JsonCodecBenchmark -prof gc</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class JsonCodecBenchmark {
  static final int SIZE = 1 << 10;

  byte[][] bodies;
  PageDecision[] decisions;
  AdRequestParser parser;
  AdResponseWriter writer;
  AdResponseWriter.Context context;

  @State(Scope.Thread)
  public static class Cursor {
    int next;
  }

  @Setup
  public void setUp() {
    Workload workload = Workload.standard(42);
    ObjectMapper mapper = JsonMapper.create();
    parser = new AdRequestParser(mapper.reader());
    writer = new AdResponseWriter(mapper.getFactory(), AnswerBuffers.pooled(),
        new AdFragments(mapper.getFactory(), 64L << 20),
        TokenSigner.fromText("rahasia-benchmark-yang-cukup-panjang"), 86_400);
    CompiledRules rules = CompiledRules.compile(workload.campaigns(10_000), 1,
        new InMemoryDeliveryCounters());
    Selector selector = new Selector(ZoneId.of("Asia/Jakarta"));
    List<byte[]> bodyList = new ArrayList<>();
    List<PageDecision> decisionList = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(3);
    for (PageRequest request : workload.requests(SIZE * 4)) {
      if (request.slots().size() != 5 || bodyList.size() == SIZE) {
        continue;
      }
      bodyList.add(RequestBodies.json(request));
      decisionList.add(selector.decide(request, rules, Workload.NOW, random));
    }
    while (bodyList.size() < SIZE) {
      bodyList.add(bodyList.get(bodyList.size() % Math.max(1, bodyList.size())));
      decisionList.add(decisionList.get(decisionList.size() % decisionList.size()));
    }
    bodies = bodyList.toArray(byte[][]::new);
    decisions = decisionList.toArray(PageDecision[]::new);
    context = new AdResponseWriter.Context("0123456789abcdef0123456789abcdef",
        "https://ads.kabarnusantara.example", "nasional", 1, Workload.NOW.getEpochSecond());
  }

  @Benchmark
  public AdRequest parseRequest(Cursor cursor) {
    return parser.parse(bodies[cursor.next++ & (SIZE - 1)], Location.UNKNOWN);
  }

  /** Writes an answer and gives its pooled buffer back, as the server does once it is sent. */
  @Benchmark
  public int writeResponse(Cursor cursor) {
    ByteBuf answer = writer.write(context, decisions[cursor.next++ & (SIZE - 1)], null);
    int bytes = answer.readableBytes();
    writer.release(answer);
    return bytes;
  }
}
