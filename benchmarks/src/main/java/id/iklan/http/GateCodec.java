package id.iklan.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import id.iklan.JsonMapper;
import id.iklan.selection.Location;
import id.iklan.selection.PageDecision;
import id.iklan.tracking.TokenSigner;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The server's request parsing and response writing, reachable from the benchmark gate (they are
 * package-private in the server), next to a baseline of plain Jackson work on the same bytes:
 * reading the body into a tree and writing a tree of the response's size.
 */
public final class GateCodec {
  private final AdRequestParser parser;
  private final AdResponseWriter writer;
  private final AdResponseWriter.Context context;
  private final ObjectMapper mapper;

  public GateCodec(long nowSeconds) {
    mapper = JsonMapper.create();
    parser = new AdRequestParser(mapper.reader());
    writer = new AdResponseWriter(mapper.getFactory(), AnswerBuffers.pooled(),
        new AdFragments(mapper.getFactory(), 64L << 20),
        TokenSigner.fromText("rahasia-gerbang-benchmark-yang-panjang"), 86_400);
    context = new AdResponseWriter.Context("0123456789abcdef0123456789abcdef",
        "https://ads.kabarnusantara.example", "nasional", 1, nowSeconds);
  }

  /** Parses a body and writes a response for it, as one ad request does; returns a byte count. */
  public int parseAndWrite(byte[] body, PageDecision decision) {
    AdRequest request = parser.parse(body, Location.UNKNOWN);
    ByteBuf answer = writer.write(context, decision, null);
    int bytes = answer.readableBytes();
    writer.release(answer); // as the server does once the answer is sent
    return bytes + request.request().slots().size();
  }

  /** Plain Jackson: the body to a tree and back to bytes, twice (in and out). */
  public int baseline(byte[] body) {
    try {
      JsonNode tree = mapper.readTree(body);
      return mapper.writeValueAsBytes(tree).length + mapper.writeValueAsBytes(tree).length;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
