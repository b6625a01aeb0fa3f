package id.iklan.rules;

import static java.util.Objects.requireNonNull;

/**
 * What is shown. Display creatives ({@code image}, {@code html}) have a size; {@code native} ones
 * carry the parts of a "Read Next"-style block. Fields a format does not use are {@code null}.
 */
public record Creative(
    String id,
    Format format,
    Size size,
    String imageUrl,
    String alt,
    String html,
    String title,
    String body,
    String sponsor,
    String clickUrl,
    double weight) {

  public Creative {
    requireNonNull(id, "id");
    requireNonNull(format, "format");
    requireNonNull(clickUrl, "clickUrl");
    if (format.isDisplay()) {
      requireNonNull(size, "size");
    }
    switch (format) {
      case IMAGE -> requireNonNull(imageUrl, "imageUrl");
      case HTML -> requireNonNull(html, "html");
      case NATIVE -> {
        requireNonNull(title, "title");
        requireNonNull(imageUrl, "imageUrl");
        requireNonNull(sponsor, "sponsor");
      }
    }
    if (!(weight > 0) || Double.isInfinite(weight)) {
      throw new IllegalArgumentException("weight must be a positive number");
    }
  }
}
