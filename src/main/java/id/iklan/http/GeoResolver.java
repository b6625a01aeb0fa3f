package id.iklan.http;

import id.iklan.config.IklanConfig.GeoConfig;
import id.iklan.selection.Location;
import io.vertx.core.http.HttpServerRequest;

/**
 * Resolves the reader's location (SPEC §3) from the trusted edge headers a CDN sets. Locations
 * are never taken from the request body. When the headers are not trusted, or absent, the
 * location is unknown (IP look-up is a later step of the chain).
 */
final class GeoResolver {
  private final GeoConfig config;

  GeoResolver(GeoConfig config) {
    this.config = config;
  }

  Location resolve(HttpServerRequest request) {
    if (!config.trustEdgeHeaders()) {
      return Location.UNKNOWN;
    }
    String country = request.getHeader(config.countryHeader());
    String region = request.getHeader(config.regionHeader());
    if (country == null && region == null) {
      return Location.UNKNOWN;
    }
    return Location.of(country, region, request.getHeader(config.cityHeader()));
  }
}
