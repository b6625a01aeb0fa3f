package id.iklan.bench;

import id.iklan.context.Analyzers;
import id.iklan.context.Article;
import id.iklan.context.ArticleKeywords;
import id.iklan.context.KeywordExtractor;
import id.iklan.context.KeywordMatcher;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What contextual keywords cost per ad request: a ~5 KB article matched against the rule
 * vocabulary, cold (analysed) and cached (digest and cache look-up only).
 *
 * <pre>
 * ./mvnw -B -q -f benchmarks/pom.xml package
 * java -jar benchmarks/target/benchmarks.jar KeywordExtractionBenchmark -prof gc
 * </pre>
 *
 * <ul>
 *   <li>{@code analyse}: the extraction itself, without the cache: NFKC check, Lucene analysis
 *       (tokenizer, stop words, stemmer) of title and text, matching every stem against the
 *       vocabulary; the language is declared ({@code id}/{@code en}), as iklan.js sends it;
 *   <li>{@code analyseDetectingLanguage}: the same with no declared language, so the detector
 *       reads the first 3,000 characters too;
 *   <li>{@code extractMiss}: a request whose article is not in the cache: digest, look-up,
 *       analysis, put (every call has a new rule version, so every call misses);
 *   <li>{@code extractHit}: a request for an article already in the cache: SHA-256 of title and
 *       text (the key) and the look-up;
 *   <li>{@code compileMatcher}: building the matcher of a rule version (once per rule upload,
 *       off the event loop), both languages.
 * </ul>
 * {@code vocabulary} is the number of distinct rule keywords (about one in eight multi-word);
 * {@code language} the article's.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class KeywordExtractionBenchmark {
  @Param({"100", "10000"})
  int vocabulary;

  @Param({"id", "en"})
  String language;

  List<String> keywords;
  KeywordMatcher matcher;
  KeywordExtractor cold;
  KeywordExtractor cached;
  KeywordExtractor missing;
  Article article;
  Article undeclared;

  @Setup
  public void setUp() {
    SplittableRandom random = new SplittableRandom(42);
    keywords = vocabulary(vocabulary, random);
    matcher = KeywordMatcher.compile(keywords, Analyzers.shared());
    cold = new KeywordExtractor(Analyzers.shared(), 0);
    cached = new KeywordExtractor(Analyzers.shared(), 1_000);
    missing = new KeywordExtractor(Analyzers.shared(), 1_000);
    String url = "https://kabarnusantara.example/internasional/2026/11/28/artikel";
    boolean english = language.equals("en");
    String text = english ? Articles.english(5_000) : Articles.indonesian(5_000);
    String title = english ? "Delegation visits the northern port as cargo routes reopen"
        : "Delegasi kunjungi pelabuhan utara, jalur angkutan barang dibuka kembali";
    article = new Article(url, title, text, language);
    undeclared = new Article(url, title, text, null);
    ArticleKeywords found = cached.extract(article, matcher, 1);
    if (found.keywords().isEmpty()) {
      throw new IllegalStateException("the article should hold some rule keywords");
    }
  }

  /** The common news keywords of the articles, then syllable words, one in eight multi-word. */
  static List<String> vocabulary(int size, SplittableRandom random) {
    Set<String> out = new LinkedHashSet<>(List.of("perang", "korea utara", "angkutan barang",
        "pelabuhan", "logistik", "bencana", "korban jiwa", "kepabeanan", "diplomasi", "war",
        "election", "cargo", "port", "customs", "trade"));
    String[] onsets = {"b", "d", "g", "k", "l", "m", "n", "p", "r", "s", "t", "w", "ng", "ny"};
    String[] vowels = {"a", "i", "u", "e", "o", "a"};
    List<String> singles = new ArrayList<>();
    while (out.size() < size) {
      StringBuilder w = new StringBuilder();
      for (int s = 2 + random.nextInt(3); s > 0; s--) {
        w.append(onsets[random.nextInt(onsets.length)]).append(vowels[random.nextInt(6)]);
      }
      String word = !singles.isEmpty() && random.nextInt(8) == 0
          ? singles.get(random.nextInt(singles.size())) + " " + w : w.toString();
      if (out.add(word) && word.indexOf(' ') < 0) {
        singles.add(word);
      }
    }
    return List.copyOf(out).subList(0, size);
  }

  @Benchmark
  public ArticleKeywords analyse() {
    return cold.analyse(article, matcher);
  }

  @Benchmark
  public ArticleKeywords analyseDetectingLanguage() {
    return cold.analyse(undeclared, matcher);
  }

  /** A per-thread rule version, so that every extraction of {@code extractMiss} is new. */
  @State(Scope.Thread)
  public static class Versions {
    long next = 1;
  }

  @Benchmark
  public ArticleKeywords extractMiss(Versions versions) {
    return missing.extract(article, matcher, versions.next++);
  }

  @Benchmark
  public ArticleKeywords extractHit() {
    return cached.extract(article, matcher, 1);
  }

  @Benchmark
  public KeywordMatcher compileMatcher() {
    return KeywordMatcher.compile(keywords, Analyzers.shared());
  }

  /** News-like text written for the benchmark, repeated sentences up to a length. */
  static final class Articles {
    private static final String[] INDONESIAN = {
        "Pemerintah membuka kembali jalur angkutan barang melalui perbatasan darat pada pekan ini.",
        "Para pejabat menyebut pemeriksaan kepabeanan akan dipercepat di kedua sisi perbatasan.",
        "Pengamat menilai kerja sama logistik ini penting bagi pedagang kecil di kota pelabuhan.",
        "Sejumlah gudang baru dibangun di dekat stasiun kereta untuk menampung barang ekspor.",
        "Warga berharap harga kebutuhan pokok turun setelah rute pengiriman kembali lancar.",
        "Delegasi dari Korea Utara dijadwalkan bertemu menteri perdagangan pada hari Kamis.",
        "Menurut keterangan tertulis, kesepakatan itu juga mencakup pertukaran pelajar dan beasiswa.",
        "Kapal-kapal pengangkut bersandar lebih lama karena antrean dokumen yang belum selesai.",
        "Asosiasi pengusaha meminta agar tarif bongkar muat tidak dinaikkan menjelang akhir tahun.",
        "Dinas perhubungan menyiapkan petugas tambahan untuk mengatur lalu lintas truk barang.",
    };
    private static final String[] ENGLISH = {
        "The government reopened the overland cargo route across the border this week.",
        "Officials said customs inspections would be sped up on both sides of the border.",
        "Analysts said the logistics agreement matters for small traders in the port cities.",
        "Several new warehouses were built near the railway station to hold export goods.",
        "Residents hope that staple prices will fall once shipping routes run smoothly again.",
        "A delegation from North Korea is scheduled to meet the trade minister on Thursday.",
        "According to a written statement, the deal also covers student exchanges and grants.",
        "Freighters stayed longer at the quays because of a backlog of unfinished paperwork.",
        "The employers' association asked that handling fees not be raised before year end.",
        "The transport office is preparing extra staff to direct the traffic of cargo trucks.",
    };

    static String indonesian(int length) {
      return repeat(INDONESIAN, length);
    }

    static String english(int length) {
      return repeat(ENGLISH, length);
    }

    private static String repeat(String[] sentences, int length) {
      StringBuilder out = new StringBuilder(length + 200);
      for (int i = 0; out.length() < length; i++) {
        out.append(sentences[i % sentences.length]).append(i % 4 == 3 ? "\n\n" : " ");
      }
      return out.substring(0, length);
    }
  }
}
