package id.iklan.workload;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Indonesian-looking words built from syllables, so the benchmark's keyword vocabulary is large
 * (tens of thousands of terms) without shipping a dictionary. About one term in eight is
 * multi-word ("kota baru", "harga beras naik").
 */
final class Vocabulary {
  private static final String[] ONSETS = {"b", "c", "d", "g", "h", "j", "k", "l", "m", "n",
      "p", "r", "s", "t", "w", "y", "ng", "ny", "kr", "tr", "pr", "st"};
  private static final String[] VOWELS = {"a", "i", "u", "e", "o", "a", "a", "i"};
  private static final String[] CODAS = {"", "", "", "n", "ng", "r", "k", "t", "s", "l", "m"};
  private static final String[] COMMON = {"rusia", "ukraina", "korea utara", "piala dunia",
      "timnas", "saham", "ihsg", "rupiah", "mobil listrik", "motor listrik", "pemilu", "presiden",
      "banjir jakarta", "harga beras", "bbm", "inflasi", "suku bunga", "liga 1", "bulu tangkis",
      "gempa", "ramadan", "mudik", "lebaran", "kereta cepat", "ibu kota nusantara"};

  private Vocabulary() {}

  static List<String> words(int count, SplittableRandom random) {
    Set<String> out = new LinkedHashSet<>();
    for (String common : COMMON) {
      if (out.size() < count) {
        out.add(common);
      }
    }
    List<String> singles = new ArrayList<>();
    while (out.size() < count) {
      String word;
      if (!singles.isEmpty() && random.nextInt(8) == 0) {
        word = singles.get(random.nextInt(singles.size())) + " " + word(random);
      } else {
        word = word(random);
      }
      if (out.add(word) && word.indexOf(' ') < 0) {
        singles.add(word);
      }
    }
    return List.copyOf(out);
  }

  static String cityName(SplittableRandom random) {
    String name = word(random);
    return Character.toUpperCase(name.charAt(0)) + name.substring(1);
  }

  private static String word(SplittableRandom random) {
    int syllables = 2 + random.nextInt(3);
    StringBuilder w = new StringBuilder();
    for (int s = 0; s < syllables; s++) {
      w.append(ONSETS[random.nextInt(ONSETS.length)]).append(VOWELS[random.nextInt(VOWELS.length)]);
      if (s == syllables - 1) {
        w.append(CODAS[random.nextInt(CODAS.length)]);
      }
    }
    return w.toString();
  }
}
