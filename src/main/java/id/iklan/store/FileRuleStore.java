package id.iklan.store;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import id.iklan.rules.InvalidRulesException;
import id.iklan.rules.RuleSet;
import id.iklan.rules.RuleSetReader;
import java.io.IOException;
import java.nio.ByteBuffer;
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
import java.util.Optional;
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
 * newest good version is served, so the server never starts with half a rule set. A new version
 * never reuses a number, even that of a damaged file.
 *
 * <p>Each file starts with a small header (version, time, action, campaign count, changes) before
 * the rules, so the history can be listed by reading headers only. The newest
 * {@code historyDepth} versions are kept; older files are deleted after each save.
 */
public final class FileRuleStore implements RuleStore {
  private static final Pattern VERSION_FILE = Pattern.compile("v(\\d{10})\\.json");

  private final Path directory;
  private final ObjectMapper mapper;
  /** Reads one member in the middle of a header, so what follows it is not an error. */
  private final ObjectReader changesReader;
  private final RuleSetReader reader;
  private final Clock clock;
  private final int historyDepth;
  private final Consumer<String> warnings;
  private volatile RuleVersion current;
  private final List<VersionSummary> history = new ArrayList<>();
  private long highestVersion;

  private FileRuleStore(Path directory, ObjectMapper mapper, RuleSetReader reader, Clock clock,
      int historyDepth, Consumer<String> warnings) {
    this.directory = directory;
    this.mapper = mapper;
    this.changesReader = mapper.readerFor(Changes.class)
        .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    this.reader = reader;
    this.clock = clock;
    this.historyDepth = historyDepth;
    this.warnings = warnings;
  }

  /** Reads the initial rules of an empty store. */
  @FunctionalInterface
  public interface Seed {
    JsonNode read() throws IOException;
  }

  /**
   * Opens the store in {@code dataDir}, seeding version 1 from {@code seed} when the store holds
   * no good version yet.
   *
   * @param seed supplies the initial rule document (e.g. the shipped demo rules), or null for
   *     none; asked only when the store is empty
   * @param historyDepth how many versions to keep, at least 1
   * @param warnings receives one line for each stored file that could not be used
   */
  public static FileRuleStore open(Path dataDir, ObjectMapper mapper, RuleSetReader reader,
      Clock clock, Seed seed, int historyDepth, Consumer<String> warnings)
      throws IOException, InvalidRulesException {
    if (historyDepth < 1) {
      throw new IllegalArgumentException("historyDepth must be at least 1");
    }
    Path directory = dataDir.resolve("rules");
    Files.createDirectories(directory);
    FileRuleStore store =
        new FileRuleStore(directory, mapper, reader, clock, historyDepth, warnings);
    for (Path file : store.versionFiles()) {
      long version = versionOf(file);
      store.highestVersion = Math.max(store.highestVersion, version);
      if (store.current == null) {
        try {
          RuleVersion loaded = store.readVersion(file);
          store.current = loaded;
          store.history.add(store.readSummary(file));
        } catch (IOException | RuntimeException | InvalidRulesException e) {
          warnings.accept("rule version file " + file + " is unreadable and was skipped ("
              + e.getMessage() + "); serving the newest good version instead");
        }
      } else {
        try {
          store.history.add(store.readSummary(file));
        } catch (IOException | RuntimeException e) {
          warnings.accept("rule version file " + file + " is unreadable and cannot be restored ("
              + e.getMessage() + ")");
        }
      }
    }
    if (store.current == null) {
      JsonNode seedDocument = seed == null ? null : seed.read();
      JsonNode document = seedDocument != null ? seedDocument
          : mapper.createObjectNode().set("campaigns", mapper.createArrayNode());
      RuleSet rules = reader.read(document);
      try {
        store.save(document, rules, ANY_VERSION, "initial", Changes.between(RuleSet.EMPTY, rules));
      } catch (VersionConflictException e) {
        throw new IllegalStateException("an unconditional save cannot conflict", e);
      }
    }
    return store;
  }

