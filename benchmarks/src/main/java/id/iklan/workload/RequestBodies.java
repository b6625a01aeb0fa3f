package id.iklan.workload;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import id.iklan.rules.Size;
import id.iklan.selection.Location;
import id.iklan.selection.PageRequest;
import id.iklan.selection.Slot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns generated requests into what a page sends: a JSON body and the CDN's geo headers. */
public final class RequestBodies {
  private static final JsonFactory JSON = new JsonFactory();

  private RequestBodies() {}

  /** The {@code POST /v1/ads} body of a request, as the ad tag would send it. */
  public static byte[] json(PageRequest request) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeObjectFieldStart("page");
      g.writeStringField("url", request.page().url());
      if (request.page().section() != null) {
        g.writeStringField("section", request.page().section());
      }
      g.writeArrayFieldStart("keywords");
      for (String keyword : request.page().keywords()) {
        g.writeString(keyword);
      }
      g.writeEndArray();
      g.writeEndObject();
      g.writeArrayFieldStart("slots");
      for (Slot slot : request.slots()) {
        g.writeStartObject();
        g.writeStringField("id", slot.id());
        if (!slot.sizes().isEmpty()) {
          g.writeArrayFieldStart("sizes");
          for (Size size : slot.sizes()) {
            g.writeStartArray();
            g.writeNumber(size.width());
            g.writeNumber(size.height());
            g.writeEndArray();
          }
          g.writeEndArray();
        }
        if (slot.acceptsNative()) {
          g.writeArrayFieldStart("formats");
          g.writeString("native");
          g.writeEndArray();
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      if (request.page().userId() != null) {
        g.writeObjectFieldStart("user");
        g.writeStringField("id", request.page().userId());
        g.writeEndObject();
      }
      if (request.page().device() != null) {
        g.writeObjectFieldStart("device");
        g.writeStringField("type", request.page().device().wireName());
        g.writeEndObject();
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The geo headers a CDN would set for the request's location. */
  public static Map<String, String> geoHeaders(PageRequest request) {
    Map<String, String> headers = new LinkedHashMap<>();
    List<String> keys = request.page().location().keys();
    if (keys.isEmpty()) {
      return headers;
    }
    headers.put("X-Geo-Country", keys.get(0));
    if (keys.size() > 1) {
      headers.put("X-Geo-Region", keys.get(1));
    }
    if (keys.size() > 2) {
      String key = keys.get(2);
      headers.put("X-Geo-City", key.substring(key.indexOf('/') + 1));
    }
    return headers;
  }

  /** For a location built from headers, whether it round-trips (used by the self-check). */
  static boolean sameLocation(Location a, Location b) {
    return a.keys().equals(b.keys());
  }
}
