package id.iklan.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import id.iklan.rules.InvalidRulesException;
import id.iklan.rules.RuleSet;
import id.iklan.rules.RuleSetReader;
import id.iklan.shared.Health;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Rule versions on PostgreSQL, shared by every server of a deployment (SPEC §8), with the
 * guarantees of {@link FileRuleStore}: numbered versions that are never reused, a history of the
 * newest {@code historyDepth}, restore, and a conditional save that fails with
 * {@link VersionConflictException} when another writer, on any server, got there first.
 *
 * <h2>Schema</h2>
 * Created and migrated by the server on start ({@link #MIGRATIONS}, recorded in
 * {@code iklan_schema}), inside a transaction that holds an advisory lock, so servers starting
 * together migrate once. {@code iklan_rule_versions} holds one row per version: the document as
 * ad ops wrote it (JSON text, handed back unchanged), the summary of the history, and the
 * changes. {@code iklan_rule_head} is one row naming the newest version: a save locks it
 * ({@code SELECT … FOR UPDATE}), so conditional saves from several servers are serialised and
 * exactly one of two racing writers wins. The save and a {@code NOTIFY iklan_rules} of the new
 * number commit together: followers hear of a version only once it is durable.
 *
 * <h2>Blocking</h2>
 * Like every {@link RuleStore}, this one is blocking: it runs the reactive client's futures and
 * waits for them (at most {@code timeout}) on the caller's thread, which is never an event loop.
 * A PostgreSQL that cannot be reached or does not answer in time is a
 * {@link StoreUnavailableException}; {@link #current()} then still answers the last version
 * this server loaded, so ad requests are served on.
 */
public final class PgRuleStore implements RuleStore {
  /** The LISTEN/NOTIFY channel of new versions; the payload is the version number. */
  public static final String CHANNEL = "iklan_rules";
  /** Key of the advisory lock taken while migrating and seeding. */
  private static final long MIGRATION_LOCK = 0x1c1a_0001L;
  private static final long TIMEOUT_MS = 5_000;
  /** Starting waits longer: servers started together queue on the migration lock. */
  private static final long START_TIMEOUT_MS = 30_000;

  /** Schema migrations, applied in order; never edit one that has shipped, add the next. */
  static final List<String> MIGRATIONS = List.of("""
      CREATE TABLE iklan_rule_versions (
        version        bigint      PRIMARY KEY,
        saved_at       timestamptz NOT NULL,
        action         text        NOT NULL,
        campaign_count integer     NOT NULL,
        changes        text        NOT NULL,
        document       text        NOT NULL
      );
      CREATE TABLE iklan_rule_head (
        id      integer PRIMARY KEY CHECK (id = 1),
        version bigint  NOT NULL
      );
      CREATE TABLE iklan_secrets (
        name  text PRIMARY KEY,
        value text NOT NULL
      )
      """);

  private final Pool pool;
  private final ObjectMapper mapper;
  private final RuleSetReader reader;
  private final Clock clock;
  private final int historyDepth;
  private final Consumer<String> warnings;
  private final Health.Dependency health;
  private volatile RuleVersion current;
  /** The newest stored version that this server could not read, so it is not retried. */
  private volatile long unreadable = -1;

  private PgRuleStore(Pool pool, ObjectMapper mapper, RuleSetReader reader, Clock clock,
      int historyDepth, Consumer<String> warnings, Health.Dependency health) {
    this.pool = pool;
    this.mapper = mapper;
    this.reader = reader;
    this.clock = clock;
    this.historyDepth = historyDepth;
    this.warnings = warnings;
    this.health = health;
  }

  /** Connection options of a {@code postgresql://user@host:port/database} URL. */
  public static PgConnectOptions options(String url) {
    PgConnectOptions options = PgConnectOptions.fromUri(url.replaceFirst("^postgres://",
        "postgresql://"));
    options.setReconnectAttempts(0);
    return options;
  }

  /**
   * Connects, creates or migrates the schema, seeds version 1 from {@code seed} when the store
   * holds no version yet (once, whichever server starts first), and loads the newest good
   * version. Blocking.
   *
   * @throws StoreUnavailableException when PostgreSQL cannot be reached: a server does not start
   *     without any rules
   */
  public static PgRuleStore open(Vertx vertx, String url, ObjectMapper mapper,
      RuleSetReader reader, Clock clock, FileRuleStore.Seed seed, int historyDepth,
      Consumer<String> warnings, Health.Dependency health)
      throws IOException, InvalidRulesException {
    if (historyDepth < 1) {
      throw new IllegalArgumentException("historyDepth must be at least 1");
    }
    Pool pool = PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(4).setMaxWaitQueueSize(64)
            .setConnectionTimeout(3).setConnectionTimeoutUnit(TimeUnit.SECONDS))
        .with(new NetClientOptions().setConnectTimeout(2_000).setTcpKeepAlive(true))
        .connectingTo(options(url))
        .using(vertx)
        .build();
    PgRuleStore store =
        new PgRuleStore(pool, mapper, reader, clock, historyDepth, warnings, health);
    try {
      store.migrate();
      store.seed(seed);
      store.loadNewestGood();
      return store;
    } catch (IOException | InvalidRulesException | RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  private void migrate() throws IOException {
    call(pool.withTransaction(conn -> conn
        .query("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK + ")").execute()
        .compose(v -> conn.query("SELECT to_regclass('iklan_schema') IS NULL").execute())
        .compose(missing -> missing.iterator().next().getBoolean(0)
            ? conn.query("CREATE TABLE iklan_schema (version integer PRIMARY KEY, "
                + "applied_at timestamptz NOT NULL DEFAULT now())").execute()
            : Future.succeededFuture())
        .compose(v -> conn.query("SELECT coalesce(max(version), 0) FROM iklan_schema").execute())
        .compose(rows -> applyFrom(conn, rows.iterator().next().getInteger(0)))), "migrate",
        START_TIMEOUT_MS);
  }

  private static Future<Void> applyFrom(SqlConnection conn, int applied) {
    Future<Void> chain = Future.succeededFuture();
    for (int i = applied; i < MIGRATIONS.size(); i++) {
      int number = i + 1;
      String sql = MIGRATIONS.get(i);
      chain = chain.compose(v -> conn.query(sql).execute())
          .compose(v -> conn.preparedQuery("INSERT INTO iklan_schema (version) VALUES ($1)")
              .execute(Tuple.of(number)))
          .mapEmpty();
    }
    return chain;
  }

  private void seed(FileRuleStore.Seed seed) throws IOException, InvalidRulesException {
    if (headVersion() > 0) {
      return;
    }
    JsonNode seedDocument = seed == null ? null : seed.read();
    JsonNode document = seedDocument != null ? seedDocument
        : mapper.createObjectNode().set("campaigns", mapper.createArrayNode());
    RuleSet rules = reader.read(document);
    Changes changes = Changes.between(RuleSet.EMPTY, rules);
    Instant savedAt = now();
    String changesText = mapper.writeValueAsString(changes);
    String documentText = mapper.writeValueAsString(document);
    call(pool.withTransaction(conn -> conn
        .query("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK + ")").execute()
        .compose(v -> conn.query("SELECT version FROM iklan_rule_head WHERE id = 1").execute())
        .compose(head -> {
          if (head.size() > 0) {
            return Future.succeededFuture(); // another server seeded first
          }
          return conn.preparedQuery("INSERT INTO iklan_rule_versions VALUES ($1, $2, $3, $4, $5, $6)")
              .execute(Tuple.of(1L, OffsetDateTime.ofInstant(savedAt, ZoneOffset.UTC), "initial",
                  rules.campaigns().size(), changesText, documentText))
              .compose(v -> conn.query("INSERT INTO iklan_rule_head VALUES (1, 1)").execute())
              .compose(v -> conn.query("SELECT pg_notify('" + CHANNEL + "', '1')").execute())
              .mapEmpty();
        })), "seed", START_TIMEOUT_MS);
  }

  /** Loads the newest version that reads as valid rules; warns about the ones skipped. */
  private void loadNewestGood() throws IOException {
    RowSet<Row> rows = call(pool.query(
        "SELECT version FROM iklan_rule_versions ORDER BY version DESC").execute(), "list");
    for (Row row : rows) {
      long version = row.getLong(0);
      try {
        current = load(version).orElse(null);
        if (current != null) {
          return;
        }
      } catch (InvalidRulesException | RuntimeException e) {
        unreadable = Math.max(unreadable, version);
        warnings.accept("rule version " + version + " in PostgreSQL is unreadable and was "
            + "skipped (" + e.getMessage() + "); serving the newest good version instead");
      }
    }
    throw new IOException("PostgreSQL holds no readable rule version");
  }

  @Override
  public RuleVersion current() {
    return current;
  }

  @Override
  public RuleVersion refresh() throws IOException {
    long head = headVersion();
    RuleVersion known = current;
    if (head <= known.version() || head == unreadable) {
      return known;
    }
    try {
      Optional<RuleVersion> loaded = load(head);
      if (loaded.isPresent()) {
        synchronized (this) {
          if (current.version() < head) {
            current = loaded.get();
          }
        }
      }
    } catch (InvalidRulesException | RuntimeException e) {
      unreadable = head;
      warnings.accept("rule version " + head + " in PostgreSQL cannot be read by this server ("
          + e.getMessage() + "); it keeps serving version " + known.version());
    }
    return current;
  }

  @Override
  public RuleVersion save(JsonNode document, RuleSet rules, long expectedVersion, String action,
      Changes changes) throws IOException, VersionConflictException {
    Instant savedAt = now();
    String changesText = mapper.writeValueAsString(changes);
    String documentText = mapper.writeValueAsString(document);
    Future<Long> saved = pool.withTransaction(conn -> conn
        .query("SELECT version FROM iklan_rule_head WHERE id = 1 FOR UPDATE").execute()
        .compose(head -> {
          long at = head.iterator().next().getLong(0);
          // A head this server cannot read counts as its newest good version, as a damaged
          // file does in the embedded store: it is never reused, but it does not block writes.
          long newest = at == unreadable ? current.version() : at;
          if (expectedVersion != ANY_VERSION && newest != expectedVersion) {
            return Future.failedFuture(new VersionConflictException(expectedVersion, newest));
          }
          long next = at + 1;
          return conn.preparedQuery(
                  "INSERT INTO iklan_rule_versions VALUES ($1, $2, $3, $4, $5, $6)")
              .execute(Tuple.of(next, OffsetDateTime.ofInstant(savedAt, ZoneOffset.UTC), action,
                  rules.campaigns().size(), changesText, documentText))
              .compose(v -> conn.preparedQuery("UPDATE iklan_rule_head SET version = $1 WHERE id = 1")
                  .execute(Tuple.of(next)))
              .compose(v -> conn.preparedQuery(
                      "DELETE FROM iklan_rule_versions WHERE version <= $1")
                  .execute(Tuple.of(next - historyDepth)))
              .compose(v -> conn.preparedQuery("SELECT pg_notify($1, $2)")
                  .execute(Tuple.of(CHANNEL, Long.toString(next))))
              .map(v -> next);
        }));
    long version;
    try {
      version = awaitOrConflict(saved, "save", TIMEOUT_MS);
    } catch (VersionConflictException e) {
      throw e;
    }
    RuleVersion result = new RuleVersion(version, savedAt, document, rules);
    synchronized (this) {
      if (current.version() < version) {
        current = result;
      }
    }
    return result;
  }

  @Override
  public List<VersionSummary> history() throws IOException {
    RowSet<Row> rows = call(pool.query("SELECT version, saved_at, action, campaign_count, "
        + "changes FROM iklan_rule_versions ORDER BY version DESC").execute(), "history");
    List<VersionSummary> out = new ArrayList<>(rows.size());
    for (Row row : rows) {
      Changes changes;
      try {
        changes = mapper.readValue(row.getString(4), Changes.class);
      } catch (IOException e) {
        changes = Changes.NONE;
      }
      out.add(new VersionSummary(row.getLong(0), row.getOffsetDateTime(1).toInstant(),
          row.getString(2), row.getInteger(3), changes));
    }
    return out;
  }

  @Override
  public Optional<RuleVersion> version(long version) throws IOException {
    RuleVersion now = current;
    if (now != null && now.version() == version) {
      return Optional.of(now);
    }
    if (version < 1) {
      return Optional.empty();
    }
    try {
      return load(version);
    } catch (InvalidRulesException | RuntimeException e) {
      throw new IOException("version " + version + " is stored but unreadable: " + e.getMessage(),
          e);
    }
  }

  /**
   * The value of a secret shared by every server of the deployment: the one stored, or
   * {@code generated} if none is stored yet (the first server to ask stores its own).
   */
  public String sharedSecret(String name) throws IOException {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    String generated = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    RowSet<Row> rows = call(pool.withTransaction(conn -> conn
        .preparedQuery("INSERT INTO iklan_secrets VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
        .execute(Tuple.of(name, generated))
        .compose(v -> conn.preparedQuery("SELECT value FROM iklan_secrets WHERE name = $1")
            .execute(Tuple.of(name)))), "secret");
    return rows.iterator().next().getString(0);
  }

  private Optional<RuleVersion> load(long version) throws IOException, InvalidRulesException {
    RowSet<Row> rows = call(pool.preparedQuery(
            "SELECT saved_at, document FROM iklan_rule_versions WHERE version = $1")
        .execute(Tuple.of(version)), "read version " + version);
    if (rows.size() == 0) {
      return Optional.empty();
    }
    Row row = rows.iterator().next();
    JsonNode document = mapper.readTree(row.getString(1));
    RuleSet rules = reader.read(document);
    return Optional.of(new RuleVersion(version, row.getOffsetDateTime(0).toInstant(), document,
        rules));
  }

  private long headVersion() throws IOException {
    RowSet<Row> head = call(pool.query("SELECT version FROM iklan_rule_head WHERE id = 1")
        .execute(), "read head");
    return head.size() == 0 ? 0 : head.iterator().next().getLong(0);
  }

  /** PostgreSQL keeps microseconds; so does the version this server keeps in memory. */
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  private <T> T call(Future<T> future, String what) throws IOException {
    return call(future, what, TIMEOUT_MS);
  }

  private <T> T call(Future<T> future, String what, long timeoutMs) throws IOException {
    try {
      return awaitOrConflict(future, what, timeoutMs);
    } catch (VersionConflictException e) {
      throw new IllegalStateException(e);
    }
  }

  private <T> T awaitOrConflict(Future<T> future, String what, long timeoutMs)
      throws IOException, VersionConflictException {
    try {
      T value = future.toCompletionStage().toCompletableFuture()
          .get(timeoutMs, TimeUnit.MILLISECONDS);
      health.markUp();
      return value;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof VersionConflictException conflict) {
        health.markUp();
        throw conflict;
      }
      if (cause instanceof PgException pg) {
        health.markUp();
        throw new IOException("PostgreSQL refused to " + what + ": " + pg.getMessage(), pg);
      }
      health.markDown(String.valueOf(cause.getMessage()));
      throw new StoreUnavailableException("the rule store (PostgreSQL) cannot be reached ("
          + what + ": " + cause.getMessage() + ")", cause);
    } catch (TimeoutException e) {
      health.markDown("no answer within " + timeoutMs + " ms");
      throw new StoreUnavailableException("the rule store (PostgreSQL) did not answer within "
          + timeoutMs + " ms (" + what + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException("interrupted while waiting for PostgreSQL", e);
    }
  }

  @Override
  public void close() {
    pool.close();
  }
}
