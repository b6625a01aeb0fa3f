package id.iklan.http;

import id.iklan.config.IklanConfig.GeoConfig;
import id.iklan.geo.ClientAddress;
import id.iklan.geo.IpLocator;
import id.iklan.geo.IpRanges;
import id.iklan.selection.Location;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.util.List;

/**
 * Resolves the reader's location (SPEC §3), in this order: the trusted edge headers a CDN sets;
 * else the client's IP address (the socket peer, or {@code X-Forwarded-For} read through the
 * configured trusted proxies, see {@link ClientAddress}) looked up in the IP database; else
 * unknown. Locations are never taken from the request body.
 */
final class GeoResolver {
  private final GeoConfig config;
  private final IpLocator locator;
  private final IpRanges trustedProxies;

  /** @param locator the IP database, or {@code null} when none is configured */
  GeoResolver(GeoConfig config, IpLocator locator) {
    this.config = config;
    this.locator = locator;
    this.trustedProxies = IpRanges.parse(config.trustedProxies());
  }

  Location resolve(HttpServerRequest request) {
    if (config.trustEdgeHeaders()) {
      String country = request.getHeader(config.countryHeader());
      String region = request.getHeader(config.regionHeader());
      if (country != null || region != null) {
        return Location.of(country, region, request.getHeader(config.cityHeader()));
      }
    }
    if (locator == null) {
      return Location.UNKNOWN;
    }
    SocketAddress peer = request.remoteAddress();
    InetAddress client = ClientAddress.of(peer == null ? null : peer.hostAddress(),
        trustedProxies.isEmpty() ? List.of() : request.headers().getAll("X-Forwarded-For"),
        trustedProxies);
    return locator.locate(client);
  }
}
