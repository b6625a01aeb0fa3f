package id.iklan.selection;

import static java.util.Objects.requireNonNull;

import id.iklan.rules.DeviceType;
import java.util.List;

/**
 * What is known of the page view that asks for ads. {@code section} and {@code keywords} are
 * already normalised; {@code section}, {@code device} and {@code userId} are {@code null} when
 * the page did not say.
 */
public record Page(
    String url,
    String section,
    List<String> keywords,
    Location location,
    DeviceType device,
    String userId) {

  public Page {
    requireNonNull(url, "url");
    keywords = List.copyOf(keywords);
    requireNonNull(location, "location");
  }
}
