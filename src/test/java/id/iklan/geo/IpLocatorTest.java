package id.iklan.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import id.iklan.selection.Location;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Look-ups in a MaxMind DB written by the test itself ({@link GeoFixture}). */
final class IpLocatorTest {
  @TempDir Path dir;

  private IpLocator open(int ipVersion) throws IOException {
    return IpLocator.open(GeoFixture.write(dir.resolve("geo-v" + ipVersion + ".mmdb"), ipVersion),
        1_000);
  }

  private static Location at(IpLocator locator, String ip) {
    return locator.locate(IpAddresses.parse(ip));
  }

  @ParameterizedTest(name = "IPv{0} database")
  @ValueSource(ints = {4, 6})
  void locate_addressInACityRecord_givesCountryRegionAndCity(int ipVersion) throws IOException {
    try (IpLocator locator = open(ipVersion)) {
      assertThat(at(locator, "203.0.113.7").keys())
          .containsExactly("ID", "ID-JB", "ID-JB/bandung");
      assertThat(at(locator, "203.0.113.255").keys())
          .containsExactly("ID", "ID-JB", "ID-JB/bandung");
    }
  }

  @ParameterizedTest(name = "IPv{0} database")
  @ValueSource(ints = {4, 6})
  void locate_countryOnlyRecord_givesTheCountry(int ipVersion) throws IOException {
    try (IpLocator locator = open(ipVersion)) {
      assertThat(at(locator, "198.51.100.1").keys()).containsExactly("ID");
    }
  }

  @ParameterizedTest(name = "IPv{0} database")
  @ValueSource(ints = {4, 6})
  void locate_addressWithoutRecord_isUnknown(int ipVersion) throws IOException {
    try (IpLocator locator = open(ipVersion)) {
      assertThat(at(locator, "192.0.2.200")).isEqualTo(Location.UNKNOWN);
      assertThat(at(locator, "10.1.2.3")).isEqualTo(Location.UNKNOWN);
      assertThat(locator.locate(null)).isEqualTo(Location.UNKNOWN);
    }
  }

  @Test void locate_cityNameOnlyInAnotherLanguage_stopsAtTheRegion() throws IOException {
    try (IpLocator locator = open(4)) {
      assertThat(at(locator, "192.0.2.1").keys()).containsExactly("MY", "MY-14");
    }
  }

  @Test void locate_ipv6AddressInIpv6Database_isFound() throws IOException {
    try (IpLocator locator = open(6)) {
      assertThat(at(locator, "2001:db8:1:2::1").keys())
          .containsExactly("ID", "ID-BA", "ID-BA/denpasar");
      assertThat(at(locator, "2001:db8:2::1")).isEqualTo(Location.UNKNOWN);
    }
  }

  @Test void locate_ipv6AddressInIpv4Database_isUnknown() throws IOException {
    try (IpLocator locator = open(4)) {
      assertThat(at(locator, "2001:db8:1::1")).isEqualTo(Location.UNKNOWN);
    }
  }

  @Test void locate_sameAddressAgain_isServedFromTheCache() throws IOException {
    try (IpLocator locator = open(4)) {
      InetAddress address = IpAddresses.parse("203.0.113.7");
      locator.locate(address);
      locator.locate(address);
      locator.locate(IpAddresses.parse("203.0.113.7"));

      assertThat(locator.stats().missCount()).isEqualTo(1);
      assertThat(locator.stats().hitCount()).isEqualTo(2);
    }
  }

  @Test void open_metadata_isReadFromTheFile() throws IOException {
    try (IpLocator locator = open(6)) {
      assertThat(locator.metadata().databaseType()).isEqualTo("Iklan-Test-City");
      assertThat(locator.metadata().ipVersion()).isEqualTo(6);
    }
  }

  @Test void open_missingFile_failsNamingIt() {
    Path missing = dir.resolve("GeoLite2-City.mmdb");

    assertThatThrownBy(() -> IpLocator.open(missing, 10))
        .isInstanceOf(IOException.class).hasMessageContaining(missing.toString());
  }

  @Test void open_fileThatIsNoDatabase_failsNamingIt() throws IOException {
    Path file = Files.writeString(dir.resolve("bukan.mmdb"), "bukan basis data");

    assertThatThrownBy(() -> IpLocator.open(file, 10))
        .isInstanceOf(IOException.class).hasMessageContaining("is not a MaxMind DB");
  }
}
