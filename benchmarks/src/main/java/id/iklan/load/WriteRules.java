package id.iklan.load;

import com.fasterxml.jackson.databind.JsonNode;
import id.iklan.JsonMapper;
import id.iklan.rules.Campaign;
import id.iklan.rules.InvalidRulesException;
import id.iklan.rules.RuleSet;
import id.iklan.rules.RuleSetReader;
import id.iklan.workload.RulesDocument;
import id.iklan.workload.Workload;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;

/**
 * Writes the workload generator's campaigns as a rule file the server loads at start, and proves
 * the file right by reading it back with the server's own reader:
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar id.iklan.load.WriteRules 10000 /tmp/rules-10k.json</pre>
 *
 * Fails (exit 1) when the file does not read back to a rule set equal to the generated one.
 */
public final class WriteRules {
  static final ZoneId ZONE = ZoneId.of("Asia/Jakarta");

  private WriteRules() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: WriteRules <campaigns> <file>");
      System.exit(2);
    }
    int count = Integer.parseInt(args[0]);
    Path file = Path.of(args[1]);
    long started = System.nanoTime();
    RuleSet rules = Workload.standard(42).campaigns(count);
    write(rules, file);
    String problem = verify(rules, file);
    if (problem != null) {
      System.err.println("WriteRules: " + file + " does not read back equal: " + problem);
      System.exit(1);
    }
    System.out.printf("wrote %,d campaigns to %s (%,d bytes) and read them back equal in %d ms%n",
        count, file, Files.size(file), (System.nanoTime() - started) / 1_000_000);
  }

  static void write(RuleSet rules, Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      new RulesDocument(ZONE).write(rules, out);
    }
  }

  /**
   * Reads {@code file} as the server does (its mapper, its reader) and compares with
   * {@code expected}: null when equal, else what differs first.
   */
  static String verify(RuleSet expected, Path file) throws IOException {
    JsonNode tree = JsonMapper.create().readTree(Files.readAllBytes(file));
    RuleSet read;
    try {
      read = new RuleSetReader(ZONE).read(tree);
    } catch (InvalidRulesException e) {
      List<?> problems = e.problems();
      return problems.size() + " problems, first: " + problems.get(0);
    }
    if (read.equals(expected)) {
      return null;
    }
    List<Campaign> a = expected.campaigns();
    List<Campaign> b = read.campaigns();
    if (a.size() != b.size()) {
      return "expected " + a.size() + " campaigns, read " + b.size();
    }
    for (int i = 0; i < a.size(); i++) {
      if (!a.get(i).equals(b.get(i))) {
        return "campaign #" + i + "\n  written: " + a.get(i) + "\n  read:    " + b.get(i);
      }
    }
    return "rule sets differ";
  }
}
