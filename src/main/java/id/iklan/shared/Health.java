package id.iklan.shared;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The shared services a server depends on (PostgreSQL, Redis) and whether each answers now, for
 * {@code GET /health}. Each dependency is marked up or down by the code that talks to it; a
 * change is logged once, not at every failed call. The embedded default has none.
 */
public final class Health {
  private final List<Dependency> dependencies = new CopyOnWriteArrayList<>();
  private final Consumer<String> log;

  public Health(Consumer<String> log) {
    this.log = log;
  }

  /** Registers a dependency; it starts up. */
  public Dependency add(String name) {
    Dependency d = new Dependency(name, log);
    dependencies.add(d);
    return d;
  }

  /** Whether any dependency is down. */
  public boolean degraded() {
    for (Dependency d : dependencies) {
      if (!d.up()) {
        return true;
      }
    }
    return false;
  }

  /** Name to {@code "UP"} or {@code "DOWN"}, in registration order; empty when embedded. */
  public Map<String, String> states() {
    Map<String, String> out = new LinkedHashMap<>();
    for (Dependency d : dependencies) {
      out.put(d.name(), d.up() ? "UP" : "DOWN");
    }
    return out;
  }

  /** One shared service. */
  public static final class Dependency {
    private final String name;
    private final Consumer<String> log;
    private volatile boolean up = true;
    private volatile long downSince;

    private Dependency(String name, Consumer<String> log) {
      this.name = name;
      this.log = log;
    }

    public String name() {
      return name;
    }

    public boolean up() {
      return up;
    }

    /** Since when (epoch ms) it is down, or 0. */
    public long downSince() {
      return up ? 0 : downSince;
    }

    public void markUp() {
      if (!up) {
        synchronized (this) {
          if (!up) {
            up = true;
            log.accept(name + " is reachable again (down for "
                + (System.currentTimeMillis() - downSince) + " ms)");
          }
        }
      }
    }

    public void markDown(String why) {
      if (up) {
        synchronized (this) {
          if (up) {
            downSince = System.currentTimeMillis();
            up = false;
            log.accept(name + " is unreachable: " + why + "; serving on with what this server "
                + "holds (see docs/deployment.md, failure behaviour)");
          }
        }
      }
    }
  }
}
