package id.iklan.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The client's address: socket peer, or X-Forwarded-For read through trusted proxies only. */
final class ClientAddressTest {
  private static final IpRanges PROXIES = IpRanges.parse(List.of("10.0.0.0/8", "192.0.2.10"));

  private static String client(String peer, String... forwardedFor) {
    InetAddress address = ClientAddress.of(peer, List.of(forwardedFor), PROXIES);
    return address == null ? null : address.getHostAddress();
  }

  @Test void of_peerNotATrustedProxy_isThePeerAndForwardedForIsIgnored() {
    assertThat(client("203.0.113.7", "198.51.100.1")).isEqualTo("203.0.113.7");
  }

  @Test void of_noForwardedFor_isThePeer() {
    assertThat(client("10.1.1.1")).isEqualTo("10.1.1.1");
  }

  @Test void of_trustedProxyPeer_takesTheRightMostEntry() {
    assertThat(client("10.1.1.1", "203.0.113.7")).isEqualTo("203.0.113.7");
  }

  @Test void of_chainOfTrustedProxies_takesTheFirstUntrustedFromTheRight() {
    assertThat(client("10.1.1.1", "203.0.113.7, 192.0.2.10, 10.2.2.2")).isEqualTo("203.0.113.7");
  }

  @Test void of_clientSpoofsForwardedFor_spoofedEntriesLeftOfTheClientAreIgnored() {
    // the reader sent "X-Forwarded-For: 198.51.100.1"; the trusted proxy appended the real peer
    assertThat(client("10.1.1.1", "198.51.100.1, 203.0.113.7")).isEqualTo("203.0.113.7");
  }

  @Test void of_severalHeaders_areOneListInOrder() {
    assertThat(client("10.1.1.1", "198.51.100.1", "203.0.113.7, 10.3.3.3"))
        .isEqualTo("203.0.113.7");
  }

  @Test void of_everyEntryATrustedProxy_isTheLeftMost() {
    assertThat(client("10.1.1.1", "10.5.5.5, 10.6.6.6")).isEqualTo("10.5.5.5");
  }

  @Test void of_malformedEntry_isUnknown() {
    assertThat(client("10.1.1.1", "203.0.113.7, unknown")).isNull();
    assertThat(client("10.1.1.1", "localhost")).isNull();
  }

  @Test void of_entriesWithPorts_areRead() {
    assertThat(client("10.1.1.1", "203.0.113.7:51234")).isEqualTo("203.0.113.7");
    assertThat(client("10.1.1.1", "[2001:db8::1]:443")).isEqualTo("2001:db8:0:0:0:0:0:1");
  }

  @Test void of_emptyEntries_areSkipped() {
    assertThat(client("10.1.1.1", " , 203.0.113.7 ,")).isEqualTo("203.0.113.7");
  }

  @Test void of_noPeer_isUnknown() {
    assertThat(client(null, "203.0.113.7")).isNull();
  }

  @Test void of_noTrustedProxies_neverReadsForwardedFor() {
    assertThat(ClientAddress.of("10.1.1.1", List.of("203.0.113.7"), IpRanges.NONE)
        .getHostAddress()).isEqualTo("10.1.1.1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.4:", "1.2.3.4:x",
      "example.com", "localhost", "[::1", "::1%eth0", "1.2.3.-4", "[1.2.3.4]x"})
  void parse_notAnAddressLiteral_isNull(String text) {
    assertThat(IpAddresses.parse(text)).isNull();
  }

  @Test void parse_addressLiterals_areRead() {
    assertThat(IpAddresses.parse(" 203.0.113.7 ").getHostAddress()).isEqualTo("203.0.113.7");
    assertThat(IpAddresses.parse("0.0.0.0").getHostAddress()).isEqualTo("0.0.0.0");
    assertThat(IpAddresses.parse("2001:DB8::1").getHostAddress())
        .isEqualTo("2001:db8:0:0:0:0:0:1");
    assertThat(IpAddresses.parse("[::1]").getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
    assertThat(IpAddresses.parse("::ffff:203.0.113.7").getHostAddress()).isEqualTo("203.0.113.7");
  }

  @Test void ipRanges_cidrAndSingleAddresses_match() {
    IpRanges ranges = IpRanges.parse(List.of("10.0.0.0/8", "192.0.2.10", "2001:db8::/32",
        "172.16.0.0/12"));

    assertThat(ranges.contains(IpAddresses.parse("10.255.0.1"))).isTrue();
    assertThat(ranges.contains(IpAddresses.parse("11.0.0.1"))).isFalse();
    assertThat(ranges.contains(IpAddresses.parse("192.0.2.10"))).isTrue();
    assertThat(ranges.contains(IpAddresses.parse("192.0.2.11"))).isFalse();
    assertThat(ranges.contains(IpAddresses.parse("172.31.255.255"))).isTrue();
    assertThat(ranges.contains(IpAddresses.parse("172.32.0.0"))).isFalse();
    assertThat(ranges.contains(IpAddresses.parse("2001:db8:ffff::1"))).isTrue();
    assertThat(ranges.contains(IpAddresses.parse("2001:db9::1"))).isFalse();
  }

  @Test void ipRanges_badEntry_isRefusedNamingIt() {
    assertThatThrownBy(() -> IpRanges.parse(List.of("10.0.0.0/8", "proxy.internal")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("proxy.internal");
    assertThatThrownBy(() -> IpRanges.parse(List.of("10.0.0.0/33")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 to 32");
  }
}
