package id.iklan.geo;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Reads IP address literals without ever asking DNS: {@link InetAddress#getByName} looks up any
 * string that is not an address literal, and a header value is whatever a client wrote.
 */
public final class IpAddresses {
  private IpAddresses() {}

  /**
   * The address a literal names, or {@code null} when it is not one. Accepts IPv4 dotted quads
   * ({@code 203.0.113.7}), IPv6 ({@code 2001:db8::1}, also in brackets), either with a port as
   * proxies sometimes write them ({@code 203.0.113.7:51234}, {@code [2001:db8::1]:443}). An
   * IPv4-mapped IPv6 address ({@code ::ffff:203.0.113.7}) is read as the IPv4 address.
   */
  public static InetAddress parse(String literal) {
    if (literal == null) {
      return null;
    }
    String s = literal.strip();
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0) {
        return null;
      }
      String rest = s.substring(close + 1);
      if (!rest.isEmpty() && !isPort(rest)) {
        return null;
      }
      return ipv6(s.substring(1, close));
    }
    int colon = s.indexOf(':');
    if (colon < 0) {
      return ipv4(s);
    }
    if (s.indexOf(':', colon + 1) < 0) { // one colon: IPv4 with a port
      return isPort(s.substring(colon)) ? ipv4(s.substring(0, colon)) : null;
    }
    return ipv6(s);
  }

  private static boolean isPort(String s) {
    if (s.length() < 2 || s.length() > 6 || s.charAt(0) != ':') {
      return false;
    }
    for (int i = 1; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /** Strictly four decimal parts of 0 to 255, without leading zeros (no octal surprises). */
  private static InetAddress ipv4(String s) {
    byte[] bytes = new byte[4];
    int part = 0;
    int value = -1;
    int digits = 0;
    for (int i = 0; i <= s.length(); i++) {
      char c = i < s.length() ? s.charAt(i) : '.';
      if (c >= '0' && c <= '9') {
        if (digits > 0 && value == 0) {
          return null; // leading zero
        }
        value = (value < 0 ? 0 : value * 10) + (c - '0');
        if (++digits > 3 || value > 255) {
          return null;
        }
      } else if (c == '.') {
        if (digits == 0 || part == 4) {
          return null;
        }
        bytes[part++] = (byte) value;
        value = -1;
        digits = 0;
      } else {
        return null;
      }
    }
    if (part != 4) {
      return null;
    }
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      return null; // four bytes are always an address
    }
  }

  /** With a colon in it the JDK parses the text as an IPv6 literal and never looks it up. */
  private static InetAddress ipv6(String s) {
    if (s.isEmpty() || s.length() > 45 || s.indexOf(':') < 0) {
      return null;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
          || c == ':' || c == '.';
      if (!ok) {
        return null; // also refuses zone ids (%eth0): they name this host's interfaces
      }
    }
    try {
      return InetAddress.getByName(s);
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
