package id.iklan.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import id.iklan.rules.InvalidRulesException;
import id.iklan.rules.RuleSet;
import id.iklan.rules.RuleSetReader;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Rule versions as files in {@code <data-dir>/rules/}, one per version ({@code v0000000042.json}).
 *
 * <p>A version is durable before {@link #save} returns: it is written to a temporary file, forced
 * to disk, renamed atomically into place, and the directory is forced too, so a crash leaves
 * either the old set of versions or the new one, never half a file under a version name. On
 * open, versions are read newest first; a torn or invalid file is reported and skipped, and the
 * newest good version is served, so the server never starts with half a rule set.
 */
public final class FileRuleStore implements RuleStore {
  private static final Pattern VERSION_FILE = Pattern.compile("v(\\d{10})\\.json");

  private final Path directory;
  private final ObjectMapper mapper;
  private final Clock clock;
  private volatile RuleVersion current;
  private long highestVersion;

  private FileRuleStore(Path directory, ObjectMapper mapper, Clock clock) {
    this.directory = directory;
    this.mapper = mapper;
    this.clock = clock;
  }

  /**
   * Opens the store in {@code dataDir}, seeding version 1 from {@code seed} when the store holds
   * no good version yet.
   *
   * @param seed supplies the initial rule document (e.g. the shipped demo rules), or null for
   *     none; asked only when the store is empty
   * @param warnings receives one line for each stored file that could not be used
   */
  public static FileRuleStore open(Path dataDir, ObjectMapper mapper, RuleSetReader reader,
      Clock clock, Seed seed, Consumer<String> warnings)
      throws IOException, InvalidRulesException {
    Path directory = dataDir.resolve("rules");
    Files.createDirectories(directory);
    FileRuleStore store = new FileRuleStore(directory, mapper, clock);
    List<Path> files = store.versionFiles();
    for (Path file : files) {
      long version = versionOf(file);
      store.highestVersion = Math.max(store.highestVersion, version);
      if (store.current != null) {
        continue;
      }
      try {
        JsonNode stored = mapper.readTree(Files.readAllBytes(file));
        JsonNode document = stored.get("rules");
        Instant savedAt = Instant.parse(stored.get("savedAt").asText());
        store.current = new RuleVersion(version, savedAt, document, reader.read(document));
      } catch (IOException | RuntimeException | InvalidRulesException e) {
        warnings.accept("rule version file " + file + " is unreadable and was skipped ("
            + e.getMessage() + "); serving the newest good version instead");
      }
    }
    if (store.current == null) {
      JsonNode seedDocument = seed == null ? null : seed.read();
      JsonNode document = seedDocument != null ? seedDocument
          : mapper.createObjectNode().set("campaigns", mapper.createArrayNode());
      store.save(document, reader.read(document));
    }
    return store;
  }

  /** Reads the initial rules of an empty store. */
  @FunctionalInterface
  public interface Seed {
    JsonNode read() throws IOException;
  }

  @Override
  public RuleVersion current() {
    return current;
  }

  @Override
  public synchronized RuleVersion save(JsonNode document, RuleSet rules) throws IOException {
    long version = highestVersion + 1;
    Instant savedAt = clock.instant();
    ObjectNode stored = mapper.createObjectNode();
    stored.put("version", version);
    stored.put("savedAt", savedAt.toString());
    stored.set("rules", document);
    byte[] bytes = mapper.writeValueAsBytes(stored);
    Path target = directory.resolve(String.format("v%010d.json", version));
    Path temp = directory.resolve(target.getFileName() + ".tmp");
    try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      var buffer = java.nio.ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
    }
    forceDirectory();
    highestVersion = version;
    RuleVersion saved = new RuleVersion(version, savedAt, document, rules);
    current = saved;
    return saved;
  }

  private void forceDirectory() {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException e) {
      // Some file systems cannot open a directory for syncing; the rename is still atomic.
    }
  }

  private List<Path> versionFiles() throws IOException {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> list = Files.list(directory)) {
      list.filter(p -> VERSION_FILE.matcher(p.getFileName().toString()).matches())
          .forEach(files::add);
    }
    files.sort(Comparator.comparingLong(FileRuleStore::versionOf).reversed());
    return files;
  }

  private static long versionOf(Path file) {
    Matcher m = VERSION_FILE.matcher(file.getFileName().toString());
    if (!m.matches()) {
      throw new IllegalArgumentException(file.toString());
    }
    return Long.parseLong(m.group(1));
  }

  @Override
  public void close() {
    // nothing held open between calls
  }
}
