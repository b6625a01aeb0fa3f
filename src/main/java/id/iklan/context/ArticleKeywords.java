package id.iklan.context;

import java.util.List;

/**
 * The rule keywords found in one article, in the order they first occur (title first), each
 * with the words of the article where it was first found ({@code found}, as written there:
 * {@code "peperangan"} for the rule keyword {@code "perang"}). The keywords are the normalised
 * rule keywords themselves, so they stand for the same dictionary entries as keywords a page sends.
 *
 * @param language the language the article was analysed in, or {@code null} when nothing was
 *     analysed ({@link #NONE})
 */
public record ArticleKeywords(Language language, List<String> keywords, List<String> found) {
  /** No article was sent: nothing was extracted. */
  public static final ArticleKeywords NONE = new ArticleKeywords(null, List.of(), List.of());

  public ArticleKeywords {
    keywords = List.copyOf(keywords);
    found = List.copyOf(found);
    if (keywords.size() != found.size()) {
      throw new IllegalArgumentException("one found text per keyword");
    }
  }

  /** Keywords for tests and for pages that give them directly; each is its own found text. */
  public static ArticleKeywords of(Language language, List<String> keywords) {
    return new ArticleKeywords(language, keywords, keywords);
  }

  /** Whether an article was analysed at all (even if it held no rule keyword). */
  public boolean analysed() {
    return language != null;
  }

  /** Where {@code keyword} was found in the article, or {@code null} when it was not. */
  public String foundAs(String keyword) {
    int i = keywords.indexOf(keyword);
    return i < 0 ? null : found.get(i);
  }
}
