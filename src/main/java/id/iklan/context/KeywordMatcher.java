package id.iklan.context;

import static java.util.Objects.requireNonNull;

import id.iklan.context.Analyzers.Stems;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArrayMap;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;

/**
 * Finds the keywords of a rule set in the text of an article, after stemming both the same way.
 * Compiled once per rule version from the rules' keyword vocabulary; immutable and thread-safe.
 *
 * <p><b>Only rule keywords matter.</b> An article is not turned into a bag of every word it holds:
 * its tokens stream through the analyzer and each stem is looked up, without allocating, in a
 * table of the stems that some rule keyword uses ({@link CharArrayMap}, looked up by the token's
 * own char buffer). A stem no rule uses is dropped on the spot.
 *
 * <p><b>Compiling.</b> Every keyword is analysed in both languages, since one rule set serves
 * Indonesian and English articles alike: {@code "perang"} becomes the stem {@code perang},
 * {@code "korea utara"} the sequence {@code korea utara}, {@code "wars"} (English) {@code war}.
 * A one-stem keyword is filed under its stem. A keyword of several stems is filed under its
 * <em>last</em> stem, with the stems before it and their relative positions.
 *
 * <p><b>Matching in sequence.</b> The matcher keeps a small ring of the last positions' stems
 * (as ids; a ring a power of two larger than the longest keyword's span). When a token is the
 * last stem of a multi-word keyword, the positions before it are checked in the ring: each must
 * hold exactly the keyword's stem, at exactly its relative position. So {@code "korea utara"}
 * matches "Korea Utara" but neither "utara Korea" nor "Korea Selatan dan Utara". Filing under
 * the last stem rather than the first lets this run in one streaming pass with no look-ahead and
 * no token list. A stop word inside a keyword leaves a gap, as it does in the article (Lucene
 * phrase semantics: any one word may stand in the gap). The title and the text are matched
 * separately, so a keyword never spans the two.
 *
 * <p>A keyword made only of stop words (or of punctuation) has no stems and is never found in a
 * text; it still matches when a page sends it in {@code page.keywords}.
 */
public final class KeywordMatcher {
  private static final int[] NO_KEYWORDS = {};
  private static final Sequence[] NO_SEQUENCES = {};
  /** How much of the article's own words a found text keeps. */
  private static final int MAX_FOUND_LENGTH = 120;

  /** A multi-word keyword: its stem ids and their positions relative to the first. */
  private record Sequence(int keyword, int[] stemIds, int[] positions, int span) {}

  /** What one stem means: an id for the ring, keywords it is on its own, sequences it ends. */
  private static final class Entry {
    final int id;
    int[] singles = NO_KEYWORDS;
    Sequence[] endingHere = NO_SEQUENCES;

    Entry(int id) {
      this.id = id;
    }
  }

  /** The stems of one language. {@code window} is a power of two above every span. */
  private record Table(CharArrayMap<Entry> stems, int window) {}

  private final Analyzers analyzers;
  private final String[] keywords;
  private final Table[] tables;

  private KeywordMatcher(Analyzers analyzers, String[] keywords, Table[] tables) {
    this.analyzers = analyzers;
    this.keywords = keywords;
    this.tables = tables;
  }

  /** A matcher for no keywords: every article matches nothing. */
  public static KeywordMatcher empty() {
    return compile(List.of(), Analyzers.shared());
  }

  /**
   * Compiles the keywords (normalised, as in the rules) in both languages.
   *
   * @param keywords the rule vocabulary; duplicates are harmless
   */
  public static KeywordMatcher compile(Collection<String> keywords, Analyzers analyzers) {
    requireNonNull(analyzers, "analyzers");
    String[] list = keywords.stream().distinct().toArray(String[]::new);
    Table[] tables = new Table[Language.values().length];
    for (Language language : Language.values()) {
      tables[language.ordinal()] = table(list, language, analyzers);
    }
    return new KeywordMatcher(analyzers, list, tables);
  }

