package id.iklan.geo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The IP database of the tests, in the layout of GeoLite2 City / DB-IP City records (with the
 * members Iklan does not read, such as continent, location and registered_country, so that the
 * decoder must skip them):
 * <ul>
 *   <li>{@code 203.0.113.0/24}: Indonesia, West Java (JB), Bandung;
 *   <li>{@code 198.51.100.0/24}: Indonesia, no subdivision (a country-level record);
 *   <li>{@code 127.0.0.0/8}: Indonesia, Central Java (JT), Semarang: the tests' own socket peer;
 *   <li>{@code 192.0.2.0/25}: Malaysia, Kuala Lumpur (MY-14), with the city name only in German
 *       (so the city is unknown: Iklan reads English names);
 *   <li>in the IPv6 database also {@code 2001:db8:1::/48}: Indonesia, Bali (BA), Denpasar.
 * </ul>
 * Every other address, {@code 192.0.2.200} and {@code 10.0.0.0/8} among them, has no record.
 */
public final class GeoFixture {
  private GeoFixture() {}

  static Map<String, Object> city(String country, String subdivision, String city) {
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("continent", Map.of("code", "AS", "geoname_id", 6_255_147,
        "names", Map.of("en", "Asia", "de", "Asien")));
    record.put("country", Map.of("geoname_id", 1_643_084, "iso_code", country,
        "names", Map.of("en", country.equals("ID") ? "Indonesia" : "Malaysia")));
    record.put("registered_country", Map.of("iso_code", country));
    record.put("location", Map.of("latitude", -6.9, "longitude", 107.6, "accuracy_radius", 20,
        "time_zone", "Asia/Jakarta"));
    if (subdivision != null) {
      record.put("subdivisions", List.of(Map.of("iso_code", subdivision,
          "names", Map.of("en", subdivision))));
    }
    if (city != null) {
      record.put("city", Map.of("geoname_id", 1_650_357, "names", Map.of("en", city)));
    }
    return record;
  }

  /** Writes the fixture database to {@code file}; {@code ipVersion} 4 or 6. */
  public static Path write(Path file, int ipVersion) throws IOException {
    Map<String, Object> kualaLumpur = city("MY", "14", null);
    kualaLumpur.put("city", Map.of("names", Map.of("de", "Kuala Lumpur")));
    MmdbWriter writer = new MmdbWriter(ipVersion, "Iklan-Test-City")
        .insert("203.0.113.0/24", city("ID", "JB", "Bandung"))
        .insert("198.51.100.0/24", city("ID", null, null))
        .insert("127.0.0.0/8", city("ID", "JT", "Semarang"))
        .insert("192.0.2.0/25", kualaLumpur);
    if (ipVersion == 6) {
      writer.insert("2001:db8:1::/48", city("ID", "BA", "Denpasar"));
    }
    writer.write(file);
    return file;
  }
}
