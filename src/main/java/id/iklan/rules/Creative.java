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

  /*
   * equals and hashCode are written out: the generated ones of an eleven-member record are a
   * chain of method handles too deep for the JIT to inline, and a creative is a hash key on every
   * served ad (AdFragments), where they took several percent of a request's CPU (LOAD.md).
   */

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    return o instanceof Creative c
        && id.equals(c.id) && format == c.format && java.util.Objects.equals(size, c.size)
        && java.util.Objects.equals(imageUrl, c.imageUrl) && java.util.Objects.equals(alt, c.alt)
        && java.util.Objects.equals(html, c.html) && java.util.Objects.equals(title, c.title)
        && java.util.Objects.equals(body, c.body) && java.util.Objects.equals(sponsor, c.sponsor)
        && clickUrl.equals(c.clickUrl) && Double.compare(weight, c.weight) == 0;
  }

  @Override
  public int hashCode() {
    int h = id.hashCode();
    h = 31 * h + format.hashCode();
    h = 31 * h + java.util.Objects.hashCode(size);
    h = 31 * h + java.util.Objects.hashCode(imageUrl);
    h = 31 * h + java.util.Objects.hashCode(alt);
    h = 31 * h + java.util.Objects.hashCode(html);
    h = 31 * h + java.util.Objects.hashCode(title);
    h = 31 * h + java.util.Objects.hashCode(body);
    h = 31 * h + java.util.Objects.hashCode(sponsor);
    h = 31 * h + clickUrl.hashCode();
    return 31 * h + Double.hashCode(weight);
  }
}
