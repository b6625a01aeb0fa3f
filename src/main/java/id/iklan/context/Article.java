package id.iklan.context;

import static java.util.Objects.requireNonNull;

/**
 * The text of an article as a page sends it ({@code page.title}, {@code page.text},
 * {@code page.language}); {@code title}, {@code text} and {@code language} may be {@code null}.
 */
public record Article(String url, String title, String text, String language) {
  public Article {
    requireNonNull(url, "url");
  }

  /** Whether there is anything to read. */
  public boolean hasText() {
    return (title != null && !title.isBlank()) || (text != null && !text.isBlank());
  }
}
