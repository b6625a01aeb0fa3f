package id.iklan.selection;

import static java.util.Objects.requireNonNull;

import id.iklan.context.ArticleKeywords;
import id.iklan.rules.DeviceType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What is known of the page view that asks for ads. {@code section} and {@code keywords} are
 * already normalised; {@code section}, {@code device} and {@code userId} are {@code null} when
 * the page did not say.
 *
 * <p>The page's keywords (SPEC §4) are its own {@code keywords} plus the rule keywords
 * {@code extracted} from its title and text ({@link ArticleKeywords#NONE} when it sent neither);
 * selection treats both alike, explain tells them apart.
 */
public record Page(
    String url,
    String section,
    List<String> keywords,
    ArticleKeywords extracted,
    Location location,
    DeviceType device,
    String userId) {

  public Page {
    requireNonNull(url, "url");
    keywords = List.copyOf(keywords);
    requireNonNull(extracted, "extracted");
    requireNonNull(location, "location");
  }

  /** A page that sent no article text. */
  public Page(String url, String section, List<String> keywords, Location location,
      DeviceType device, String userId) {
    this(url, section, keywords, ArticleKeywords.NONE, location, device, userId);
  }

  /** This page with the keywords extracted from its article. */
  public Page withExtracted(ArticleKeywords value) {
    return new Page(url, section, keywords, value, location, device, userId);
  }

  /** The page's own keywords, then the extracted ones it did not already send; no duplicates. */
  public List<String> allKeywords() {
    if (extracted.keywords().isEmpty()) {
      return keywords;
    }
    Set<String> all = new LinkedHashSet<>(keywords);
    all.addAll(extracted.keywords());
    return new ArrayList<>(all);
  }
}