  private static Table table(String[] keywords, Language language, Analyzers analyzers) {
    Map<String, Entry> entries = new HashMap<>();
    Map<Entry, List<Integer>> singles = new HashMap<>();
    Map<Entry, List<Sequence>> sequences = new HashMap<>();
    int maxSpan = 0;
    for (int k = 0; k < keywords.length; k++) {
      Stems stems = analyzers.stems(keywords[k], language);
      int n = stems.stems().size();
      if (n == 0) {
        continue;
      }
      int[] ids = new int[n];
      Entry last = null;
      for (int i = 0; i < n; i++) {
        last = entries.computeIfAbsent(stems.stems().get(i), s -> new Entry(entries.size()));
        ids[i] = last.id;
      }
      if (n == 1) {
        singles.computeIfAbsent(last, e -> new ArrayList<>()).add(k);
      } else {
        sequences.computeIfAbsent(last, e -> new ArrayList<>())
            .add(new Sequence(k, ids, stems.positions(), stems.span()));
        maxSpan = Math.max(maxSpan, stems.span());
      }
    }
    CharArrayMap<Entry> map = new CharArrayMap<>(Math.max(16, entries.size() * 2), false);
    for (Map.Entry<String, Entry> e : entries.entrySet()) {
      Entry entry = e.getValue();
      List<Integer> own = singles.get(entry);
      if (own != null) {
        entry.singles = own.stream().mapToInt(Integer::intValue).toArray();
      }
      List<Sequence> ending = sequences.get(entry);
      if (ending != null) {
        entry.endingHere = ending.toArray(Sequence[]::new);
      }
      map.put(e.getKey(), entry);
    }
    return new Table(CharArrayMap.unmodifiableMap(map),
        maxSpan == 0 ? 1 : Integer.highestOneBit(maxSpan) * 2);
  }

  /** How many distinct keywords this matcher looks for. */
  public int size() {
    return keywords.length;
  }

  /**
   * The rule keywords found in the title and the text (either may be {@code null}), analysed in
   * {@code language}.
   */
  public ArticleKeywords match(String title, String text, Language language) {
    requireNonNull(language, "language");
    Table table = tables[language.ordinal()];
    Found found = new Found();
    if (!table.stems().isEmpty()) {
      Analyzer analyzer = analyzers.analyzer(language);
      if (title != null) {
        scan(analyzer, table, title, found);
      }
      if (text != null) {
        scan(analyzer, table, text, found);
      }
    }
    return found.result(language, keywords);
  }

  private static void scan(Analyzer analyzer, Table table, String field, Found found) {
    int mask = table.window() - 1;
    int[] ringPosition = new int[table.window()];
    int[] ringStem = new int[table.window()];
    int[] ringStart = new int[table.window()];
    Arrays.fill(ringPosition, -1);
    CharArrayMap<Entry> stems = table.stems();
    try (TokenStream ts = analyzer.tokenStream("", field)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      PositionIncrementAttribute increment = ts.addAttribute(PositionIncrementAttribute.class);
      OffsetAttribute offset = ts.addAttribute(OffsetAttribute.class);
      ts.reset();
      int position = -1;
      while (ts.incrementToken()) {
        position += increment.getPositionIncrement();
        Entry entry = stems.get(term.buffer(), 0, term.length());
        if (entry == null) {
          continue; // its ring slot keeps an older position, which no check accepts
        }
        int slot = position & mask;
        ringPosition[slot] = position;
        ringStem[slot] = entry.id;
        ringStart[slot] = offset.startOffset();
        for (int keyword : entry.singles) {
          found.add(keyword, field, offset.startOffset(), offset.endOffset());
        }
        for (Sequence sequence : entry.endingHere) {
          int first = position - sequence.span();
          if (first < 0 || !inRing(sequence, first, mask, ringPosition, ringStem)) {
            continue;
          }
          found.add(sequence.keyword(), field, ringStart[first & mask], offset.endOffset());
        }
      }
      ts.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // reading a String does no I/O
    }
  }

  /** Whether every stem but the last of {@code sequence} is in the ring, in place. */
  private static boolean inRing(
      Sequence sequence, int first, int mask, int[] ringPosition, int[] ringStem) {
    int[] ids = sequence.stemIds();
    int[] positions = sequence.positions();
    for (int i = 0; i < ids.length - 1; i++) {
      int p = first + positions[i];
      int slot = p & mask;
      if (ringPosition[slot] != p || ringStem[slot] != ids[i]) {
        return false;
      }
    }
    return true;
  }

  /** Keywords found so far, each once, with the article's words at its first occurrence. */
  private static final class Found {
    private int[] ids = new int[8];
    private final List<String> texts = new ArrayList<>();
    private int count;

    void add(int keyword, String field, int start, int end) {
      for (int i = 0; i < count; i++) {
        if (ids[i] == keyword) {
          return;
        }
      }
      if (count == ids.length) {
        ids = Arrays.copyOf(ids, count * 2);
      }
      ids[count++] = keyword;
      texts.add(surface(field, start, end));
    }

    ArticleKeywords result(Language language, String[] keywords) {
      List<String> found = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        found.add(keywords[ids[i]]);
      }
      return new ArticleKeywords(language, found, texts);
    }

    private static String surface(String field, int start, int end) {
      int to = Math.min(end, Math.min(field.length(), start + MAX_FOUND_LENGTH));
      StringBuilder out = new StringBuilder(to - start);
      boolean space = false;
      for (int i = start; i < to; i++) {
        char c = field.charAt(i);
        if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
          space = out.length() > 0;
          continue;
        }
        if (space) {
          out.append(' ');
          space = false;
        }
        out.append(c);
      }
      return out.toString();
    }
  }
}
