package id.iklan.geo;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A set of IP addresses and CIDR ranges, such as the proxies and load balancers in front of the
 * server: {@code 10.0.0.0/8}, {@code 192.0.2.10}, {@code 2001:db8::/32}.
 */
public final class IpRanges {
  public static final IpRanges NONE = new IpRanges(List.of(), List.of());

  private final List<String> written;
  private final List<Range> ranges;

  private record Range(byte[] network, int prefix) {
    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int full = prefix / 8;
      for (int i = 0; i < full; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xFF << (8 - rest)) & 0xFF;
      return (address[full] & mask) == (network[full] & mask);
    }
  }

  private IpRanges(List<String> written, List<Range> ranges) {
    this.written = List.copyOf(written);
    this.ranges = List.copyOf(ranges);
  }

  /**
   * Reads addresses and CIDR ranges.
   *
   * @throws IllegalArgumentException naming the first entry that is neither
   */
  public static IpRanges parse(List<String> entries) {
    List<Range> ranges = new ArrayList<>();
    for (String entry : entries) {
      ranges.add(range(entry));
    }
    return new IpRanges(entries, ranges);
  }

  private static Range range(String entry) {
    String problem = "\"" + entry + "\" is neither an IP address nor a CIDR range such as "
        + "10.0.0.0/8 or 2001:db8::/32";
    if (entry == null) {
      throw new IllegalArgumentException("null is not an IP address");
    }
    String s = entry.strip();
    int slash = s.indexOf('/');
    InetAddress address = IpAddresses.parse(slash < 0 ? s : s.substring(0, slash));
    if (address == null || (slash < 0 && s.indexOf(']') >= 0)) {
      throw new IllegalArgumentException(problem);
    }
    byte[] bytes = address.getAddress();
    int prefix = bytes.length * 8;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(s.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(problem);
      }
      if (prefix < 0 || prefix > bytes.length * 8) {
        throw new IllegalArgumentException("\"" + entry + "\": the prefix length must be 0 to "
            + bytes.length * 8);
      }
    }
    return new Range(bytes, prefix);
  }

  public boolean contains(InetAddress address) {
    if (address == null) {
      return false;
    }
    byte[] bytes = address.getAddress();
    for (Range range : ranges) {
      if (range.contains(bytes)) {
        return true;
      }
    }
    return false;
  }

  public boolean isEmpty() {
    return ranges.isEmpty();
  }

  /** The entries as configured. */
  public List<String> entries() {
    return written;
  }

  @Override
  public String toString() {
    return written.toString();
  }
}
