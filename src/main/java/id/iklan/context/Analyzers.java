package id.iklan.context;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.id.IndonesianAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;

/**
 * The text analysis of articles and rule keywords: Lucene's {@link IndonesianAnalyzer} (standard
 * tokenizer, lower case, Indonesian stop words, the Asian/Tala stemmer that strips particles,
 * possessives, prefixes and suffixes, so that {@code peperangan} and {@code berperang} become
 * {@code perang}) and {@link EnglishAnalyzer} (standard tokenizer, possessives, lower case, English
 * stop words, Porter stemmer), plus a small language detector for pages that do not say which
 * language they are in.
 *
 * <p>Lucene analyzers are thread-safe and reuse their token streams per thread, so one instance
 * serves every event loop; {@link #shared()} is that instance. Rule keywords and articles must go
 * through the same analyzer for their stems to meet, which is why there is one place for both.
 */
public final class Analyzers {
  private static final Analyzers SHARED = new Analyzers();
  /** Enough of an article to tell its language; the rest does not change the verdict. */
  static final int DETECT_CHARS = 3_000;
  private static final int LONGEST_FUNCTION_WORD = 12;

  /**
   * Function words that are frequent in running text of one language and rare in the other; a
   * detector of ratios, not a dictionary.
   */
  private static final CharArraySet INDONESIAN_MARKERS = new CharArraySet(List.of("yang", "dan",
      "di", "ini", "itu", "dengan", "untuk", "dari", "dalam", "tidak", "akan", "pada", "juga",
      "ke", "karena", "oleh", "ada", "adalah", "mereka", "kami", "telah", "sudah", "bisa", "atau",
      "saat", "lebih", "tersebut", "menjadi", "bahwa", "para", "kata", "seperti", "namun",
      "setelah", "hingga", "masih", "belum", "kepada", "secara", "antara"), false);
  private static final CharArraySet ENGLISH_MARKERS = new CharArraySet(List.of("the", "and", "of",
      "to", "in", "is", "that", "for", "it", "with", "as", "was", "on", "are", "be", "by", "this",
      "from", "at", "have", "has", "not", "will", "an", "they", "which", "said", "were", "been",
      "their", "would", "who", "after", "its", "but", "had", "or", "more", "than", "about"),
      false);

  private final Analyzer indonesian;
  private final Analyzer english;

  public Analyzers() {
    this.indonesian = new IndonesianAnalyzer();
    this.english = new EnglishAnalyzer();
  }

  /** The one instance the server uses: analyzers hold per-thread state worth sharing. */
  public static Analyzers shared() {
    return SHARED;
  }

  public Analyzer analyzer(Language language) {
    return switch (requireNonNull(language, "language")) {
      case INDONESIAN -> indonesian;
      case ENGLISH -> english;
    };
  }

  /**
   * The language to analyse an article in: the declared one when Iklan stems it (see
   * {@link Language#fromTag}), otherwise the one {@link #detect detected} from the text.
   */
  public Language languageOf(String declared, String title, String text) {
    Language language = Language.fromTag(declared);
    return language != null ? language : detect(title, text);
  }

  /**
   * Tells Indonesian from English by which language's function words are more frequent in the
   * first {@value #DETECT_CHARS} characters of the title and text. A tie (no function words at
   * all, such as a bare list of names) is Indonesian, the publishers' language. Allocation-free:
   * words are lower-cased into a small buffer and looked up in {@link CharArraySet}s.
   */
  public Language detect(String title, String text) {
    int[] counts = new int[2];
    char[] word = new char[LONGEST_FUNCTION_WORD];
    int budget = DETECT_CHARS;
    if (title != null) {
      budget -= count(title, budget, word, counts);
    }
    if (text != null && budget > 0) {
      count(text, budget, word, counts);
    }
    return counts[1] > counts[0] ? Language.ENGLISH : Language.INDONESIAN;
  }

  /** Counts marker words of both languages in the first {@code budget} chars; returns chars read. */
  private static int count(String s, int budget, char[] word, int[] counts) {
    int n = Math.min(s.length(), budget);
    int length = 0;
    for (int i = 0; i <= n; i++) {
      char c = i < n ? s.charAt(i) : ' ';
      if (Character.isLetter(c)) {
        if (length < word.length) {
          word[length] = Character.toLowerCase(c);
        }
        length++;
        continue;
      }
      if (length > 0 && length <= word.length) {
        if (INDONESIAN_MARKERS.contains(word, 0, length)) {
          counts[0]++;
        } else if (ENGLISH_MARKERS.contains(word, 0, length)) {
          counts[1]++;
        }
      }
      length = 0;
    }
    return n;
  }

  /**
   * The stems of a short text (a rule keyword) with their positions, the first at 0; a stop word
   * leaves a gap in the positions, as it does in an article. Empty when nothing is left (a
   * keyword made only of stop words or punctuation). For compiling rules, not for articles:
   * it allocates a string per token.
   */
  public Stems stems(String text, Language language) {
    List<String> stems = new ArrayList<>();
    List<Integer> positions = new ArrayList<>();
    try (TokenStream ts = analyzer(language).tokenStream("", text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      PositionIncrementAttribute increment = ts.addAttribute(PositionIncrementAttribute.class);
      ts.reset();
      int position = -1;
      while (ts.incrementToken()) {
        position += increment.getPositionIncrement();
        stems.add(term.toString());
        positions.add(position);
      }
      ts.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // reading a String does no I/O
    }
    int first = positions.isEmpty() ? 0 : positions.get(0);
    int[] relative = new int[positions.size()];
    for (int i = 0; i < relative.length; i++) {
      relative[i] = positions.get(i) - first;
    }
    return new Stems(List.copyOf(stems), relative);
  }

  /**
   * Stems in order and their positions relative to the first (gaps where stop words were).
   */
  public record Stems(List<String> stems, int[] positions) {
    public boolean isEmpty() {
      return stems.isEmpty();
    }

    /** Positions from the first stem to the last: 0 for one word, 1 for two adjacent words. */
    public int span() {
      return positions.length == 0 ? 0 : positions[positions.length - 1];
    }

    @Override
    public String toString() {
      return stems.toString();
    }
  }
}