  /** Opens with the default history depth of 50 versions. */
  public static FileRuleStore open(Path dataDir, ObjectMapper mapper, RuleSetReader reader,
      Clock clock, Seed seed, Consumer<String> warnings) throws IOException, InvalidRulesException {
    return open(dataDir, mapper, reader, clock, seed, 50, warnings);
  }

  @Override
  public RuleVersion current() {
    return current;
  }

  @Override
  public synchronized RuleVersion save(JsonNode document, RuleSet rules, long expectedVersion,
      String action, Changes changes) throws IOException, VersionConflictException {
    if (expectedVersion != ANY_VERSION && (current == null || current.version() != expectedVersion)) {
      throw new VersionConflictException(expectedVersion, current == null ? 0 : current.version());
    }
    long version = highestVersion + 1;
    Instant savedAt = clock.instant();
    VersionSummary summary =
        new VersionSummary(version, savedAt, action, rules.campaigns().size(), changes);
    ObjectNode stored = mapper.createObjectNode();
    stored.put("version", version);
    stored.put("savedAt", savedAt.toString());
    stored.put("action", action);
    stored.put("campaignCount", summary.campaigns());
    stored.set("changes", mapper.valueToTree(changes));
    stored.set("rules", document);
    Path target = fileOf(version);
    Path temp = directory.resolve(target.getFileName() + ".tmp");
    try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(mapper.writeValueAsBytes(stored));
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
    history.add(0, summary);
    prune();
    return saved;
  }

  @Override
  public synchronized List<VersionSummary> history() {
    return List.copyOf(history);
  }

  @Override
  public Optional<RuleVersion> version(long version) throws IOException {
    RuleVersion now = current;
    if (now != null && now.version() == version) {
      return Optional.of(now);
    }
    Path file = fileOf(version);
    if (version < 1 || !Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(readVersion(file));
    } catch (InvalidRulesException | RuntimeException e) {
      throw new IOException("version " + version + " is stored but unreadable: " + e.getMessage(),
          e);
    }
  }

  private void prune() {
    while (history.size() > historyDepth) {
      VersionSummary oldest = history.remove(history.size() - 1);
      try {
        Files.deleteIfExists(fileOf(oldest.version()));
      } catch (IOException e) {
        warnings.accept("could not delete old rule version " + oldest.version() + ": "
            + e.getMessage());
      }
    }
  }

  private RuleVersion readVersion(Path file) throws IOException, InvalidRulesException {
    JsonNode stored = mapper.readTree(Files.readAllBytes(file));
    JsonNode document = stored.get("rules");
    if (document == null) {
      throw new IOException("no rules in the file");
    }
    Instant savedAt = Instant.parse(stored.get("savedAt").asText());
    return new RuleVersion(versionOf(file), savedAt, document, reader.read(document));
  }

  /** Reads the header fields only; they come before the rules. */
  private VersionSummary readSummary(Path file) throws IOException {
    Instant savedAt = null;
    String action = "unknown";
    int campaigns = 0;
    Changes changes = Changes.NONE;
    try (JsonParser parser = mapper.createParser(file.toFile())) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("not a JSON object");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        parser.nextToken();
        switch (name) {
          case "savedAt" -> savedAt = Instant.parse(parser.getText());
          case "action" -> action = parser.getText();
          case "campaignCount" -> campaigns = parser.getIntValue();
          case "changes" -> changes = changesReader.readValue(parser);
          case "rules" -> {
            if (savedAt == null) {
              throw new IOException("no savedAt before the rules");
            }
            return new VersionSummary(versionOf(file), savedAt, action, campaigns, changes);
          }
          default -> parser.skipChildren();
        }
      }
    }
    throw new IOException("no rules in the file");
  }

  private Path fileOf(long version) {
    return directory.resolve(String.format("v%010d.json", version));
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
