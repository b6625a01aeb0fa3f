package id.iklan.selection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The dictionary look-up every page decision makes, against a plain map of the same ids. */
final class StringIdsTest {
  @Test
  void get_everyKey_givesItsId_andOthersMinusOne() {
    Map<String, Integer> ids = new HashMap<>();
    Random random = new Random(7);
    while (ids.size() < 50_000) {
      ids.putIfAbsent("kata-" + Integer.toString(random.nextInt(1_000_000), 36), ids.size());
    }
    StringIds table = new StringIds(ids);

    assertThat(table.size()).isEqualTo(50_000);
    ids.forEach((key, id) -> assertThat(table.get(new String(key))).isEqualTo(id));
    for (int i = 0; i < 50_000; i++) {
      String other = "lain-" + i;
      assertThat(table.get(other)).isEqualTo(-1);
    }
  }

  @Test
  void get_keysWithTheSameHash_areToldApart() {
    assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
    StringIds table = new StringIds(Map.of("Aa", 0, "BB", 1, "AaAa", 2, "BBBB", 3));

    assertThat(table.get("Aa")).isZero();
    assertThat(table.get("BB")).isEqualTo(1);
    assertThat(table.get("AaAa")).isEqualTo(2);
    assertThat(table.get("BBBB")).isEqualTo(3);
    assertThat(table.get("AaBB")).isEqualTo(-1); // same hash again, not in the table
    assertThat(table.get("")).isEqualTo(-1);
  }

  @Test
  void get_emptyDictionary_holdsNothing() {
    StringIds table = new StringIds(Map.of());

    assertThat(table.size()).isZero();
    assertThat(table.get("bola")).isEqualTo(-1);
    assertThat(table.get("")).isEqualTo(-1);
  }

  @Test
  void get_emptyStringAndZeroHash_areOrdinaryKeys() {
    assertThat("".hashCode()).isZero();
    StringIds table = new StringIds(Map.of("", 0, "bola", 1));

    assertThat(table.get("")).isZero();
    assertThat(table.get("bola")).isEqualTo(1);
  }
}
