package id.iklan;

import id.iklan.config.ConfigException;
import id.iklan.config.ConfigLoader;
import id.iklan.config.IklanConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar target/iklan.jar [--config FILE] [--port N] [--data-dir DIR]}. Without
 * {@code --config}, {@code ./config/iklan.json} is used when present, else the copy shipped in
 * the jar.
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);
  private static final String USAGE = """
      usage: java -jar iklan.jar [--config FILE] [--port N] [--data-dir DIR]
        --config FILE    configuration file (default: config/iklan.json, else built-in)
        --port N         HTTP port; 0 picks a free port (default 8080)
        --data-dir DIR   where rule versions, secrets and counters are kept (default ./data)
      environment: IKLAN_ADMIN_TOKEN, IKLAN_SECRET override the configured secrets;
        IKLAN_POSTGRES_URL, IKLAN_REDIS_URL share rules and counters between servers
        (docs/deployment.md)""";

  private Main() {}

  public static void main(String[] args) {
    long started = System.nanoTime();
    IklanConfig config;
    try {
      config = configure(args);
    } catch (ConfigException | IllegalArgumentException e) {
      System.err.println("iklan: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    IklanServer server;
    try {
      server = IklanServer.start(config);
    } catch (Exception e) {
      LOG.error("iklan could not start: {}", e.getMessage());
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("shutting down");
      server.close();
    }, "iklan-shutdown"));
    LOG.info("Iklan listening on port {} (started in {} ms); demo page: http://localhost:{}/demo/",
        server.port(), (System.nanoTime() - started) / 1_000_000, server.port());
  }

  static IklanConfig configure(String[] args) throws ConfigException {
    Path configFile = null;
    Integer port = null;
    Path dataDir = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--config" -> configFile = Path.of(value(args, ++i, arg));
        case "--port" -> {
          String text = value(args, ++i, arg);
          try {
            port = Integer.parseInt(text);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--port must be a number, got " + text);
          }
          if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("--port must be 0..65535, got " + text);
          }
        }
        case "--data-dir" -> dataDir = Path.of(value(args, ++i, arg));
        case "--help", "-h" -> {
          System.out.println(USAGE);
          System.exit(0);
        }
        default -> throw new IllegalArgumentException("unknown option " + arg);
      }
    }
    ConfigLoader loader = new ConfigLoader(JsonMapper.create());
    Path local = Path.of("config", "iklan.json");
    IklanConfig config;
    if (configFile != null) {
      config = loader.load(configFile);
    } else if (Files.isRegularFile(local)) {
      config = loader.load(local);
    } else {
      config = loader.loadShippedDefaults();
    }
    if (port != null) {
      config = config.withPort(port);
    }
    if (dataDir != null) {
      config = config.withDataDir(dataDir);
    }
    return config;
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }
}
