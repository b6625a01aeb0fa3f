package id.iklan.geo;

import java.net.InetAddress;
import java.util.List;

/**
 * Which address a request comes from (SPEC §3.2): the socket peer, unless the peer is one of the
 * configured trusted proxies; then {@code X-Forwarded-For} tells, read from the right.
 *
 * <p>Each proxy appends the address it was connected from, so the right-most entry was written by
 * the peer, the one before it by that proxy, and so on. Only entries written by trusted proxies
 * can be believed: walking from the right, trusted proxies are skipped, and the first address
 * that is not a trusted proxy is the client. Anything to the left of it was written by the
 * client itself (or an untrusted hop) and is ignored, so a reader cannot choose a location by
 * sending {@code X-Forwarded-For}. A malformed entry where an address should be means the chain
 * cannot be read: the client is unknown rather than a guess.
 */
public final class ClientAddress {
  private ClientAddress() {}

  /**
   * @param peer the socket peer's address literal (may be {@code null})
   * @param forwardedFor the {@code X-Forwarded-For} header values, in the order received
   * @param trustedProxies the proxies whose {@code X-Forwarded-For} is believed
   * @return the client's address, or {@code null} when it cannot be told
   */
  public static InetAddress of(String peer, List<String> forwardedFor, IpRanges trustedProxies) {
    InetAddress address = IpAddresses.parse(peer);
    if (address == null || !trustedProxies.contains(address) || forwardedFor.isEmpty()) {
      return address;
    }
    for (int h = forwardedFor.size() - 1; h >= 0; h--) {
      String header = forwardedFor.get(h);
      int end = header.length();
      while (end > 0) {
        int start = header.lastIndexOf(',', end - 1);
        String entry = header.substring(start + 1, end).strip();
        end = Math.max(start, 0);
        if (entry.isEmpty()) {
          continue;
        }
        InetAddress hop = IpAddresses.parse(entry);
        if (hop == null) {
          return null; // "unknown", an obfuscated name, garbage: the chain breaks here
        }
        address = hop;
        if (!trustedProxies.contains(hop)) {
          return hop;
        }
      }
    }
    return address; // every hop was a trusted proxy: the left-most is as far as it goes
  }
}
