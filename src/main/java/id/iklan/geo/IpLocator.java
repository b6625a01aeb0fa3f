package id.iklan.geo;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import com.maxmind.db.CHMCache;
import com.maxmind.db.MaxMindDbConstructor;
import com.maxmind.db.MaxMindDbParameter;
import com.maxmind.db.Metadata;
import com.maxmind.db.Reader;
import id.iklan.selection.Location;
import java.io.Closeable;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where an IP address is, from a MaxMind DB file ({@code .mmdb}): MaxMind GeoLite2 or GeoIP2
 * Country or City, DB-IP Lite or DB-IP Country/City, or any database with the same record layout
 * ({@code country.iso_code}, {@code subdivisions[0].iso_code}, {@code city.names.en}). A country
 * database gives countries only; a city database gives subdivision and city too when it knows
 * them.
 *
 * <p>The database is memory-mapped and read by {@code com.maxmind.db.Reader}, which is
 * thread-safe; a look-up walks the binary search tree and decodes only the three members above.
 * Results, unknown ones included, are kept in a bounded Caffeine cache per address, since a
 * reader asks for ads on every page view. Never blocks on anything but the page cache.
 */
public final class IpLocator implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(IpLocator.class);

  private final Reader reader;
  private final Path file;
  private final boolean ipv4Only;
  private final Cache<InetAddress, Location> cache;

  /** The members of a record Iklan reads; the decoder skips every other one. */
  public record GeoRecord(Named country, List<Named> subdivisions, City city) {
    @MaxMindDbConstructor
    public GeoRecord(@MaxMindDbParameter(name = "country") Named country,
        @MaxMindDbParameter(name = "subdivisions") List<Named> subdivisions,
        @MaxMindDbParameter(name = "city") City city) {
      this.country = country;
      this.subdivisions = subdivisions;
      this.city = city;
    }
  }

  /** A country or subdivision: its ISO code. */
  public record Named(String isoCode) {
    @MaxMindDbConstructor
    public Named(@MaxMindDbParameter(name = "iso_code") String isoCode) {
      this.isoCode = isoCode;
    }
  }

  /** A city: its names by locale. */
  public record City(Map<String, String> names) {
    @MaxMindDbConstructor
    public City(@MaxMindDbParameter(name = "names") Map<String, String> names) {
      this.names = names;
    }
  }

  private IpLocator(Reader reader, Path file, long cacheSize) {
    this.reader = reader;
    this.file = file;
    this.ipv4Only = reader.getMetadata().ipVersion() == 4;
    this.cache = Caffeine.newBuilder()
        .executor(Runnable::run) // maintenance on the caller: see docs/design.md, "Caches"
        .maximumSize(cacheSize).recordStats().build();
  }

  /**
   * Opens a database; fails at once when the file is missing or not a MaxMind DB, so that a
   * misconfigured server does not start and quietly serve every reader as "unknown".
   *
   * @param cacheSize how many addresses to remember
   */
  public static IpLocator open(Path file, long cacheSize) throws IOException {
    requireNonNull(file, "file");
    if (!Files.isRegularFile(file)) {
      throw new IOException("IP database " + file + " does not exist (or is not a file)");
    }
    Reader reader;
    try {
      reader = new Reader(file.toFile(), Reader.FileMode.MEMORY_MAPPED, new CHMCache());
    } catch (IOException | RuntimeException e) {
      throw new IOException("IP database " + file + " is not a MaxMind DB (.mmdb) file: "
          + e.getMessage(), e);
    }
    IpLocator locator = new IpLocator(reader, file, cacheSize);
    Metadata m = reader.getMetadata();
    LOG.info("IP database {}: {} (IPv{}), built {}", file, m.databaseType(), m.ipVersion(),
        m.buildTime());
    return locator;
  }

  /** The location of {@code address}; {@link Location#UNKNOWN} when the database has none. */
  public Location locate(InetAddress address) {
    if (address == null) {
      return Location.UNKNOWN;
    }
    return cache.get(address, this::lookUp);
  }

  private Location lookUp(InetAddress address) {
    if (ipv4Only && address instanceof Inet6Address) {
      return Location.UNKNOWN; // an IPv4 database has no IPv6 networks
    }
    GeoRecord record;
    try {
      record = reader.get(address, GeoRecord.class);
    } catch (IOException | RuntimeException e) {
      LOG.warn("IP database {}: look-up of {} failed: {}", file, address.getHostAddress(),
          e.toString());
      return Location.UNKNOWN;
    }
    if (record == null || record.country() == null) {
      return Location.UNKNOWN;
    }
    String region = null;
    if (record.subdivisions() != null && !record.subdivisions().isEmpty()
        && record.subdivisions().get(0) != null) {
      region = record.subdivisions().get(0).isoCode();
    }
    String city = null;
    if (record.city() != null && record.city().names() != null) {
      city = record.city().names().get("en");
    }
    return Location.of(record.country().isoCode(), region, city);
  }

  /** Hits, misses and evictions of the per-address cache since start. */
  public CacheStats stats() {
    return cache.stats();
  }

  /** Addresses remembered now (an estimate, as Caffeine gives it). */
  public long size() {
    return cache.estimatedSize();
  }

  /** What the database says about itself. */
  public Metadata metadata() {
    return reader.getMetadata();
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
