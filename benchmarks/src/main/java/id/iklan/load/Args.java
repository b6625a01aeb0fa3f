package id.iklan.load;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * {@code --name value} and {@code --flag} options of the load tools. Every option must be known:
 * a misspelt {@code --durations} silently running the default would waste a benchmark run.
 */
final class Args {
  private final Map<String, String> values = new HashMap<>();
  private final Set<String> flags = new HashSet<>();

  private Args() {}

  /**
   * @param valued options that take a value
   * @param known flags that take none
   */
  static Args parse(String[] args, Set<String> valued, Set<String> known) {
    Args out = new Args();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (valued.contains(arg)) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(arg + " needs a value");
        }
        out.values.put(arg, args[++i]);
      } else if (known.contains(arg)) {
        out.flags.add(arg);
      } else {
        throw new IllegalArgumentException("unknown option " + arg);
      }
    }
    return out;
  }

  boolean has(String name) {
    return flags.contains(name) || values.containsKey(name);
  }

  String text(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  String required(String name) {
    String v = values.get(name);
    if (v == null) {
      throw new IllegalArgumentException(name + " is required");
    }
    return v;
  }

  int integer(String name, int fallback) {
    String v = values.get(name);
    try {
      return v == null ? fallback : Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, got " + v);
    }
  }

  double number(String name, double fallback) {
    String v = values.get(name);
    try {
      return v == null ? fallback : Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number, got " + v);
    }
  }
}
