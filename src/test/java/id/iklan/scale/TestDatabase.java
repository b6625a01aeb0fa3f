package id.iklan.scale;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A fresh PostgreSQL database for one test class on the machine's PostgreSQL (127.0.0.1:5432,
 * trust authentication), dropped afterwards. {@link #create} answers null when PostgreSQL is
 * not reachable, so the scale tests are skipped rather than failed on a machine without it.
 */
final class TestDatabase implements AutoCloseable {
  private static final List<String> USERS = List.of("postgres", "root");

  private final String user;
  private final String name;

  private TestDatabase(String user, String name) {
    this.user = user;
    this.name = name;
  }

  static TestDatabase create() {
    for (String user : USERS) {
      String name = "iklan_test_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
      try {
        admin(user, "CREATE DATABASE " + name);
        return new TestDatabase(user, name);
      } catch (Exception e) {
        // try the next user; none works: not reachable
      }
    }
    return null;
  }

  /** {@code postgresql://user@127.0.0.1:5432/iklan_test_…} */
  String url() {
    return "postgresql://" + user + "@127.0.0.1:5432/" + name;
  }

  /** Runs one statement in this database. */
  void execute(String sql) throws Exception {
    run(url(), sql);
  }

  @Override
  public void close() {
    try {
      admin(user, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (Exception e) {
      // left behind; harmless
    }
  }

  private static void admin(String user, String sql) throws Exception {
    run("postgresql://" + user + "@127.0.0.1:5432/postgres", sql);
  }

  private static void run(String url, String sql) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Pool pool = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(url)).using(vertx)
          .build();
      pool.query(sql).execute().toCompletionStage().toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
      pool.close();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
